package oos_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/oos"
)

const (
	ds       = acctest.DataSource(oos.ExecutionLogsTypeName)
	pageSize = 50
)

// resultChecks expects the read of block name to hold logs, every field
// of every entry, in order.
func resultChecks(name string, logs []emulator.ExecutionLog) []statecheck.StateCheck {
	return acctest.ExpectRead(oos.ExecutionLogsTypeName, ds.Address(name), acctest.Objects(oos.ExecutionLogsTypeName, logs), len(logs))
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

// TestAccExecutionLogs_allPages reads three pages, every log entry
// compared, and checks what each request carries (POST / with the action
// in the headers, MaxResults, the region).
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
			Config:            acctest.ProviderConfig(srv) + ds.Block("all", acctest.StringArg("execution_id", exec)),
			ConfigStateChecks: resultChecks("all", logs),
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
		attrs := []acctest.Arg{acctest.StringArg("execution_id", exec)}
		if c.task != "" {
			attrs = append(attrs, acctest.StringArg("task_execution_id", c.task))
		}
		if c.logType != "" {
			attrs = append(attrs, acctest.StringArg("log_type", c.logType))
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
				ds.Block("shanghai", acctest.StringArg("execution_id", one), acctest.StringArg("region", "cn-shanghai")) +
				ds.Block("default", acctest.StringArg("execution_id", two)),
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
	exec := acctest.StringArg("execution_id", emulator.ExecutionID(1))
	cases := []struct {
		attrs []acctest.Arg
		want  *regexp.Regexp
	}{
		{[]acctest.Arg{acctest.StringArg("execution_id", "")}, acctest.DiagnosticPattern("Attribute execution_id string length must be at least 1")},
		{[]acctest.Arg{exec, acctest.ExprArg("max_items", "0")}, acctest.DiagnosticPattern("max_items must be a whole number from 1 to 1,000,000, got 0")},
		{[]acctest.Arg{exec, acctest.StringArg("task_execution_id", "")}, acctest.DiagnosticPattern("Attribute task_execution_id string length must be at least 1")},
		{[]acctest.Arg{exec, acctest.StringArg("log_type", "")}, acctest.DiagnosticPattern("Attribute log_type string length must be at least 1")},
		{[]acctest.Arg{exec, acctest.StringArg("region", "")}, acctest.DiagnosticPattern("Attribute region string length must be at least 1")},
		{[]acctest.Arg{acctest.StringArg("log_type", "System")}, acctest.DiagnosticPattern(`The argument "execution_id" is required`)},
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
