package faulttest_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/secmaster"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// TestCLI_sharedPacing: two provider processes (a provider block and an
// alias of it: Terraform starts a plugin process for each) read one API
// at once under the emulator's gateway limit of 20 requests per second
// for all clients together. With share_pacing (the default) their pacers
// pace the host together through one state file in OPSAUDIT_PACING_DIR,
// and fewer requests are throttled than when each process paces on its
// own (share_pacing = false), which writes no file.
func TestCLI_sharedPacing(t *testing.T) {
	t.Parallel()
	const reads, logs = 3, 1000
	data := emulator.Generate(5, emulator.Sizes{emulator.SizeWorkspaces: 1, emulator.SizeAuditLogsPerWorkspace: logs})
	run := func(share bool) (throttled, requests int) {
		srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{
			APIs: []string{emulator.APIAuditLogs}, Latency: 20 * time.Millisecond, RateLimit: 20}})
		keys := []string{fmt.Sprintf("access_key = %q", emulator.DemoHuaweiAccessKey), fmt.Sprintf("secret_key = %q", emulator.DemoHuaweiSecretKey)}
		block := providerBlock(srv, keys, nil, fmt.Sprintf("share_pacing = %t", share))
		alias := strings.Replace(block, "provider \"opsaudit\" {", "provider \"opsaudit\" {\n  alias = \"b\"", 1)
		cfg := block + alias + fmt.Sprintf(`
data %[1]q "a" {
  count        = %[2]d
  workspace_id = %[3]q
}
data %[1]q "b" {
  provider     = opsaudit.b
  count        = %[2]d
  workspace_id = %[3]q
}
output "n" {
  value = sum([for d in concat(data.%[1]s.a, data.%[1]s.b) : length(d.audit_logs)])
}
`, secmaster.PlaybookAuditLogsTypeName, reads, emulator.WorkspaceID(1))
		dir := t.TempDir()
		w := newWorkdir(t, cfg, transport.PacingDirEnv+"="+dir)
		stdout, stderr, err := w.run(nil, "apply", "-auto-approve", "-input=false", "-no-color")
		if err != nil {
			t.Fatalf("share_pacing = %t: terraform apply: %v\n%s\n%s", share, err, stdout, stderr)
		}
		if want := fmt.Sprintf("n = %d", 2*reads*logs); !strings.Contains(stdout, want) {
			t.Fatalf("share_pacing = %t: output %s, want %s", share, stdout, want)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case share && (len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".json")):
			t.Fatalf("share_pacing = true: %v in the pacing directory, want the host's state file", entries)
		case !share && len(entries) != 0:
			t.Fatalf("share_pacing = false: %v in the pacing directory, want nothing", entries)
		}
		if share {
			b, err := os.ReadFile(dir + "/" + entries[0].Name())
			if err != nil || strings.Contains(string(b), emulator.DemoHuaweiAccessKey) || strings.Contains(entries[0].Name(), emulator.DemoHuaweiAccessKey) {
				t.Fatalf("state file %s: %s (%v), want no key in it", entries[0].Name(), b, err)
			}
		}
		return srv.Throttled(emulator.APIAuditLogs), srv.Requests(emulator.APIAuditLogs)
	}
	st, sn := run(true)
	ot, on := run(false)
	t.Logf("shared: %d of %d requests throttled; each on its own: %d of %d", st, sn, ot, on)
	if st >= ot || st*100 > 15*sn {
		t.Errorf("shared: %d of %d requests throttled; each on its own: %d of %d; want fewer shared, and at most 15%%", st, sn, ot, on)
	}
}
