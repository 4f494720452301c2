package examplestest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// planCase is one `terraform plan` of an example against the emulator,
// the way a pipeline runs a policy gate.
type planCase struct {
	name string
	dir  string // relative to examples/
	vars map[string]any
	// wantErr: the plan must fail with output matching it.
	wantErr *regexp.Regexp
	// checks: whether the CLI must warn about each check block ("fail")
	// or not ("pass").
	checks map[string]string
}

// The ephemeral forms of the policy checks, and the ephemeral resources'
// documentation examples, reach the verdict the emulator's data implies
// under `terraform plan`: an output's precondition fails the plan with its
// fixed message, a check block warns with its own, and neither speaks
// where the data is clean. (TestAccGateExamples runs each of them on
// clean data and against an unreachable API too.)
func TestAccEphemeralPolicyCheckExamples(t *testing.T) {
	tf := terraformCLI(t)
	rc := cliConfig(t)
	data := dataset()
	srv := acctest.Emulator(t, emulator.Options{Data: data})
	if failedHardening(t, data, dataEnd) == 0 || failedPlaybooks(t, data, "2026-11-19T12:00:00Z", dataEnd) == 0 {
		t.Fatal("dataset changed: no failed hardening or playbook runs in the window")
	}

	hardening := "A hardening script run FAILED in resource group rg-01 between 2026-11-19T12:00:00Z and " + dataEnd + "."
	playbooks := "A playbook run FAILED in SecMaster workspace ws-0001 between 2026-11-19T12:00:00Z and " + dataEnd + "."
	cases := []planCase{{
		name:    "hardening-script/enforced",
		dir:     "policy-checks/ephemeral/hardening-script",
		vars:    map[string]any{"resource_group_id": "rg-01", "window_end": dataEnd},
		wantErr: acctest.DiagnosticPattern("precondition failed", hardening),
	}, {
		name:   "hardening-script/warn-only",
		dir:    "policy-checks/ephemeral/hardening-script",
		vars:   map[string]any{"resource_group_id": "rg-01", "window_end": dataEnd, "enforce": false},
		checks: map[string]string{"no_failed_hardening_script": "fail"},
	}, {
		name:   "hardening-script/clean-window",
		dir:    "policy-checks/ephemeral/hardening-script",
		vars:   map[string]any{"resource_group_id": "rg-01", "window_end": beforeData},
		checks: map[string]string{"no_failed_hardening_script": "pass"},
	}, {
		name:    "desktop-events/enforced",
		dir:     "policy-checks/ephemeral/desktop-events",
		vars:    map[string]any{"screen_record_ids": []string{"sr-0001", cleanRecord}},
		wantErr: acctest.DiagnosticPattern("precondition failed", "A forbidden desktop event (APP_INSTALL, HDP_USB) is in the audited screen recordings (sr-0001, sr-clean)."),
	}, {
		name:   "desktop-events/warn-only",
		dir:    "policy-checks/ephemeral/desktop-events",
		vars:   map[string]any{"screen_record_ids": []string{"sr-0001", cleanRecord}, "enforce": false},
		checks: map[string]string{"no_forbidden_desktop_events": "fail"},
	}, {
		name:   "desktop-events/clean",
		dir:    "policy-checks/ephemeral/desktop-events",
		vars:   map[string]any{"screen_record_ids": []string{cleanRecord}},
		checks: map[string]string{"no_forbidden_desktop_events": "pass"},
	}, {
		name:    "playbook-failures/enforced",
		dir:     "policy-checks/ephemeral/playbook-failures",
		vars:    map[string]any{"workspace_id": "ws-0001", "window_end": dataEnd},
		wantErr: acctest.DiagnosticPattern("precondition failed", playbooks),
	}, {
		name:   "playbook-failures/warn-only",
		dir:    "policy-checks/ephemeral/playbook-failures",
		vars:   map[string]any{"workspace_id": "ws-0001", "window_end": dataEnd, "enforce": false},
		checks: map[string]string{"no_failed_playbook_runs": "fail"},
	}, {
		name:   "playbook-failures/clean-window",
		dir:    "policy-checks/ephemeral/playbook-failures",
		vars:   map[string]any{"workspace_id": "ws-0001", "window_end": beforeData},
		checks: map[string]string{"no_failed_playbook_runs": "pass"},
	}, {
		name:    "oos-errors/enforced",
		dir:     "policy-checks/ephemeral/oos-errors",
		vars:    map[string]any{"execution_ids": []string{"exec-0001", "exec-0002"}},
		wantErr: acctest.DiagnosticPattern("precondition failed", "An error line, or no line at all, is in the logs of the audited OOS executions (exec-0001, exec-0002)."),
	}, {
		name:   "oos-errors/warn-only",
		dir:    "policy-checks/ephemeral/oos-errors",
		vars:   map[string]any{"execution_ids": []string{"exec-0001", "exec-0002"}, "enforce": false},
		checks: map[string]string{"no_oos_execution_errors": "fail"},
	}, {
		name:   "oos-errors/clean",
		dir:    "policy-checks/ephemeral/oos-errors",
		vars:   map[string]any{"execution_ids": []string{"exec-0001"}},
		checks: map[string]string{"no_oos_execution_errors": "pass"},
	}, {
		name: "docs/script-execution-records",
		dir:  "ephemeral-resources/opsaudit_huaweicloud_workspace_script_execution_records",
		wantErr: acctest.DiagnosticPattern("precondition failed",
			"A hardening script FAILED in resource group rg-01 between 2026-11-19T12:00:00Z and 2026-11-20T12:00:00Z"),
	}, {
		name:    "docs/desktop-events",
		dir:     "ephemeral-resources/opsaudit_huaweicloud_workspace_desktop_events",
		wantErr: acctest.DiagnosticPattern("precondition failed", "An APP_INSTALL or HDP_USB event is in screen recording sr-0001."),
	}, {
		name:    "docs/playbook-audit-logs",
		dir:     "ephemeral-resources/opsaudit_huaweicloud_secmaster_playbook_audit_logs",
		wantErr: acctest.DiagnosticPattern("precondition failed", "A playbook run FAILED in SecMaster workspace ws-0001"),
	}}

	env := demoEnv(rc)

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := exampleAt(t, tc.dir, srv.URL(), tc.vars)
			out, err := runCLI(t, tf, dir, env, "plan", "-input=false", "-no-color")
			if tc.wantErr != nil {
				if err == nil || !tc.wantErr.MatchString(out) {
					t.Fatalf("plan: want an error matching %s, got err %v\n%s", tc.wantErr, err, out)
				}
				return
			}
			if err != nil {
				t.Fatalf("plan: %v\n%s", err, out)
			}
			if len(tc.checks) == 0 {
				t.Fatal("a case that passes the plan must say what its check blocks report")
			}
			for name, want := range tc.checks {
				if warned := checkWarning(name).MatchString(out); warned != (want == "fail") {
					t.Errorf("check %s: want %s, the CLI warned: %t\n%s", name, want, warned, out)
				}
			}
		})
	}
}

// Every ephemeral resource has a documentation page rendered from the
// shared template, with its example (its own, or its data source's with
// the ephemeral form beside it) and its schema, and a link from its data
// source's page.
func TestDocsEphemeralResources(t *testing.T) {
	tmpl, err := os.ReadFile(filepath.Join(repoRoot, "templates", "ephemeral-resources.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"{{ tffile .ExampleFile }}", `{{ tffile (printf "examples/data-sources/%s/data-source.tf" .Name) }}`,
		".SchemaMarkdown", "## Data source or ephemeral resource"} {
		if !bytes.Contains(tmpl, []byte(want)) {
			t.Errorf("templates/ephemeral-resources.md.tmpl lacks %q", want)
		}
	}
	for _, ds := range dataSourceTypes {
		short := strings.TrimPrefix(ds, "opsaudit_")
		dsPage, err := os.ReadFile(filepath.Join(repoRoot, "docs", "data-sources", short+".md"))
		if err != nil || !bytes.Contains(dsPage, []byte("(../ephemeral-resources/"+short+".md)")) {
			t.Errorf("docs/data-sources/%s.md does not link to its ephemeral twin (%v)", short, err)
		}
		page, err := os.ReadFile(filepath.Join(repoRoot, "docs", "ephemeral-resources", short+".md"))
		if err != nil {
			t.Errorf("%s: %v (run make generate)", ds, err)
			continue
		}
		for _, want := range []string{"# " + ds + " (Ephemeral Resource)", "ephemeral \"" + ds + "\"", "## Schema",
			"(../data-sources/" + short + ".md)"} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("docs/ephemeral-resources/%s.md lacks %q (run make generate)", short, want)
			}
		}
	}
}

// TestAccEphemeralConditionsAndShowJSON pins what the documentation says
// of the CLI under test (the guide "Policy engines and plan JSON", the
// ephemeral resources' pages): with a condition on an ephemeral resource,
// `show -json` of the saved plan crashes Terraform ("unsupported resource
// mode") and works with OpenTofu; with the condition in an output's
// precondition it works with both; and `terraform test` cannot mock an
// ephemeral resource (Terraform refuses it, OpenTofu 1.11 crashes,
// OpenTofu 1.12 opens it with values it makes up). A CLI that behaves otherwise fails this test, so
// that the documentation is updated with it.
func TestAccEphemeralConditionsAndShowJSON(t *testing.T) {
	tf := terraformCLI(t)
	rc := cliConfig(t)
	srv := acctest.Emulator(t, emulator.Options{Data: dataset()})
	env := demoEnv(rc)
	const read = `
ephemeral "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "failed" {
  workspace_id = "ws-0001"
  status       = "FAILED"
  start_time   = "2026-11-10T00:00:00Z"
  end_time     = "2026-11-10T01:00:00Z"
  max_items    = 1
%s}
`
	const postcondition = `
  lifecycle {
    postcondition {
      condition     = self.total_count == 0
      error_message = "A playbook run FAILED."
    }
  }
`
	const output = `
output "gate" {
  value = "clean"

  precondition {
    condition     = ephemeral.opsaudit_huaweicloud_secmaster_playbook_audit_logs.failed.total_count == 0
    error_message = "A playbook run FAILED."
  }
}
`
	showJSON := func(t *testing.T, config string) (string, error) {
		t.Helper()
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "main.tf"), config)
		pointAt(t, dir, srv.URL(), nil)
		if out, err := runCLI(t, tf, dir, env, "plan", "-input=false", "-no-color", "-out=p.tfplan"); err != nil {
			t.Fatalf("plan (the window is clean): %v\n%s", err, out)
		}
		return runCLI(t, tf, dir, env, "show", "-json", "p.tfplan")
	}

	t.Run("condition on the ephemeral resource", func(t *testing.T) {
		t.Parallel()
		out, err := showJSON(t, fmt.Sprintf(read, postcondition))
		crashed := err != nil && strings.Contains(out, "panic: unsupported resource mode")
		if crashed == isOpenTofu() {
			t.Fatalf("show -json: crashed %t (err %v), documented: Terraform crashes, OpenTofu does not; update the documentation\n%.2000s", crashed, err, out)
		}
	})
	t.Run("output precondition", func(t *testing.T) {
		t.Parallel()
		if out, err := showJSON(t, fmt.Sprintf(read, "")+output); err != nil || !strings.HasPrefix(strings.TrimSpace(out), "{") {
			t.Fatalf("show -json: %v\n%.2000s", err, out)
		}
	})
	t.Run("mock_provider", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "main.tf"), terraformBlock+fmt.Sprintf(read, "")+output)
		writeFile(t, filepath.Join(dir, "mock.tftest.hcl"), "mock_provider \"opsaudit\" {}\n\nrun \"mocked\" {\n  command = plan\n}\n")
		out, err := runCLI(t, tf, dir, env, "test", "-no-color")
		if isOpenTofu() {
			if minor := cliMinor(t, tf, env); minor < 12 {
				if err == nil || !strings.Contains(out, "OpenTofu crashed!") {
					t.Fatalf("OpenTofu 1.%d: want the documented crash on a mocked ephemeral resource: %v\n%s", minor, err, out)
				}
				return
			}
			if err != nil || !strings.Contains(out, "1 passed, 0 failed") {
				t.Fatalf("OpenTofu: want the mocked ephemeral resource opened: %v\n%s", err, out)
			}
			return
		}
		if err == nil || !strings.Contains(strings.Join(strings.Fields(out), " "), "does not yet support ephemeral resource types") {
			t.Fatalf("Terraform: want the mock refused as documented: %v\n%s", err, out)
		}
	})
}

// cliMinor is the minor version of the 1.x CLI tf.
func cliMinor(t *testing.T, tf string, env []string) int {
	t.Helper()
	out, err := runCLI(t, tf, t.TempDir(), env, "version")
	m := regexp.MustCompile(`(?m)^(?:Terraform|OpenTofu) v1\.(\d+)\.`).FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("%s version: %v\n%s", tf, err, out)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}
