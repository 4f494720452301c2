package faulttest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/secmaster"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// TestCLI_sharedPacing: two provider processes (a provider block and an
// alias of it: Terraform starts a plugin process for each) read one API
// at once under the emulator's gateway limit of 20 requests per second
// for all clients together. With share_pacing (the default) their pacers
// pace the host together through one state file in OPSAUDIT_PACING_DIR:
// once the limit is found (the first burst of both is throttled) they
// send at one rate, and nothing more is throttled. Each on its own
// (share_pacing = false, which writes no file), each paces up to the
// stated limit and the two keep meeting it.
func TestCLI_sharedPacing(t *testing.T) {
	t.Parallel()
	const reads, logs = 2, 2000
	data := emulator.Generate(5, emulator.Sizes{emulator.SizeWorkspaces: 1, emulator.SizeAuditLogsPerWorkspace: logs})
	run := func(share bool) (late, throttled, requests int) {
		emu, err := emulator.New(emulator.Options{Data: data, Faults: emulator.Faults{
			APIs: []string{emulator.APIAuditLogs}, Latency: 20 * time.Millisecond, RateLimit: 20}})
		if err != nil {
			t.Fatal(err)
		}
		// The time of every throttling answer, from the first request.
		var mu sync.Mutex
		var first time.Time
		var throttles []time.Duration
		h := emu.Handler()
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			if first.IsZero() {
				first = time.Now()
			}
			mu.Unlock()
			sw := &statusRecorder{ResponseWriter: w}
			h.ServeHTTP(sw, r)
			if sw.status == http.StatusTooManyRequests {
				mu.Lock()
				throttles = append(throttles, time.Since(first))
				mu.Unlock()
			}
		}))
		defer hs.Close()
		block := fmt.Sprintf(`
provider "opsaudit" {
  huaweicloud {
    region     = %[2]q
    project_id = %[3]q
    access_key = %[4]q
    secret_key = %[5]q
    endpoints  = { iam = %[1]q, secmaster = %[1]q }
  }
  share_pacing = %[6]t
}
`, hs.URL, emulator.DemoRegionHuawei, emulator.ProjectID(emulator.DemoRegionHuawei),
			emulator.DemoHuaweiAccessKey, emulator.DemoHuaweiSecretKey, share)
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
			b, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
			if err != nil || strings.Contains(string(b), emulator.DemoHuaweiAccessKey) || strings.Contains(entries[0].Name(), emulator.DemoHuaweiAccessKey) {
				t.Fatalf("state file %s: %s (%v), want no key in it", entries[0].Name(), b, err)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for _, d := range throttles {
			if d > 2*time.Second {
				late++
			}
		}
		return late, len(throttles), emu.Requests(emulator.APIAuditLogs)
	}
	sl, st, sn := run(true)
	ol, ot, on := run(false)
	t.Logf("shared: %d of %d requests throttled, %d after the first 2 s; each on its own: %d of %d, %d after 2 s", st, sn, sl, ot, on, ol)
	if sl > 1 {
		t.Errorf("shared: %d requests throttled after the first 2 s (%d of %d in all), want the processes at one rate once the limit is known", sl, st, sn)
	}
}

// statusRecorder records the status an answer was given.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
