package examplestest

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// The fixed end of the emulator's data, and windows on either side of it.
const (
	dataEnd     = "2026-11-20T12:00:00Z"
	beforeData  = "2026-11-10T00:00:00Z"
	cleanRecord = "sr-clean"
)

// dataset is the emulator's default data (whose exec-0002 ends with a
// failed task) plus a screen recording without forbidden events.
func dataset() *emulator.Dataset {
	d := emulator.Generate(emulator.DefaultSeed, emulator.DefaultSizes())
	addTestData(d)
	return d
}

// addTestData adds to d a screen recording without forbidden events.
func addTestData(d *emulator.Dataset) {
	project := d.Projects[emulator.DemoRegionHuawei]
	d.ScreenRecords()[cleanRecord] = []emulator.DesktopEvent{
		{ID: "ev-clean-1", ProjectID: project, DesktopID: "desktop-0009", ScreenRecordID: cleanRecord, Username: "audited",
			EventType: "APP", EventLevel: "INFO", EventID: "APP_START", EventData: "WeLink is started.",
			OperationTime: "2026-11-19 10:00:00", RelativeStartTime: 3},
		{ID: "ev-clean-2", ProjectID: project, DesktopID: "desktop-0009", ScreenRecordID: cleanRecord, Username: "audited",
			EventType: "FILE", EventLevel: "INFO", EventID: "FILE_CREATE", EventData: `C:\report.docx created.`,
			OperationTime: "2026-11-19 10:00:05", RelativeStartTime: 8},
	}
}

func parseTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	return v
}

// failedHardening counts what the hardening checks must find
// (failedHardeningRuns) in the 24 hours before end.
func failedHardening(t *testing.T, d *emulator.Dataset, end string) int {
	t.Helper()
	return len(failedHardeningRuns(d, parseTime(t, end)))
}

// hardenedDesktops are the desktops (resource_id) of rg-01 with a latest
// record of install-agent that SUCCEEDED with a start in [end-24h, end],
// and the number of such records.
func hardenedDesktops(t *testing.T, d *emulator.Dataset, end string) ([]string, int) {
	t.Helper()
	we := parseTime(t, end)
	ws := we.Add(-24 * time.Hour)
	seen := map[string]bool{}
	n := 0
	for _, r := range d.ScriptRecords() {
		st := parseTime(t, r.StartTime)
		if !r.History && r.ResourceGroupID == "rg-01" && r.ScriptName == "install-agent" &&
			r.Status == "SUCCESS" && !st.Before(ws) && !st.After(we) {
			seen[r.ResourceID] = true
			n++
		}
	}
	return slices.Sorted(maps.Keys(seen)), n
}

// failedPlaybooks counts the FAILED PLAYBOOK logs of ws-0001 that started
// at or after start and ended at or before end.
func failedPlaybooks(t *testing.T, d *emulator.Dataset, start, end string) int {
	t.Helper()
	ws, we := parseTime(t, start), parseTime(t, end)
	n := 0
	for _, l := range d.Workspaces()["ws-0001"] {
		if l.InstanceType == "PLAYBOOK" && l.Status == "FAILED" &&
			!parseTime(t, l.StartTime).Before(ws) && !parseTime(t, l.EndTime).After(we) {
			n++
		}
	}
	return n
}

// applyCase is one `apply` of an example against the emulator.
type applyCase struct {
	name string
	dir  string // relative to examples/
	vars map[string]any
	// wantErr: the apply must fail with output matching it.
	wantErr *regexp.Regexp
	// checks: the status ("pass" or "fail") each check block must have.
	checks map[string]string
	verify func(t *testing.T, s *shown)
}

// The worked policy checks and the documentation's policy-check examples
// reach the verdict the emulator's data implies: they fail where the data
// holds what they look for (with the count and the examples the data
// gives), pass where it does not, and the hardening check's postcondition
// stops the apply.
func TestAccPolicyCheckExamples(t *testing.T) {
	tf := terraformCLI(t)
	rc := cliConfig(t)
	data := dataset()
	srv := acctest.Emulator(t, emulator.Options{Data: data})

	hardening := failedHardening(t, data, dataEnd)
	playbooks := failedPlaybooks(t, data, "2026-11-19T12:00:00Z", dataEnd)
	if hardening == 0 || playbooks == 0 || failedHardening(t, data, beforeData) != 0 {
		t.Fatalf("dataset changed: %d failed hardening runs, %d failed playbook runs in the window", hardening, playbooks)
	}
	eventCounts := map[string]int{}
	for _, sr := range []string{"sr-0001", "sr-0002", cleanRecord} {
		for _, id := range []string{"APP_INSTALL", "HDP_USB"} {
			n := 0
			for _, e := range data.ScreenRecords()[sr] {
				if e.EventID == id {
					n++
				}
			}
			eventCounts[sr+"/"+id] = n
		}
	}
	var wantOOSErrors []map[string]string
	for _, l := range data.Executions()["exec-0002"] {
		if !oosErrorPattern.MatchString(l.Message) {
			continue
		}
		wantOOSErrors = append(wantOOSErrors, map[string]string{
			"execution_id": "exec-0002", "task_execution_id": l.TaskExecutionID, "timestamp": l.Timestamp,
			"log_type": l.LogType, "message": l.Message,
		})
	}
	if len(wantOOSErrors) == 0 {
		t.Fatal("dataset changed: the default data has no failed task in exec-0002")
	}
	statusCounts := map[string]int{}
	for _, l := range data.Workspaces()["ws-0001"] {
		statusCounts[l.Status]++
	}
	taskOutput := 0
	for _, l := range data.Executions()["exec-0001"] {
		if l.TaskExecutionID == "exec-0001.t0002" && l.LogType == "System" {
			taskOutput++
		}
	}

	hardened, successes := hardenedDesktops(t, data, dataEnd)
	if len(hardened) < 2 {
		t.Fatalf("dataset changed: %d desktops of rg-01 with a successful install-agent run", len(hardened))
	}
	cases := []applyCase{{
		name:   "hardening-coverage/covered",
		dir:    "policy-checks/hardening-coverage",
		vars:   map[string]any{"resource_group_id": "rg-01", "desktop_ids": hardened, "window_end": dataEnd},
		checks: map[string]string{"hardening_covers_every_desktop": "pass"},
		verify: func(t *testing.T, s *shown) {
			var n int
			var missing []string
			s.output(t, "successful_runs", &n)
			s.output(t, "desktops_without_success", &missing)
			if n != successes || len(missing) != 0 {
				t.Errorf("got %d successful runs and missing %v, want %d and none", n, missing, successes)
			}
		},
	}, {
		// One desktop without a success: the check warns, listing it.
		name:   "hardening-coverage/uncovered-desktop",
		dir:    "policy-checks/hardening-coverage",
		vars:   map[string]any{"resource_group_id": "rg-01", "desktop_ids": append(slices.Clone(hardened), "desktop-9999"), "window_end": dataEnd, "enforce": false},
		checks: map[string]string{"hardening_covers_every_desktop": "fail"},
		verify: func(t *testing.T, s *shown) {
			var missing []string
			s.output(t, "desktops_without_success", &missing)
			if !slices.Equal(missing, []string{"desktop-9999"}) {
				t.Errorf("missing %v, want [desktop-9999]", missing)
			}
		},
	}, {
		// Nothing ran in the window: no FAILED run either, but an empty
		// read is no evidence, and the postcondition fails the plan.
		name:    "hardening-coverage/empty-window",
		dir:     "policy-checks/hardening-coverage",
		vars:    map[string]any{"resource_group_id": "rg-01", "desktop_ids": hardened, "window_end": beforeData},
		wantErr: acctest.DiagnosticPattern("Resource postcondition failed", "No evidence that install-agent succeeded on every desktop of rg-01", "0 successful run(s)"),
	}, {
		name:    "hardening-script/enforced",
		dir:     "policy-checks/hardening-script",
		vars:    map[string]any{"resource_group_id": "rg-01", "window_end": dataEnd},
		wantErr: acctest.DiagnosticPattern("Resource postcondition failed", fmt.Sprintf("%d hardening script run(s) FAILED in resource group rg-01 between 2026-11-19T12:00:00Z and %s", hardening, dataEnd)),
	}, {
		name:   "hardening-script/warn-only",
		dir:    "policy-checks/hardening-script",
		vars:   map[string]any{"resource_group_id": "rg-01", "window_end": dataEnd, "enforce": false},
		checks: map[string]string{"no_failed_hardening_script": "fail"},
		verify: func(t *testing.T, s *shown) {
			var n int
			var runs []string
			s.output(t, "failed_hardening_count", &n)
			s.output(t, "failed_hardening_runs", &runs)
			if n != hardening || len(runs) != min(hardening, 5) {
				t.Errorf("got %d failed runs (%d listed), want %d", n, len(runs), hardening)
			}
		},
	}, {
		name:   "hardening-script/clean-window",
		dir:    "policy-checks/hardening-script",
		vars:   map[string]any{"resource_group_id": "rg-01", "window_end": beforeData},
		checks: map[string]string{"no_failed_hardening_script": "pass"},
		verify: func(t *testing.T, s *shown) {
			var n int
			s.output(t, "failed_hardening_count", &n)
			if n != 0 {
				t.Errorf("got %d failed runs, want 0", n)
			}
		},
	}, {
		name:   "desktop-events/forbidden",
		dir:    "policy-checks/desktop-events",
		vars:   map[string]any{"screen_record_ids": []string{"sr-0001", "sr-0002"}, "enforce": false},
		checks: map[string]string{"no_forbidden_desktop_events": "fail"},
		verify: func(t *testing.T, s *shown) {
			var counts map[string]int
			var events []string
			s.output(t, "forbidden_event_counts", &counts)
			s.output(t, "forbidden_events", &events)
			want := maps.Clone(eventCounts)
			delete(want, cleanRecord+"/APP_INSTALL")
			delete(want, cleanRecord+"/HDP_USB")
			if !maps.Equal(counts, want) {
				t.Errorf("counts: got %v, want %v", counts, want)
			}
			if len(events) != 4*5 || !strings.HasPrefix(events[0], "APP_INSTALL on desktop-0001 by ") {
				t.Errorf("examples: got %d, want 20 starting with sr-0001's first APP_INSTALL: %q", len(events), events)
			}
		},
	}, {
		name:   "desktop-events/clean",
		dir:    "policy-checks/desktop-events",
		vars:   map[string]any{"screen_record_ids": []string{cleanRecord}},
		checks: map[string]string{"no_forbidden_desktop_events": "pass"},
		verify: func(t *testing.T, s *shown) {
			var counts map[string]int
			s.output(t, "forbidden_event_counts", &counts)
			want := map[string]int{cleanRecord + "/APP_INSTALL": 0, cleanRecord + "/HDP_USB": 0}
			if !maps.Equal(counts, want) {
				t.Errorf("counts: got %v, want %v", counts, want)
			}
		},
	}, {
		name:   "playbook-failures/failed",
		dir:    "policy-checks/playbook-failures",
		vars:   map[string]any{"workspace_id": "ws-0001", "window_end": dataEnd, "enforce": false},
		checks: map[string]string{"no_failed_playbook_runs": "fail"},
		verify: func(t *testing.T, s *shown) {
			var n int
			var runs []string
			s.output(t, "failed_playbook_run_count", &n)
			s.output(t, "failed_playbook_runs", &runs)
			if n != playbooks || len(runs) != min(playbooks, 5) {
				t.Errorf("got %d failed runs (%d listed), want %d", n, len(runs), playbooks)
			}
		},
	}, {
		name:   "playbook-failures/clean-window",
		dir:    "policy-checks/playbook-failures",
		vars:   map[string]any{"workspace_id": "ws-0001", "window_end": beforeData},
		checks: map[string]string{"no_failed_playbook_runs": "pass"},
	}, {
		name:   "oos-errors/errors",
		dir:    "policy-checks/oos-errors",
		vars:   map[string]any{"execution_ids": []string{"exec-0001", "exec-0002"}, "enforce": false},
		checks: map[string]string{"no_oos_execution_errors": "fail"},
		verify: func(t *testing.T, s *shown) {
			var lines []map[string]string
			s.output(t, "oos_error_lines", &lines)
			if !reflect.DeepEqual(lines, wantOOSErrors) {
				t.Errorf("error lines: got %v, want %v", lines, wantOOSErrors)
			}
		},
	}, {
		name:   "oos-errors/clean",
		dir:    "policy-checks/oos-errors",
		vars:   map[string]any{"execution_ids": []string{"exec-0001"}},
		checks: map[string]string{"no_oos_execution_errors": "pass"},
	}, {
		// A window without FAILED runs, so that the gate passes and the
		// basic example's output can be read.
		name: "docs/playbook-audit-logs",
		dir:  "data-sources/opsaudit_huaweicloud_secmaster_playbook_audit_logs",
		vars: map[string]any{"window_start": "2026-11-09T00:00:00Z", "window_end": beforeData},
		verify: func(t *testing.T, s *shown) {
			var counts map[string]int
			s.output(t, "playbook_runs_by_status", &counts)
			if !maps.Equal(counts, statusCounts) {
				t.Errorf("status counts: got %v, want %v", counts, statusCounts)
			}
		},
	}, {
		name: "docs/oos-execution-logs",
		dir:  "data-sources/opsaudit_alicloud_oos_execution_logs",
		vars: map[string]any{"execution_id": "exec-0001"},
		verify: func(t *testing.T, s *shown) {
			var lines []string
			s.output(t, "task_output", &lines)
			if len(lines) != taskOutput || taskOutput == 0 {
				t.Errorf("task output: got %d lines, want %d", len(lines), taskOutput)
			}
		},
	}}

	env := demoEnv(rc)

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := exampleAt(t, tc.dir, srv.URL(), tc.vars)
			out, err := runCLI(t, tf, dir, env, "apply", "-auto-approve", "-input=false", "-no-color")
			if tc.wantErr != nil {
				if err == nil || !tc.wantErr.MatchString(out) {
					t.Fatalf("apply: want an error matching %s, got err %v\n%s", tc.wantErr, err, out)
				}
				return
			}
			if err != nil {
				t.Fatalf("apply: %v\n%s", err, out)
			}
			for _, name := range slices.Sorted(maps.Keys(tc.checks)) {
				if warned := checkWarning(name).MatchString(out); warned != (tc.checks[name] == "fail") {
					t.Errorf("check %s: want %s, the CLI warned: %t\n%s", name, tc.checks[name], warned, out)
				}
			}
			js, err := runCLI(t, tf, dir, env, "show", "-json", "-no-color")
			if err != nil {
				t.Fatalf("show: %v\n%s", err, js)
			}
			var s shown
			if err := json.Unmarshal([]byte(js), &s); err != nil {
				t.Fatalf("show -json: %v\n%s", err, js)
			}
			for name, want := range tc.checks {
				if got := s.checkStatus(name); got != want {
					t.Errorf("check %s: status %s, want %s", name, got, want)
				}
			}
			if tc.verify != nil {
				tc.verify(t, &s)
			}
		})
	}
}

// demoEnv is the CLI environment of rc with the emulator's public demo
// credentials and regions of both clouds, given the way a user gives real
// ones: through the provider's environment variables.
func demoEnv(rc string) []string {
	return cliEnv(rc,
		"HW_REGION_NAME="+emulator.DemoRegionHuawei,
		"HW_ACCESS_KEY="+emulator.DemoHuaweiAccessKey,
		"HW_SECRET_KEY="+emulator.DemoHuaweiSecretKey,
		"ALIBABA_CLOUD_REGION="+emulator.DemoRegionAli,
		"ALIBABA_CLOUD_ACCESS_KEY_ID="+emulator.DemoAliAccessKey,
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET="+emulator.DemoAliSecretKey,
	)
}

// exampleAt copies the example at rel (under examples/) into a temporary
// directory pointed at the emulator at url (pointAt), with vars, and
// returns the directory.
func exampleAt(t *testing.T, rel, url string, vars map[string]any) string {
	t.Helper()
	dir := copyExample(t, rel)
	pointAt(t, dir, url, vars)
	return dir
}

// pointAt makes the module in dir read from the emulator at url: every
// endpoint of the provider block points at it, with vars (when not nil)
// as the module's variables. A complete root module gets an override file,
// as a user would write (a default provider configuration may be
// overridden where the module has none); a snippet gets the terraform
// block too.
func pointAt(t *testing.T, dir, url string, vars map[string]any) {
	t.Helper()
	endpoints := fmt.Sprintf(`provider "opsaudit" {
  huaweicloud {
    endpoints = { iam = %[1]q, workspace = %[1]q, secmaster = %[1]q }
  }
  alicloud {
    endpoints = { oos = %[1]q }
  }
}
`, url)
	if hasTerraformBlock(t, dir) {
		writeFile(t, filepath.Join(dir, "opsaudit_override.tf"), endpoints)
	} else {
		writeFile(t, filepath.Join(dir, "opsaudit_test_terraform.tf"), terraformBlock+"\n"+endpoints)
	}
	if vars != nil {
		b, err := json.Marshal(vars)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "opsaudit_test.auto.tfvars.json"), string(b))
	}
}
