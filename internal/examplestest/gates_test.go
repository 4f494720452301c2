package examplestest

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// gateCase is an example that presents itself as a policy gate: run as a
// pipeline runs it (`terraform plan`), it must exit non-zero on data that
// violates its policy, with a message naming what it found, exit 0 on
// clean data (and its saved plan must survive `terraform show -json`),
// and exit non-zero when the API cannot be reached. The three runs have
// the same configuration and variables; only the emulator behind them
// differs.
type gateCase struct {
	name string
	// dir is the example's directory under examples/; readme > 0:
	// README.md's hcl block number readme (from 1) instead.
	dir    string
	readme int
	vars   map[string]any
	// now: the example's window ends at the time of the plan, so its data
	// must end now (else at emulator.DataEnd).
	now bool
	// files replace files of the module by name (tests of the tests).
	files map[string]string
	// names returns, from the violating data, the texts one of which the
	// failure message must hold (a record it found; for an ephemeral gate,
	// whose message cannot quote the records, what it audited).
	names func(d *emulator.Dataset) []string
}

// gateData is the emulator's default data (ending at end; its exec-0002
// ends with a failed task) plus a screen recording without forbidden
// events: data that violates every gate's policy.
func gateData(end time.Time) *emulator.Dataset {
	d := emulator.GenerateAt(emulator.DefaultSeed, emulator.DefaultSizes(), end)
	addTestData(d)
	// A desktop of rg-01 whose only install-agent run FAILED an hour
	// before end: without a success, it is what the coverage gate names.
	start := end.Add(-time.Hour).UTC()
	d.SetScriptRecords(append(d.ScriptRecords(), emulator.ScriptRecord{
		ScriptRecordAnswer: emulator.ScriptRecordAnswer{
			ID: "ser-gate-1", ScriptID: "script-02", ScriptName: "install-agent", ScriptTaskID: "task-gate-1",
			ResourceID: gateDesktop, ResourceName: "wks-desk-gate", ResourceType: "DESKTOP",
			StartTime: start.Format(time.RFC3339), EndTime: start.Add(time.Minute).Format(time.RFC3339), Status: "FAILED",
			ResultCode: "1", Reason: "the agent package is not signed",
		},
		ResourceGroupID: "rg-01", IsFirstOrder: true, TaskType: "SCRIPT",
	}))
	return d
}

// gateDesktop is the desktop of rg-01 gateData adds, whose only hardening
// run FAILED.
const gateDesktop = "desktop-gate"

// cleanData is gateData with every violation taken out
// (acctest.WithoutViolations): the ids the examples name still exist.
func cleanData(end time.Time) *emulator.Dataset { return acctest.WithoutViolations(gateData(end)) }

// oosErrorPattern is the examples' default error_pattern.
var oosErrorPattern = acctest.OOSErrorPattern

// flat is CLI output with its diagnostic wrapping undone: every run of
// whitespace and the box drawing "│" is one space.
func flat(out string) string {
	return strings.Join(strings.FieldsFunc(out, func(r rune) bool { return r == '│' || r == ' ' || r == '\n' || r == '\t' || r == '\r' }), " ")
}

var conditionFailed = regexp.MustCompile(`Error: [A-Za-z ]*(pre|post)condition failed`)

// gateRun runs gate cases with the CLI tf in the environment env.
type gateRun struct {
	tf  string
	env []string
}

// module writes the case's module, its endpoints pointing at url, into a
// new directory. max_retries = 0 makes an unreachable API fail at once
// (it fails either way).
func (g gateRun) module(t *testing.T, tc gateCase, url string) string {
	t.Helper()
	var dir string
	if tc.readme == 0 {
		dir = copyExample(t, tc.dir)
	} else {
		dir = t.TempDir()
		writeFile(t, filepath.Join(dir, "main.tf"), readmeBlock(t, tc.readme))
	}
	pointAt(t, dir, url, tc.vars)
	writeFile(t, filepath.Join(dir, "opsaudit_retries_override.tf"), "provider \"opsaudit\" {\n  max_retries = 0\n}\n")
	for name, content := range tc.files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	return dir
}

// verdicts runs the three plans of tc and returns what is wrong with
// their outcome (nothing for a gate). violating and clean are emulator
// URLs with the data of gateData and cleanData; dead is an unreachable
// one.
func (g gateRun) verdicts(t *testing.T, tc gateCase, violating, clean, dead string, names []string) []string {
	t.Helper()
	var problems []string
	plan := func(url string, extra ...string) (string, string, error) {
		dir := g.module(t, tc, url)
		out, err := runCLI(t, g.tf, dir, g.env, append([]string{"plan", "-input=false", "-no-color"}, extra...)...)
		return dir, out, err
	}

	_, out, err := plan(violating)
	switch {
	case err == nil:
		problems = append(problems, "violating data: the plan exited 0\n"+out)
	case !conditionFailed.MatchString(out):
		problems = append(problems, "violating data: the plan failed, but not on a pre- or postcondition\n"+out)
	case !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(flat(out), n) }):
		problems = append(problems, fmt.Sprintf("violating data: the message names none of %q\n%s", names, out))
	}

	dir, out, err := plan(clean, "-out=gate.tfplan")
	if err != nil {
		problems = append(problems, fmt.Sprintf("clean data: the plan failed: %v\n%s", err, out))
	} else if js, err := runCLI(t, g.tf, dir, g.env, "show", "-json", "gate.tfplan"); err != nil || !strings.HasPrefix(strings.TrimSpace(js), "{") {
		problems = append(problems, fmt.Sprintf("clean data: show -json of the saved plan failed: %v\n%s", err, js))
	}

	_, out, err = plan(dead)
	switch {
	case err == nil:
		problems = append(problems, "unreachable API: the plan exited 0\n"+out)
	case !strings.Contains(out, "Error: ") || !strings.Contains(out, "connection refused"):
		problems = append(problems, "unreachable API: the plan failed, but not on the refused connection\n"+out)
	}
	return problems
}

// gateEmulators starts an emulator with violating and one with clean data
// for each end, and returns their URLs by end.
type gateEmulators struct {
	violating, clean map[bool]string // by gateCase.now
	data             map[bool]*emulator.Dataset
}

func startGateEmulators(t *testing.T) gateEmulators {
	t.Helper()
	e := gateEmulators{violating: map[bool]string{}, clean: map[bool]string{}, data: map[bool]*emulator.Dataset{}}
	for _, now := range []bool{false, true} {
		end := emulator.DataEnd
		if now {
			end = time.Now()
		}
		e.data[now] = gateData(end)
		e.violating[now] = acctest.Emulator(t, emulator.Options{Data: e.data[now]}).URL()
		e.clean[now] = acctest.Emulator(t, emulator.Options{Data: cleanData(end)}).URL()
	}
	return e
}

// failedHardeningRuns are "script on resource at start" of what the
// hardening checks must find: the latest (not history) records of the
// default hardening scripts in rg-01 that FAILED with a start in
// [end-24h, end].
func failedHardeningRuns(d *emulator.Dataset, end time.Time) []string {
	var out []string
	for _, r := range d.ScriptRecords() {
		st, err := time.Parse(time.RFC3339Nano, r.StartTime)
		if err == nil && !r.History && r.Status == "FAILED" && r.ResourceGroupID == "rg-01" &&
			(r.ScriptName == "install-agent" || r.ScriptName == "rotate-keys") && !st.Before(end.Add(-24*time.Hour)) && !st.After(end) {
			out = append(out, r.ScriptName+" on "+r.ResourceName+" at "+r.StartTime)
		}
	}
	return out
}

// gateCases are every example that presents itself as a policy gate.
func gateCases(t *testing.T) []gateCase {
	t.Helper()
	end := parseTime(t, dataEnd)
	hardening := func(d *emulator.Dataset) []string { return failedHardeningRuns(d, end) }
	events := func(records ...string) func(d *emulator.Dataset) []string {
		return func(d *emulator.Dataset) []string {
			var out []string
			for _, sr := range records {
				for _, e := range d.ScreenRecords()[sr] {
					if e.EventID == "APP_INSTALL" || e.EventID == "HDP_USB" {
						out = append(out, e.EventID+" on "+e.DesktopID+" by "+e.Username, e.EventID+" by "+e.Username+" at "+e.OperationTime)
					}
				}
			}
			return out
		}
	}
	playbooks := func(d *emulator.Dataset) []string {
		var out []string
		for _, l := range d.Workspaces()["ws-0001"] {
			if l.Status == "FAILED" && l.InstanceType == "PLAYBOOK" {
				out = append(out, l.ActionName+" ("+l.InstanceID+")")
			}
		}
		return out
	}
	oosErrors := func(d *emulator.Dataset) []string {
		var out []string
		for _, l := range d.Executions()["exec-0002"] {
			if oosErrorPattern.MatchString(l.Message) {
				out = append(out, "["+l.TaskExecutionID+"] "+l.Message)
			}
		}
		return out
	}
	fixed := func(texts ...string) func(*emulator.Dataset) []string {
		return func(*emulator.Dataset) []string { return texts }
	}
	window := "between 2026-11-19T12:00:00Z and " + dataEnd
	return []gateCase{
		{name: "README/ephemeral", readme: 2, now: true,
			names: fixed("A playbook run FAILED in SecMaster workspace ws-0001 in the last 24 hours.")},
		{name: "README", readme: 1, now: true, names: func(d *emulator.Dataset) []string {
			var out []string
			for _, r := range d.ScriptRecords() {
				st, err := time.Parse(time.RFC3339Nano, r.StartTime)
				if err == nil && !r.History && r.Status == "FAILED" && r.ScriptName == "harden-desktop" && time.Since(st) < 24*time.Hour {
					out = append(out, r.ResourceName)
				}
			}
			return out
		}},
		{name: "policy-checks/hardening-script", dir: "policy-checks/hardening-script",
			vars: map[string]any{"resource_group_id": "rg-01", "window_end": dataEnd}, names: hardening},
		{name: "policy-checks/hardening-coverage", dir: "policy-checks/hardening-coverage",
			vars:  map[string]any{"resource_group_id": "rg-01", "window_end": dataEnd, "desktop_ids": coverageDesktops(t, end)},
			names: fixed("none on " + gateDesktop + ".")},
		{name: "policy-checks/desktop-events", dir: "policy-checks/desktop-events",
			vars: map[string]any{"screen_record_ids": []string{"sr-0001", "sr-0002"}}, names: events("sr-0001", "sr-0002")},
		{name: "policy-checks/playbook-failures", dir: "policy-checks/playbook-failures",
			vars: map[string]any{"workspace_id": "ws-0001", "window_end": dataEnd}, names: playbooks},
		{name: "policy-checks/oos-errors", dir: "policy-checks/oos-errors",
			vars: map[string]any{"execution_ids": []string{"exec-0001", "exec-0002"}}, names: oosErrors},
		{name: "policy-checks/ephemeral/hardening-script", dir: "policy-checks/ephemeral/hardening-script",
			vars:  map[string]any{"resource_group_id": "rg-01", "window_end": dataEnd},
			names: fixed("A hardening script run FAILED in resource group rg-01 " + window)},
		{name: "policy-checks/ephemeral/desktop-events", dir: "policy-checks/ephemeral/desktop-events",
			vars:  map[string]any{"screen_record_ids": []string{"sr-0001", "sr-0002"}},
			names: fixed("is in the audited screen recordings (sr-0001, sr-0002)")},
		{name: "policy-checks/ephemeral/playbook-failures", dir: "policy-checks/ephemeral/playbook-failures",
			vars:  map[string]any{"workspace_id": "ws-0001", "window_end": dataEnd},
			names: fixed("A playbook run FAILED in SecMaster workspace ws-0001 " + window)},
		{name: "policy-checks/ephemeral/oos-errors", dir: "policy-checks/ephemeral/oos-errors",
			vars:  map[string]any{"execution_ids": []string{"exec-0001", "exec-0002"}},
			names: fixed("in the logs of the audited OOS executions (exec-0001, exec-0002)")},
		{name: "docs/script-execution-records", dir: "data-sources/opsaudit_huaweicloud_workspace_script_execution_records",
			vars: map[string]any{"resource_group_id": "rg-01", "window_end": dataEnd}, names: hardening},
		{name: "docs/desktop-events", dir: "data-sources/opsaudit_huaweicloud_workspace_desktop_events",
			vars: map[string]any{"screen_record_id": "sr-0001"}, names: events("sr-0001")},
		{name: "docs/playbook-audit-logs", dir: "data-sources/opsaudit_huaweicloud_secmaster_playbook_audit_logs", names: playbooks},
		{name: "docs/oos-execution-logs", dir: "data-sources/opsaudit_alicloud_oos_execution_logs",
			vars: map[string]any{"execution_id": "exec-0002"}, names: oosErrors},
		{name: "docs/ephemeral/script-execution-records", dir: "ephemeral-resources/opsaudit_huaweicloud_workspace_script_execution_records",
			names: fixed("A hardening script FAILED in resource group rg-01 " + window)},
		{name: "docs/ephemeral/desktop-events", dir: "ephemeral-resources/opsaudit_huaweicloud_workspace_desktop_events",
			names: fixed("An APP_INSTALL or HDP_USB event is in screen recording sr-0001.")},
		{name: "docs/ephemeral/playbook-audit-logs", dir: "ephemeral-resources/opsaudit_huaweicloud_secmaster_playbook_audit_logs",
			names: fixed("A playbook run FAILED in SecMaster workspace ws-0001 " + window)},
		{name: "docs/ephemeral/oos-execution-logs", dir: "ephemeral-resources/opsaudit_alicloud_oos_execution_logs",
			vars: map[string]any{"execution_id": "exec-0002"}, names: fixed("The log of OOS execution exec-0002 has an error line")},
	}
}

// coverageDesktops are the desktops of rg-01 with a successful
// install-agent run in the day before end in the clean data; in the
// violating data gateDesktop is not among the covered ones.
func coverageDesktops(t *testing.T, end time.Time) []string {
	t.Helper()
	all, _ := hardenedDesktops(t, cleanData(end), dataEnd)
	some, _ := hardenedDesktops(t, gateData(end), dataEnd)
	if !slices.Contains(all, gateDesktop) || slices.Contains(some, gateDesktop) {
		t.Fatalf("dataset changed: %s is not covered only in the clean data (clean %v, violating %v)", gateDesktop, all, some)
	}
	return all
}

// readmeExample is README.md's first hcl block.
func readmeExample(t *testing.T) string { t.Helper(); return readmeBlock(t, 1) }

// readmeBlock is README.md's hcl block number n (from 1).
func readmeBlock(t *testing.T, n int) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```hcl\n(.*?)```").FindAllSubmatch(readme, -1)
	if len(m) < n {
		t.Fatalf("README.md has %d hcl blocks, not %d", len(m), n)
	}
	return string(m[n-1][1])
}

// TestAccGateExamples: every example that presents itself as a policy
// check is a gate (see gateCase): README.md's first example, the worked
// checks of examples/policy-checks and their ephemeral forms, and the
// policy-check examples of the data source and ephemeral resource pages.
func TestAccGateExamples(t *testing.T) {
	tf := terraformCLI(t)
	rc := cliConfig(t)
	emus := startGateEmulators(t)
	dead := acctest.DeadURL(t)
	g := gateRun{tf: tf, env: demoEnv(rc)}

	cases := gateCases(t)
	// Every policy-check module and documentation example is here, but
	// policy-checks/opa: its reads carry no condition, the gate is its
	// policies over the plan JSON (conformance/opa tests them: they deny
	// violating data, pass clean data, and the plan fails without the API).
	dirs := []string{"policy-checks/opa"}
	for _, tc := range cases {
		dirs = append(dirs, tc.dir)
	}
	for _, d := range exampleDirs(t) {
		if presentsAsGate(d) && !slices.Contains(dirs, d) {
			t.Errorf("examples/%s is not tested as a gate", d)
		}
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			names := tc.names(emus.data[tc.now])
			if len(names) == 0 {
				t.Fatal("dataset changed: the violating data holds nothing this gate must name")
			}
			for _, p := range g.verdicts(t, tc, emus.violating[tc.now], emus.clean[tc.now], dead, names) {
				t.Error(p)
			}
		})
	}
}

// presentsAsGate reports whether the example directory dir (relative to
// examples/) presents itself as a policy check: the policy-check modules,
// the ephemeral resources' examples (each a gate in an output's
// precondition) and a data source's example directory with a policy-check
// example. A data source's plain example is no gate.
func presentsAsGate(dir string) bool {
	switch {
	case strings.HasPrefix(dir, "policy-checks/"), strings.HasPrefix(dir, "ephemeral-resources/"):
		return true
	case strings.HasPrefix(dir, "data-sources/"):
		_, err := os.Stat(filepath.Join(repoRoot, "examples", dir, "policy-check.tf"))
		return err == nil
	}
	return false
}

// nestInCheck turns src's gate back into a check-nested data source, the
// form the gates replaced: the first top-level data block with a
// lifecycle postcondition (and no for_each) moves into a check block,
// whose assert takes the postcondition's condition and message (self
// becoming the data source's address). src must be formatted (terraform
// fmt) and must not refer to the data source outside it.
func nestInCheck(t *testing.T, src string) string {
	t.Helper()
	lines := strings.Split(src, "\n")
	head := regexp.MustCompile(`^data "([a-z0-9_]+)" "([a-z0-9_]+)" \{$`)
	for i, l := range lines {
		m := head.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		end := slices.Index(lines[i:], "}") + i
		block := lines[i : end+1]
		lc := slices.Index(block, "  lifecycle {")
		if lc < 0 || slices.ContainsFunc(block, func(s string) bool { return strings.HasPrefix(s, "  for_each") }) {
			continue
		}
		lcEnd := slices.Index(block[lc:], "  }") + lc
		pc := slices.Index(block[lc:lcEnd], "    postcondition {") + lc
		pcEnd := slices.Index(block[pc:lcEnd], "    }") + pc
		if pc < lc || pcEnd < pc {
			t.Fatalf("no postcondition in the lifecycle of %s", l)
		}
		var out []string
		out = append(out, lines[:i]...)
		out = append(out, `check "nested_gate" {`)
		for _, b := range slices.Concat(block[:lc], block[lcEnd+1:]) {
			out = append(out, "  "+b)
		}
		out = append(out, "  assert {")
		for _, b := range block[pc+1 : pcEnd] {
			out = append(out, "    "+strings.ReplaceAll(strings.TrimPrefix(b, "      "), "self.", "data."+m[1]+"."+m[2]+"."))
		}
		out = append(out, "  }", "}")
		out = append(out, lines[end+1:]...)
		return strings.Join(out, "\n")
	}
	t.Fatal("no top-level data source with a postcondition")
	return ""
}

// TestAccGateTestsCatchCheckNested: the gate tests fail on an example
// turned back into a check-nested data source, which is what the README
// says of that form. Each single-data-source gate is nested in a check
// block (nestInCheck) and run as TestAccGateExamples runs it: on
// violating data the plan exits 0 (a warning); without the API it exits 0
// too wherever nothing else reads it (README.md's example).
func TestAccGateTestsCatchCheckNested(t *testing.T) {
	tf := terraformCLI(t)
	rc := cliConfig(t)
	emus := startGateEmulators(t)
	dead := acctest.DeadURL(t)
	g := gateRun{tf: tf, env: demoEnv(rc)}

	nested := map[string]string{ // case name: the file to nest
		"README":                        "",
		"docs/script-execution-records": "policy-check.tf",
		"docs/playbook-audit-logs":      "policy-check.tf",
		"docs/oos-execution-logs":       "policy-check.tf",
	}
	for _, tc := range gateCases(t) {
		file, ok := nested[tc.name]
		if !ok {
			continue
		}
		delete(nested, tc.name)
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.readme > 0 {
				tc.files = map[string]string{"main.tf": nestInCheck(t, readmeExample(t))}
			} else {
				b, err := os.ReadFile(filepath.Join(repoRoot, "examples", tc.dir, file))
				if err != nil {
					t.Fatal(err)
				}
				tc.files = map[string]string{file: nestInCheck(t, string(b))}
			}
			problems := g.verdicts(t, tc, emus.violating[tc.now], emus.clean[tc.now], dead, tc.names(emus.data[tc.now]))
			want := []string{"violating data: the plan exited 0"}
			if tc.readme > 0 {
				want = append(want, "unreachable API: the plan exited 0")
			}
			for _, w := range want {
				if !slices.ContainsFunc(problems, func(p string) bool { return strings.HasPrefix(p, w) }) {
					t.Errorf("nested in a check block: the gate tests do not report %q; they report %q", w, problems)
				}
			}
		})
	}
	if len(nested) > 0 {
		t.Errorf("no gate case named %v", slices.Collect(maps.Keys(nested)))
	}
}
