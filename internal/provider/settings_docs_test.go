package provider

import (
	"os"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
)

// TestDocsListEverySetting: the settings table of docs/index.md (its
// template) has a row for every setting of both clouds' tables, giving
// its environment variables in the order the provider reads them; the
// variables of no attribute are named in the text. A setting added to a
// table without its row, or an order changed on one side only, fails.
func TestDocsListEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../templates/index.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	section := doc[strings.Index(doc, "## Credentials"):strings.Index(doc, "### Temporary credentials")]
	var rows []string
	for line := range strings.SplitSeq(section, "\n") {
		if strings.HasPrefix(line, "| `") {
			rows = append(rows, line)
		}
	}
	for _, table := range []*credchain.Table{huaweicloud.Settings, alicloud.Settings} {
		for _, blk := range table.Blocks {
			prefix := table.Block + "."
			if blk.Name != "" {
				prefix += blk.Name + "."
			}
			for _, s := range blk.Settings {
				quoted := make([]string, len(s.Env))
				for i, e := range s.Env {
					quoted[i] = "`" + e + "`"
				}
				env := strings.Join(quoted, ", ")
				if s.EnvOnly {
					if !strings.Contains(section, env) {
						t.Errorf("%s: the variable %s is not named", prefix+s.Name, env)
					}
					continue
				}
				found := false
				for _, r := range rows {
					cells := strings.Split(r, " | ")
					if len(cells) < 2 {
						continue
					}
					names := cells[0]
					named := strings.Contains(names, "`"+prefix+s.Name+"`") ||
						strings.Contains(names, "`"+prefix) && strings.Contains(names, "`."+s.Name+"`")
					if named && strings.Contains(cells[1], env) {
						found = true
					}
				}
				if len(s.Env) > 0 && !found {
					t.Errorf("no row for %s with its environment %s", prefix+s.Name, env)
				}
			}
		}
	}
}
