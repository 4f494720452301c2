package examplestest

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// TestAccKnownValueWarnings: the filters the APIs match exactly without
// enumerating their values (script records `status`, OOS `log_type`) take
// any value, but one the API is not known to return gets a warning at plan
// time naming the known ones, so that `status = "failed"` does not pass a
// "no FAILED records" check in silence. A known value gets no warning.
func TestAccKnownValueWarnings(t *testing.T) {
	tf := terraformCLI(t)
	rc := cliConfig(t)
	srv := acctest.Emulator(t, emulator.Options{})
	var env []string
	for _, e := range srv.ProviderEnv(srv.URL()) {
		env = append(env, e.Name+"="+e.Value)
	}
	config := func(status, logType string) string {
		return terraformBlock + `
provider "opsaudit" {}

data "opsaudit_huaweicloud_workspace_script_execution_records" "x" {
  status = "` + status + `"
}

data "opsaudit_alicloud_oos_execution_logs" "x" {
  execution_id = "exec-0001"
  log_type     = "` + logType + `"
}

output "records" {
  value = data.opsaudit_huaweicloud_workspace_script_execution_records.x.total_count
}
`
	}
	// plan plans cfg, which must succeed, and returns the output of the
	// plan and the warnings of `validate -json` (the plan's output
	// consolidates warnings of the same summary).
	plan := func(t *testing.T, cfg string) (string, []validateDiag) {
		t.Helper()
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "main.tf"), cfg)
		out, err := runCLI(t, tf, dir, cliEnv(rc, env...), "plan", "-input=false", "-no-color")
		if err != nil {
			t.Fatalf("terraform plan: %v (the values must be accepted)\n%s", err, out)
		}
		js, err := runCLI(t, tf, dir, cliEnv(rc, env...), "validate", "-json", "-no-color")
		var v struct {
			Valid       bool           `json:"valid"`
			Diagnostics []validateDiag `json:"diagnostics"`
		}
		start := strings.IndexByte(js, '{')
		if err != nil || start < 0 || json.Unmarshal([]byte(js[start:]), &v) != nil || !v.Valid {
			t.Fatalf("terraform validate -json: %v\n%s", err, js)
		}
		var diags []validateDiag
		for _, d := range v.Diagnostics {
			if d.Summary != "Provider development overrides are in effect" {
				diags = append(diags, d)
			}
		}
		return out, diags
	}
	// The CLI wraps long lines: acctest.DiagnosticPattern matches across
	// whitespace and its box drawing.
	pattern := acctest.DiagnosticPattern

	t.Run("unknown values warn", func(t *testing.T) {
		out, diags := plan(t, config("failed", "Output"))
		if !pattern("Warning: Value the API is not known to return", `status = "failed"`).MatchString(out) {
			t.Errorf("the plan shows no warning:\n%s", out)
		}
		// Still read: the case-sensitive filter matches nothing.
		if !pattern("records = 0").MatchString(out) {
			t.Errorf("the plan does not read 0 records:\n%s", out)
		}
		want := map[string]string{
			"status":   `status = "failed" is not a value the API is known to return (statuses seen for script tasks: "SUCCESS", "FAILED", "RUNNING", "WAITING")`,
			"log_type": `log_type = "Output" is not a value the API is known to return (the values the ListExecutionLogs reference shows: "System", " System")`,
		}
		for _, d := range diags {
			if d.Severity != "warning" || d.Summary != "Value the API is not known to return" {
				t.Errorf("unexpected diagnostic %+v", d)
				continue
			}
			for attr, text := range want {
				if strings.HasPrefix(d.Detail, text) && strings.Contains(d.Detail, "It is sent as given.") {
					delete(want, attr)
				}
			}
		}
		if len(want) > 0 {
			t.Errorf("no warning for %v; diagnostics: %+v", want, diags)
		}
	})
	t.Run("known values do not", func(t *testing.T) {
		out, diags := plan(t, config("FAILED", "System"))
		if strings.Contains(out, "not known to return") || len(diags) != 0 {
			t.Errorf("diagnostics for known values: %+v\n%s", diags, out)
		}
	})
}

// validateDiag is a diagnostic of `terraform validate -json`.
type validateDiag struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
}
