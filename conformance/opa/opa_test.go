package opa

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// repoRoot is the provider's repository, relative to this package.
const repoRoot = "../.."

var (
	example   = filepath.Join(repoRoot, "examples", "policy-checks", "opa")
	policyDir = filepath.Join(example, "policy")
	fixture   = filepath.Join(repoRoot, "examples", "policy-checks", "fixture.json")
)

// vars are the audited objects: in the fixture, rg-01 has a FAILED
// install-agent run, sr-0001 an APP_INSTALL and sr-0002 an HDP_USB event,
// ws-0001 a FAILED playbook run, exec-0002 two failed tasks, all in the
// 24 hours before window_end.
var vars = map[string]any{
	"resource_group_id": "rg-01",
	"screen_record_ids": []string{"sr-0001", "sr-0002"},
	"workspace_id":      "ws-0001",
	"execution_ids":     []string{"exec-0001", "exec-0002"},
	"window_end":        "2026-11-20T12:00:00Z",
}

// cli is the Terraform (or OpenTofu) CLI of the test environment
// (acctest.CLI: make conformance runs under scripts/testenv.sh, as make
// test does).
func cli(t *testing.T) string {
	t.Helper()
	tf, err := acctest.CLI()
	if err != nil {
		t.Fatal(err)
	}
	return tf
}

var (
	buildDir  string // made and removed by TestMain
	buildOnce sync.Once
	rcFile    string
	buildErr  error
)

// TestMain makes the directory the provider is built into (once, by the
// first test that needs it) and removes it at the end.
func TestMain(m *testing.M) {
	var err error
	if buildDir, err = os.MkdirTemp("", "opsaudit-opa-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(buildDir)
	os.Exit(code)
}

// cliConfig builds the provider once and returns a CLI configuration with
// a dev_overrides entry for it.
func cliConfig(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() { rcFile, buildErr = acctest.DevOverride(t.Context(), buildDir) })
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return rcFile
}

// module writes the example's reads into a new directory, every endpoint
// at url, with vars and any extra files.
func module(t *testing.T, url string, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(example, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(vars)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"main.tf":                string(src),
		"audit.auto.tfvars.json": string(b),
		"endpoints_override.tf": fmt.Sprintf(`provider "opsaudit" {
  huaweicloud {
    endpoints = { iam = %[1]q, workspace = %[1]q, secmaster = %[1]q }
  }
  alicloud {
    endpoints = { oos = %[1]q }
  }
  max_retries = 0
}
`, url),
	}
	for name, content := range extra {
		files[name] = content
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run runs the CLI in dir with the emulator's demo credentials and
// returns its combined output.
func run(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	// The pacers' shared state (share_pacing) in the test's directory.
	env := acctest.CLIEnv(cliConfig(t), t.TempDir(),
		"HW_REGION_NAME="+emulator.DemoRegionHuawei, "HW_ACCESS_KEY="+emulator.DemoHuaweiAccessKey, "HW_SECRET_KEY="+emulator.DemoHuaweiSecretKey,
		"ALIBABA_CLOUD_REGION="+emulator.DemoRegionAli, "ALIBABA_CLOUD_ACCESS_KEY_ID="+emulator.DemoAliAccessKey,
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET="+emulator.DemoAliSecretKey)
	cmd := exec.CommandContext(t.Context(), cli(t), args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// planJSON plans the module in dir and returns `show -json` of the saved
// plan, decoded.
func planJSON(t *testing.T, dir string) map[string]any {
	t.Helper()
	if out, err := run(t, dir, "plan", "-input=false", "-no-color", "-out=plan.tfplan"); err != nil {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(t.Context(), cli(t), "show", "-json", "plan.tfplan")
	cmd.Dir = dir
	cmd.Env = acctest.CLIEnv(cliConfig(t), t.TempDir())
	js, err := cmd.Output()
	if err != nil {
		t.Fatalf("show -json: %v", err)
	}
	var plan map[string]any
	if err := json.Unmarshal(js, &plan); err != nil {
		t.Fatalf("show -json: %v\n%s", err, js)
	}
	return plan
}

// denials evaluates every policy of examples/policy-checks/opa/policy on
// plan, as `opa eval -d policy -i plan.json data.opsaudit` would, and
// returns each package's deny messages, sorted.
func denials(t *testing.T, plan map[string]any) map[string][]string {
	t.Helper()
	pq, err := rego.New(rego.Query("data.opsaudit"), rego.Load([]string{policyDir}, nil)).PrepareForEval(t.Context())
	if err != nil {
		t.Fatalf("the policies do not compile: %v", err)
	}
	rs, err := pq.Eval(t.Context(), rego.EvalInput(plan))
	if err != nil || len(rs) != 1 || len(rs[0].Expressions) != 1 {
		t.Fatalf("eval: %v (%v)", err, rs)
	}
	pkgs, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		t.Fatalf("data.opsaudit is %T", rs[0].Expressions[0].Value)
	}
	out := map[string][]string{}
	for name, v := range pkgs {
		doc, _ := v.(map[string]any)
		deny, ok := doc["deny"].([]any)
		if !ok {
			continue
		}
		var msgs []string
		for _, m := range deny {
			msgs = append(msgs, fmt.Sprint(m))
		}
		sort.Strings(msgs)
		out[name] = msgs
	}
	return out
}

// policies are the packages with a deny rule: one per data source, and
// the reads left for the apply.
var policies = []string{"deferred", "desktop_events", "oos_execution_logs", "playbook_audit_logs", "script_execution_records"}

// clean is the fixture with every violation taken out: FAILED runs
// SUCCEEDED or FINISHED, no APP_INSTALL or HDP_USB event, no failed task.
func clean(d *emulator.Dataset) *emulator.Dataset { return acctest.WithoutViolations(d) }

func load(t *testing.T) *emulator.Dataset {
	t.Helper()
	d, err := emulator.LoadFixture(fixture)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestPoliciesDenyFailedRecords: over the plan JSON of the example's reads
// against the fixture, each data source's policy denies, naming the
// records: the FAILED hardening run and playbook run (by total_count of
// the reads filtered to FAILED), the forbidden events, the failed OOS
// tasks; nothing is left for the apply.
func TestPoliciesDenyFailedRecords(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{Data: load(t)})
	got := denials(t, planJSON(t, module(t, srv.URL(), nil)))
	want := map[string][]*regexp.Regexp{
		"script_execution_records": {regexp.MustCompile(`^data\.opsaudit_huaweicloud_workspace_script_execution_records\.failed_hardening: 1 script run\(s\) FAILED, e\.g\. install-agent on wks-desk-0001 at 2026-11-20T03:00:00\.000Z$`)},
		"desktop_events": {
			regexp.MustCompile(`^data\.opsaudit_huaweicloud_workspace_desktop_events\.forbidden\["sr-0001/APP_INSTALL"\]: 1 APP_INSTALL event\(s\) in screen recording sr-0001, e\.g\. APP_INSTALL on desktop-0001 by zhangsan at `),
			regexp.MustCompile(`^data\.opsaudit_huaweicloud_workspace_desktop_events\.forbidden\["sr-0002/HDP_USB"\]: 1 HDP_USB event\(s\) in screen recording sr-0002`),
		},
		"playbook_audit_logs": {regexp.MustCompile(`^data\.opsaudit_huaweicloud_secmaster_playbook_audit_logs\.failed: 1 playbook run\(s\) FAILED in workspace ws-0001, e\.g\. BlockIp \(inst-fx-0001\): firewall API refused the connection$`)},
		"oos_execution_logs": {
			regexp.MustCompile(`^data\.opsaudit_alicloud_oos_execution_logs\.audited\["exec-0002"\]: execution exec-0002: \S+ \[exec-0002\.t0001\] The task runCommand failed: exit code 1\.$`),
			regexp.MustCompile(`^data\.opsaudit_alicloud_oos_execution_logs\.audited\["exec-0002"\]: execution exec-0002: \S+ \[exec-0002\.t0002\] The task stopInstance failed: `),
		},
		"deferred": nil,
	}
	for _, p := range policies {
		msgs := got[p]
		if len(msgs) != len(want[p]) {
			t.Errorf("%s: %d denials, want %d: %q", p, len(msgs), len(want[p]), msgs)
			continue
		}
		for i, re := range want[p] {
			if !re.MatchString(msgs[i]) {
				t.Errorf("%s: denial %q does not match %s", p, msgs[i], re)
			}
		}
	}
}

// TestPoliciesPassCleanData: over the plan JSON of the same reads against
// the fixture without its violations, no policy denies. The plan also
// has a read nested in a check block, and where each read is in the JSON
// is what the guide "Policy engines and plan JSON" says: a top-level read
// only in prior_state.values.root_module.resources (mode "data"), a
// nested one there and in planned_values and resource_changes.
func TestPoliciesPassCleanData(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{Data: clean(load(t))})
	nested := `check "nested" {
  data "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "nested" {
    workspace_id = var.workspace_id
    status       = "FINISHED"
    max_items    = 1
  }

  assert {
    condition     = data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.nested.total_count >= 0
    error_message = "unreachable"
  }
}
`
	plan := planJSON(t, module(t, srv.URL(), map[string]string{"nested.tf": nested}))
	got := denials(t, plan)
	for _, p := range policies {
		if _, ok := got[p]; !ok {
			t.Errorf("no package opsaudit.%s with a deny rule", p)
		}
		if len(got[p]) != 0 {
			t.Errorf("%s denies clean data: %q", p, got[p])
		}
	}

	const (
		top  = "data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.failed"
		nest = "data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.nested"
	)
	where := map[string][]string{}
	collect := func(section string, list any, values func(map[string]any) bool) {
		items, _ := list.([]any)
		for _, it := range items {
			m, _ := it.(map[string]any)
			if m["mode"] == "data" && values(m) {
				where[fmt.Sprint(m["address"])] = append(where[fmt.Sprint(m["address"])], section)
			}
		}
	}
	hasTotal := func(v any) bool { m, _ := v.(map[string]any); _, ok := m["total_count"]; return ok }
	dig := func(keys ...string) any {
		var v any = plan
		for _, k := range keys {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		return v
	}
	collect("prior_state", dig("prior_state", "values", "root_module", "resources"), func(m map[string]any) bool { return hasTotal(m["values"]) })
	collect("planned_values", dig("planned_values", "root_module", "resources"), func(m map[string]any) bool { return hasTotal(m["values"]) })
	collect("resource_changes", dig("resource_changes"), func(m map[string]any) bool {
		c, _ := m["change"].(map[string]any)
		return hasTotal(c["after"])
	})
	if w := where[top]; !slices.Equal(w, []string{"prior_state"}) {
		t.Errorf("%s (top level) is in %v, want prior_state only", top, w)
	}
	if w := where[nest]; !slices.Equal(w, []string{"prior_state", "planned_values", "resource_changes"}) {
		t.Errorf("%s (nested in a check) is in %v, want prior_state, planned_values and resource_changes", nest, w)
	}
}

// TestPlanStopsWithoutTheAPI: when the API cannot be reached, the plan of
// the reads fails, so a pipeline stops before any policy engine runs (a
// read nested in a check block would only warn, and the policies would
// judge a plan without it).
func TestPlanStopsWithoutTheAPI(t *testing.T) {
	out, err := run(t, module(t, acctest.DeadURL(t), nil), "plan", "-input=false", "-no-color", "-out=plan.tfplan")
	if err == nil || !strings.Contains(out, "connection refused") {
		t.Fatalf("plan without the API: want it to fail on the refused connection, got %v\n%s", err, out)
	}
}

// TestPoliciesDenyDeferredReads: a read whose arguments depend on a
// resource not created yet is left for the apply, and the plan JSON holds
// no values of it (only resource_changes, action "read", after_unknown):
// the policies deny it rather than pass a verdict they could not reach.
func TestPoliciesDenyDeferredReads(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{Data: clean(load(t))})
	later := `resource "terraform_data" "workspace" {
  input = var.workspace_id
}

data "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "later" {
  workspace_id = terraform_data.workspace.output
  status       = "FAILED"
  max_items    = 1
}
`
	got := denials(t, planJSON(t, module(t, srv.URL(), map[string]string{"later.tf": later})))
	want := []string{"data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.later is read only at apply time: the plan holds no values to judge"}
	if !slices.Equal(got["deferred"], want) {
		t.Errorf("deferred: %q, want %q", got["deferred"], want)
	}
	for _, p := range policies {
		if p != "deferred" && len(got[p]) != 0 {
			t.Errorf("%s denies clean data: %q", p, got[p])
		}
	}
}

// TestPoliciesDenyUnfilteredAndCutReads: the rules for reads the example
// does not make, as the guide says of them. A read not filtered on the
// server is judged by what it returned (status_counts, the events), and
// one that max_items cut short is denied (it could hide a failure), as is
// an OOS log that max_items may have cut, even of a clean execution, and
// one without lines.
func TestPoliciesDenyUnfilteredAndCutReads(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{Data: load(t)})
	reads := `data "opsaudit_huaweicloud_workspace_script_execution_records" "unfiltered" {
  resource_group_ids = [var.resource_group_id]
}

data "opsaudit_huaweicloud_workspace_script_execution_records" "cut" {
  resource_group_ids = [var.resource_group_id]
  max_items          = 1
}

data "opsaudit_huaweicloud_workspace_desktop_events" "unfiltered" {
  screen_record_id = "sr-0001"
}

data "opsaudit_huaweicloud_workspace_desktop_events" "cut" {
  screen_record_id = "sr-0001"
  max_items        = 1
}

data "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "unfiltered" {
  workspace_id = var.workspace_id
}

data "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "cut" {
  workspace_id = var.workspace_id
  max_items    = 1
}

data "opsaudit_alicloud_oos_execution_logs" "cut" {
  execution_id = "exec-0001"
  max_items    = 1
}

data "opsaudit_alicloud_oos_execution_logs" "none" {
  execution_id      = "exec-0001"
  task_execution_id = "exec-0001.none"
}
`
	got := denials(t, planJSON(t, module(t, srv.URL(), map[string]string{"more_reads.tf": reads})))
	want := map[string][]*regexp.Regexp{
		"script_execution_records": {
			regexp.MustCompile(`^data\.opsaudit_huaweicloud_workspace_script_execution_records\.unfiltered: [1-9]\d* script run\(s\) FAILED$`),
			regexp.MustCompile(`^data\.opsaudit_huaweicloud_workspace_script_execution_records\.cut: 1 of [2-9]\d* records read \(max_items\): status_counts is partial`),
		},
		"desktop_events": {
			regexp.MustCompile(`^data\.opsaudit_huaweicloud_workspace_desktop_events\.unfiltered: APP_INSTALL on desktop-0001 by zhangsan at `),
			regexp.MustCompile(`^data\.opsaudit_huaweicloud_workspace_desktop_events\.cut: 1 of 2 events read \(max_items\)`),
		},
		"playbook_audit_logs": {
			regexp.MustCompile(`^data\.opsaudit_huaweicloud_secmaster_playbook_audit_logs\.unfiltered: [1-9]\d* playbook run\(s\) FAILED in workspace ws-0001$`),
			regexp.MustCompile(`^data\.opsaudit_huaweicloud_secmaster_playbook_audit_logs\.cut: 1 of 3 logs read \(max_items\): status_counts is partial`),
		},
		"oos_execution_logs": {
			regexp.MustCompile(`^data\.opsaudit_alicloud_oos_execution_logs\.cut: max_items = 1 may have cut the log of execution exec-0001: read it whole$`),
			regexp.MustCompile(`^data\.opsaudit_alicloud_oos_execution_logs\.none: execution exec-0001 has no log line: nothing to judge it by$`),
		},
	}
	for p, res := range want {
		for _, re := range res {
			if !slices.ContainsFunc(got[p], re.MatchString) {
				t.Errorf("%s: no denial matches %s: %q", p, re, got[p])
			}
		}
	}
}
