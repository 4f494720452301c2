// Package credentialstest runs the credential sources of both clouds
// through Terraform against the emulator's credential services: which
// key signed each data request, refreshes during a long read, the errors
// users see. Tests only.
package credentialstest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/provider"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// env is the whole environment the provider sees.
type env map[string]string

// factories serves the provider with env as its environment and a fast
// transport.
func factories(e env) map[string]func() (tfprotov6.ProviderServer, error) {
	srv := provider.NewServer("credentialstest", provider.WithTransport(func(o *transport.Options) {
		o.BaseBackoff = 5 * time.Millisecond
		o.MaxBackoff = 50 * time.Millisecond
		o.RequestTimeout = 10 * time.Second
	}), provider.WithGetenv(func(k string) string { return e[k] }))
	return map[string]func() (tfprotov6.ProviderServer, error){
		provider.TypeName: func() (tfprotov6.ProviderServer, error) { return srv(), nil },
	}
}

// dataset has one screen record with events desktop events and one OOS
// execution with logs logs.
func dataset(events, logs int) *emulator.Dataset {
	return emulator.Generate(17, emulator.Sizes{emulator.SizeScreenRecords: 1, emulator.SizeEventsPerScreenRecord: events, emulator.SizeExecutions: 1, emulator.SizeLogsPerExecution: logs})
}

// providerConfig points every endpoint (sts and imds included) at srv,
// with the given lines in the huaweicloud and alicloud blocks and no
// credentials but those.
func providerConfig(srv *emulator.Server, hw, ali []string, top ...string) string {
	return fmt.Sprintf(`
provider "opsaudit" {
  huaweicloud {
    region     = %[2]q
    project_id = %[3]q
    endpoints  = { iam = %[1]q, sts = %[1]q, workspace = %[1]q, secmaster = %[1]q, metadata = %[1]q }
    %[4]s
  }
  alicloud {
    region    = %[5]q
    endpoints = { oos = %[1]q, sts = %[1]q, imds = %[1]q }
    %[6]s
  }
  %[7]s
}
`, srv.URL(), emulator.DemoRegionHuawei, srv.Data().Projects[emulator.DemoRegionHuawei],
		strings.Join(hw, "\n    "), emulator.DemoRegionAli, strings.Join(ali, "\n    "), strings.Join(top, "\n  "))
}

const (
	hwEvents = "data.opsaudit_huaweicloud_workspace_desktop_events.x"
	aliLogs  = "data.opsaudit_alicloud_oos_execution_logs.x"
)

func hwRead() string {
	return fmt.Sprintf("data %q \"x\" {\n  screen_record_id = %q\n}\n", "opsaudit_huaweicloud_workspace_desktop_events", emulator.ScreenRecordID(1))
}

func aliRead() string {
	return fmt.Sprintf("data %q \"x\" {\n  execution_id = %q\n}\n", "opsaudit_alicloud_oos_execution_logs", emulator.ExecutionID(1))
}

// idToken is a valid id token of the emulator's identity provider.
func idToken(t *testing.T) string {
	t.Helper()
	tok, err := emulator.IDToken("ci-pipeline", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// tampered is tok with its signature's last character changed.
func tampered(tok string) string {
	last := tok[len(tok)-2]
	repl := byte('A')
	if last == 'A' {
		repl = 'B'
	}
	return tok[:len(tok)-2] + string(repl) + tok[len(tok)-1:]
}

// writeTemp writes content to a new file and returns its path.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func jsonFile(t *testing.T, name string, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, name, string(b))
}

// quoted is `name = "value"` with HCL quoting.
func quoted(name, value string) string { return name + " = " + quotedValue(value) }

// quotedValue is value as an HCL string.
func quotedValue(value string) string { return acctest.HCLString(value) }
