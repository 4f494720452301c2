package oos_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/oos"
)

const (
	ds       = acctest.DataSource(oos.ExecutionLogsTypeName)
	pageSize = 50
)

// str is the argument name set to the string v.
func str(name, v string) acctest.Arg { return acctest.StringArg(name, v) }

func logsCheck(logs []emulator.ExecutionLog) knownvalue.Check {
	checks := make([]knownvalue.Check, len(logs))
	for i, l := range logs {
		checks[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"task_execution_id": knownvalue.StringExact(l.TaskExecutionID),
			"message":           knownvalue.StringExact(l.Message),
			"log_type":          knownvalue.StringExact(l.LogType),
			"timestamp":         knownvalue.StringExact(l.Timestamp),
		})
	}
	return knownvalue.ListExact(checks)
}

func resultChecks(name string, logs []emulator.ExecutionLog) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(ds.Address(name), tfjsonpath.New("execution_logs"), logsCheck(logs)),
		acctest.ExpectIDForm(ds.Address(name)),
	}
}

// filtered mirrors the emulator: TaskExecutionId and LogType match exactly.
func filtered(logs []emulator.ExecutionLog, task, logType string) []emulator.ExecutionLog {
	var out []emulator.ExecutionLog
	for _, l := range logs {
		if (task == "" || l.TaskExecutionID == task) && (logType == "" || l.LogType == logType) {
			out = append(out, l)
		}
	}
	return out
}

// checkRequests checks every request of a read of execution: a POST to /
// with the action in the headers, an empty body, the filters, MaxResults
// 50 and the region; and that each read made exactly pages requests.
func checkRequests(t *testing.T, reqs []emulator.RecordedRequest, execution, region string, filters map[string]string, pages int) {
	t.Helper()
	var mine []emulator.RecordedRequest
	for _, r := range reqs {
		if acctest.Query(t, r).Get("ExecutionId") == execution {
			mine = append(mine, r)
		}
	}
	reads := 0
	for i, r := range mine {
		q := acctest.Query(t, r)
		if r.Method != http.MethodPost || r.Path != "/" || len(r.Body) != 0 {
			t.Errorf("request %d: %s %s with %d body bytes, want POST / with an empty body", i, r.Method, r.Path, len(r.Body))
		}
		if r.Header.Get("x-acs-action") != "ListExecutionLogs" || r.Header.Get("x-acs-version") != "2019-06-01" {
			t.Errorf("request %d: action %q version %q", i, r.Header.Get("x-acs-action"), r.Header.Get("x-acs-version"))
		}
		if q.Get("MaxResults") != "50" || q.Get("RegionId") != region {
			t.Errorf("request %d: MaxResults %q RegionId %q, want 50 and %s", i, q.Get("MaxResults"), q.Get("RegionId"), region)
		}
		for _, k := range []string{"TaskExecutionId", "LogType"} {
			if got, want := q[k], filters[k]; (want == "" && got != nil) || (want != "" && (len(got) != 1 || got[0] != want)) {
				t.Errorf("request %d: %s = %q, want %q", i, k, got, want)
			}
		}
		if q.Get("NextToken") == "" {
			reads++
		}
	}
	if reads == 0 {
		t.Fatalf("no first-page request for %s", execution)
	}
	if len(mine) != reads*pages {
		t.Errorf("%s: %d requests for %d reads, want %d per read", execution, len(mine), reads, pages)
	}
}

// TestAccExecutionLogs_allPages reads three pages and compares every log
// entry, in order, with the dataset.
func TestAccExecutionLogs_allPages(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{})
	exec := emulator.ExecutionID(1)
	logs := srv.Data().Executions()[exec]
	if len(logs) <= 2*pageSize {
		t.Fatalf("%d logs; the test needs three pages", len(logs))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) +
				ds.Block("all", str("execution_id", exec)) +
				ds.Block("again", str("execution_id", exec)) +
				ds.Block("other", str("execution_id", emulator.ExecutionID(2))),
			ConfigStateChecks: append(resultChecks("all", logs),
				acctest.CompareIDs(ds.Address("all"), ds.Address("again"), compare.ValuesSame()),
				acctest.CompareIDs(ds.Address("all"), ds.Address("other"), compare.ValuesDiffer()),
			),
		}},
	})
	checkRequests(t, srv.Recorded(emulator.APIExecutionLogs), exec, emulator.DemoRegionAli, nil, (len(logs)+pageSize-1)/pageSize)
}

// TestAccExecutionLogs_filters: task_execution_id and log_type, alone and
// together, with values that need escaping.
func TestAccExecutionLogs_filters(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{})
	exec := emulator.ExecutionID(1)
	logs := srv.Data().Executions()[exec]
	hostileTask := exec + ".t0003 " + emulator.HostileText
	cases := []struct {
		name, task, logType string
	}{
		{"task", hostileTask, ""},
		{"type", "", "Output"},
		{"hostile_type", "", emulator.HostileLogType},
		{"both", exec + ".t0002", "Task"},
	}
	config := acctest.ProviderConfig(srv)
	var checks []statecheck.StateCheck
	for _, c := range cases {
		want := filtered(logs, c.task, c.logType)
		if len(want) == 0 || len(want) == len(logs) {
			t.Fatalf("case %s keeps %d of %d logs; pick values that select", c.name, len(want), len(logs))
		}
		attrs := []acctest.Arg{str("execution_id", exec)}
		if c.task != "" {
			attrs = append(attrs, str("task_execution_id", c.task))
		}
		if c.logType != "" {
			attrs = append(attrs, str("log_type", c.logType))
		}
		config += ds.Block(c.name, attrs...)
		checks = append(checks, resultChecks(c.name, want)...)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: checks}},
	})
	seen := map[string]bool{}
	for _, r := range srv.Recorded(emulator.APIExecutionLogs) {
		q := acctest.Query(t, r)
		seen[q.Get("TaskExecutionId")+"|"+q.Get("LogType")] = true
	}
	for _, c := range cases {
		if !seen[c.task+"|"+c.logType] {
			t.Errorf("no request with TaskExecutionId %q and LogType %q", c.task, c.logType)
		}
	}
}

// TestAccExecutionLogs_maxItems stops as soon as enough entries are in
// hand: 60 entries take two requests, 50 exactly one.
func TestAccExecutionLogs_maxItems(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{})
	one, two := emulator.ExecutionID(1), emulator.ExecutionID(2)
	data := srv.Data().Executions()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) +
				ds.Block("sixty", str("execution_id", one), acctest.ExprArg("max_items", "60")) +
				ds.Block("fifty", str("execution_id", two), acctest.ExprArg("max_items", "50")),
			ConfigStateChecks: append(resultChecks("sixty", data[one][:60]), resultChecks("fifty", data[two][:50])...),
		}},
	})
	reqs := srv.Recorded(emulator.APIExecutionLogs)
	checkRequests(t, reqs, one, emulator.DemoRegionAli, nil, 2)
	checkRequests(t, reqs, two, emulator.DemoRegionAli, nil, 1)
}

// TestAccExecutionLogs_unknownExecution: EntityNotExists.Execution reaches
// the user with the HTTP status, code, message and RequestId.
func TestAccExecutionLogs_unknownExecution(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{})
	want := regexp.MustCompile(acctest.DiagnosticPattern(
		"Unable to list OOS execution logs",
		"HTTP status: 404",
		"Error code: EntityNotExists.Execution",
		"Error message: The specific execution exec-9999 does not exist.",
	).String() + `.*Request[\s│]+ID:[\s│]+[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}`)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config:      acctest.ProviderConfig(srv) + ds.Block("x", str("execution_id", "exec-9999")),
			ExpectError: want,
		}},
	})
	acctest.CheckStatuses(t, srv.Recorded(emulator.APIExecutionLogs), http.StatusNotFound)
}

// TestAccExecutionLogs_repeatedToken: an API that keeps answering the same
// NextToken fails the read clearly after two requests instead of looping.
func TestAccExecutionLogs_repeatedToken(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{Faults: emulator.Faults{RepeatToken: true}})
	exec := emulator.ExecutionID(1)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) + ds.Block("x", str("execution_id", exec)),
			ExpectError: acctest.DiagnosticPattern("Unable to list OOS execution logs",
				"pagination token repeated after 2 pages", "the API did not advance"),
		}},
	})
	checkRequests(t, srv.Recorded(emulator.APIExecutionLogs), exec, emulator.DemoRegionAli, nil, 2)
}

// TestAccExecutionLogs_throttled: with every second request answered
// Throttling.User, retries still give the complete result.
func TestAccExecutionLogs_throttled(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{})
	srv.SetFaults(emulator.Faults{ThrottleEvery: 2})
	exec := emulator.ExecutionID(2)
	logs := srv.Data().Executions()[exec]
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config:            acctest.ProviderConfig(srv) + ds.Block("x", str("execution_id", exec)),
			ConfigStateChecks: resultChecks("x", logs),
		}},
	})
	n := acctest.CheckStatuses(t, srv.Recorded(emulator.APIExecutionLogs), http.StatusBadRequest, http.StatusOK)
	if throttled, ok := n[http.StatusBadRequest], n[http.StatusOK]; throttled == 0 || ok == 0 {
		t.Errorf("%d throttled and %d successful requests; the fault was not exercised", throttled, ok)
	}
}

// TestAccExecutionLogs_region: the region argument overrides the
// provider's and reaches the API as RegionId on every page.
func TestAccExecutionLogs_region(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{})
	one, two := emulator.ExecutionID(1), emulator.ExecutionID(2)
	data := srv.Data().Executions()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) +
				ds.Block("shanghai", str("execution_id", one), str("region", "cn-shanghai")) +
				ds.Block("default", str("execution_id", two)),
			ConfigStateChecks: append(resultChecks("shanghai", data[one]), resultChecks("default", data[two])...),
		}},
	})
	reqs := srv.Recorded(emulator.APIExecutionLogs)
	checkRequests(t, reqs, one, "cn-shanghai", nil, 3)
	checkRequests(t, reqs, two, emulator.DemoRegionAli, nil, 3)
}

// TestAccExecutionLogs_validation: invalid arguments fail at plan time,
// naming the attribute, before any request.
func TestAccExecutionLogs_validation(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{})
	exec := str("execution_id", emulator.ExecutionID(1))
	cases := []struct {
		attrs []acctest.Arg
		want  *regexp.Regexp
	}{
		{[]acctest.Arg{str("execution_id", "")}, acctest.DiagnosticPattern("Attribute execution_id string length must be at least 1")},
		{[]acctest.Arg{exec, acctest.ExprArg("max_items", "0")}, acctest.DiagnosticPattern("max_items must be a whole number from 1 to 1,000,000, got 0")},
		{[]acctest.Arg{exec, str("task_execution_id", "")}, acctest.DiagnosticPattern("Attribute task_execution_id string length must be at least 1")},
		{[]acctest.Arg{exec, str("log_type", "")}, acctest.DiagnosticPattern("Attribute log_type string length must be at least 1")},
		{[]acctest.Arg{exec, str("region", "")}, acctest.DiagnosticPattern("Attribute region string length must be at least 1")},
		{[]acctest.Arg{str("log_type", "System")}, acctest.DiagnosticPattern(`The argument "execution_id" is required`)},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config: acctest.ProviderConfig(srv) + ds.Block("x", c.attrs...), PlanOnly: true, ExpectError: c.want,
		})
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.Factories(0), Steps: steps})
	if n := srv.Requests(emulator.APIExecutionLogs); n != 0 {
		t.Errorf("%d requests were sent; invalid configurations must fail before any request", n)
	}
}
