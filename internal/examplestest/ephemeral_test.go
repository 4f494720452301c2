package examplestest

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
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
// under `terraform plan`: a postcondition fails the plan with its fixed
// message, a check block warns with its own, and neither speaks where the
// data is clean.
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
		wantErr: acctest.DiagnosticPattern("Resource postcondition failed", hardening),
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
		wantErr: acctest.DiagnosticPattern("Resource postcondition failed", "A forbidden desktop event: APP_INSTALL in screen recording sr-0001."),
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
		wantErr: acctest.DiagnosticPattern("Resource postcondition failed", playbooks),
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
		wantErr: acctest.DiagnosticPattern("Resource postcondition failed", "An error line is in the log of OOS execution exec-0002."),
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
		wantErr: acctest.DiagnosticPattern("Resource postcondition failed",
			"A hardening script FAILED in resource group rg-01 between 2026-11-19T12:00:00Z and 2026-11-20T12:00:00Z"),
	}, {
		name:   "docs/desktop-events",
		dir:    "ephemeral-resources/opsaudit_huaweicloud_workspace_desktop_events",
		checks: map[string]string{"no_app_install_or_usb": "fail"},
	}, {
		name:    "docs/playbook-audit-logs",
		dir:     "ephemeral-resources/opsaudit_huaweicloud_secmaster_playbook_audit_logs",
		wantErr: acctest.DiagnosticPattern("Resource postcondition failed", "A playbook run FAILED in SecMaster workspace ws-0001"),
	}, {
		name:   "docs/oos-execution-logs",
		dir:    "ephemeral-resources/opsaudit_alicloud_oos_execution_logs",
		checks: map[string]string{"no_oos_errors": "pass"},
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
// shared template, with its example and its schema, an example, and a
// link from its data source's page.
func TestDocsEphemeralResources(t *testing.T) {
	tmpl, err := os.ReadFile(filepath.Join(repoRoot, "templates", "ephemeral-resources.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"{{ tffile .ExampleFile }}", ".SchemaMarkdown", "## Data source or ephemeral resource"} {
		if !bytes.Contains(tmpl, []byte(want)) {
			t.Errorf("templates/ephemeral-resources.md.tmpl lacks %q", want)
		}
	}
	for _, ds := range dataSourceTypes {
		short := strings.TrimPrefix(ds, "opsaudit_")
		if _, err := os.Stat(filepath.Join(repoRoot, "examples", "ephemeral-resources", ds, "ephemeral-resource.tf")); err != nil {
			t.Errorf("%s: %v", ds, err)
		}
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
