package secmaster_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/provider"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/secmaster"
)

const (
	ds        = acctest.DataSource(secmaster.PlaybookAuditLogsTypeName)
	pageLimit = 50
)

// filter is one body filter: the argument name and its value.
type filter struct{ name, value string }

// matches mirrors the emulator's documented filter semantics: enumerations
// and ids match exactly; action_name, input, output and error_msg are
// case-sensitive substrings; start_time keeps logs starting at or after it;
// end_time keeps logs whose end (or last report) time is at or before it.
func matches(l emulator.AuditLog, f filter) bool {
	exact := map[string]string{
		"instance_type": l.InstanceType, "status": l.Status, "trigger_type": l.TriggerType, "log_level": l.LogLevel,
		"action_id": l.ActionID, "instance_id": l.InstanceID, "parent_instance_id": l.ParentInstanceID,
	}
	sub := map[string]string{"action_name": l.ActionName, "input": l.Input, "output": l.Output, "error_msg": l.ErrorMsg}
	if v, ok := exact[f.name]; ok {
		return v == f.value
	}
	if v, ok := sub[f.name]; ok {
		return strings.Contains(v, f.value)
	}
	bound, err := time.Parse(time.RFC3339, f.value)
	if err != nil {
		panic(err)
	}
	switch f.name {
	case "start_time":
		t, ok := emulator.ParseItemTime(l.StartTime)
		return ok && !t.Before(bound)
	case "end_time":
		t, ok := emulator.ParseItemTime(l.EndTime)
		return ok && !t.After(bound)
	}
	panic("unknown filter " + f.name)
}

func filtered(logs []emulator.AuditLog, fs ...filter) []emulator.AuditLog {
	var out []emulator.AuditLog
	for _, l := range logs {
		ok := true
		for _, f := range fs {
			ok = ok && matches(l, f)
		}
		if ok {
			out = append(out, l)
		}
	}
	return out
}

// sortField returns the sort_key field of a log: start_time or end_time,
// the values the API's SDK model allows (end_time sorts by the end or last
// report time, which the emulator keeps in EndTime).
func sortField(l *emulator.AuditLog, key string) string {
	switch key {
	case "start_time":
		return l.StartTime
	case "end_time":
		return l.EndTime
	}
	panic("unknown sort key " + key)
}

// sorted mirrors the emulator: a stable string sort by the key.
func sorted(logs []emulator.AuditLog, key string, desc bool) []emulator.AuditLog {
	out := slices.Clone(logs)
	sort.SliceStable(out, func(a, b int) bool {
		x, y := sortField(&out[a], key), sortField(&out[b], key)
		if desc {
			return x > y
		}
		return x < y
	})
	return out
}

// resultChecks expects the whole result of a data block: logs, every
// field of each, in order, out of total matches.
func resultChecks(name string, logs []emulator.AuditLog, total int) []statecheck.StateCheck {
	return acctest.ExpectRead(secmaster.PlaybookAuditLogsTypeName, ds.Address(name), acctest.Objects(secmaster.PlaybookAuditLogsTypeName, logs), total)
}

// checkPaging checks what every audit log request must carry: POST to the
// workspace's path, the documented content type, offset and limit.
func checkPaging(t *testing.T, srv *emulator.Server, reqs []emulator.RecordedRequest, workspace string) {
	t.Helper()
	if len(reqs) == 0 {
		t.Fatal("no audit log request was recorded")
	}
	project := srv.Data().Projects[emulator.DemoRegionHuawei]
	wantPath := "/v1/" + project + "/workspaces/" + workspace + "/soc/playbooks/instances/auditlogs"
	for i, r := range reqs {
		q := acctest.Query(t, r)
		if r.Method != http.MethodPost || r.Path != wantPath {
			t.Errorf("request %d: %s %s, want POST %s", i, r.Method, r.Path, wantPath)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
			t.Errorf("request %d: Content-Type %q", i, ct)
		}
		if len(q["offset"]) != 1 || len(q["limit"]) != 1 {
			t.Errorf("request %d: offset and limit must be sent exactly once: %q", i, r.RawQuery)
			continue
		}
		off, err := strconv.Atoi(q.Get("offset"))
		if err != nil || off%pageLimit != 0 || q.Get("limit") != strconv.Itoa(pageLimit) {
			t.Errorf("request %d: offset %q limit %q", i, q.Get("offset"), q.Get("limit"))
		}
	}
}

// requestsPerRead checks that every read made the same requests: exactly
// want pages, at offsets 0, 50, ...
func requestsPerRead(t *testing.T, reqs []emulator.RecordedRequest, want int) {
	t.Helper()
	byOffset := map[int]int{}
	for _, r := range reqs {
		off, _ := strconv.Atoi(acctest.Query(t, r).Get("offset"))
		byOffset[off]++
	}
	reads := byOffset[0]
	if reads == 0 {
		t.Fatal("no request at offset 0")
	}
	if len(reqs) != reads*want {
		t.Errorf("%d requests for %d reads, want %d per read (by offset: %v)", len(reqs), reads, want, byOffset)
	}
	for i := range want {
		if byOffset[i*pageLimit] != reads {
			t.Errorf("offset %d requested %d times for %d reads", i*pageLimit, byOffset[i*pageLimit], reads)
		}
	}
}

func jsonBody(m map[string]string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// TestAccPlaybookAuditLogs_allPages reads every page of a workspace, each
// log compared, and checks what each request carries (POST to the
// workspace's path, the documented content type, offset and limit, an
// empty filter body).
func TestAccPlaybookAuditLogs_allPages(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{})
	ws := emulator.WorkspaceID(2)
	logs := srv.Data().Workspaces()[ws]
	if len(logs) <= 2*pageLimit {
		t.Fatalf("the dataset has %d logs in %s; the test needs at least three pages", len(logs), ws)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config:            acctest.ProviderConfig(srv) + ds.Block("all", acctest.StringArg("workspace_id", ws)),
			ConfigStateChecks: resultChecks("all", logs, len(logs)),
		}},
	})
	var reqs []emulator.RecordedRequest
	for _, r := range srv.Recorded(emulator.APIAuditLogs) {
		if strings.Contains(r.Path, "/workspaces/"+ws+"/") {
			reqs = append(reqs, r)
		}
	}
	checkPaging(t, srv, reqs, ws)
	requestsPerRead(t, reqs, (len(logs)+pageLimit-1)/pageLimit)
	for i, r := range reqs {
		if string(r.Body) != "{}" {
			t.Errorf("request %d: body %q, want {} without filters", i, r.Body)
		}
	}
}

// filterCases are one case per body filter, each with a value that keeps
// some but not all logs of workspace 1.
func filterCases(logs []emulator.AuditLog) []filter {
	return []filter{
		{"instance_type", "SCRIPT"},
		{"action_id", emulator.HostileActionID},
		{"action_name", "DisabledIp"},
		{"instance_id", logs[8].InstanceID},
		{"parent_instance_id", logs[0].InstanceID},
		{"log_level", "WARN"},
		{"input", emulator.HostileText},
		{"output", "blocked:"},
		{"error_msg", "exhausted"},
		{"start_time", "2026-11-19T00:00:00Z"},
		{"end_time", "2026-11-18T12:00:00Z"},
		{"status", "FAILED"},
		{"trigger_type", "MANUAL"},
	}
}

// TestAccPlaybookAuditLogs_filters sets each body filter alone and checks
// the result against the emulator's documented semantics, and that the
// request body carries that filter and nothing else.
func TestAccPlaybookAuditLogs_filters(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{})
	ws := emulator.WorkspaceID(1)
	logs := srv.Data().Workspaces()[ws]
	cases := filterCases(logs)
	if len(cases) != 13 {
		t.Fatalf("%d filter cases, want one per body filter (13)", len(cases))
	}
	config := acctest.ProviderConfig(srv)
	var checks []statecheck.StateCheck
	wantBodies := map[string]bool{}
	for _, f := range cases {
		want := filtered(logs, f)
		if len(want) == 0 || len(want) == len(logs) {
			t.Fatalf("filter %s = %q keeps %d of %d logs; pick a value that selects", f.name, f.value, len(want), len(logs))
		}
		config += ds.Block(f.name, acctest.StringArg("workspace_id", ws), acctest.StringArg(f.name, f.value))
		checks = append(checks, resultChecks(f.name, want, len(want))...)
		wantBodies[jsonBody(map[string]string{f.name: f.value})] = true
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: checks}},
	})
	reqs := srv.Recorded(emulator.APIAuditLogs)
	checkPaging(t, srv, reqs, ws)
	gotBodies := map[string]bool{}
	for _, r := range reqs {
		gotBodies[string(r.Body)] = true
	}
	for b := range wantBodies {
		if !gotBodies[b] {
			t.Errorf("no request had the body %s", b)
		}
	}
	for b := range gotBodies {
		if !wantBodies[b] {
			t.Errorf("unexpected body %s: each read must send exactly its one filter", b)
		}
	}
}

// TestAccPlaybookAuditLogs_sorting sorts by start_time and end_time, the
// two sort keys of the API's SDK model, both ways and compares the pages,
// read in parallel and joined, with a sort of the dataset.
func TestAccPlaybookAuditLogs_sorting(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{})
	ws := emulator.WorkspaceID(1)
	logs := srv.Data().Workspaces()[ws]
	byStartAsc := sorted(logs, "start_time", false)
	byStartDesc := sorted(logs, "start_time", true)
	byEndDesc := sorted(logs, "end_time", true)
	byEndDefault := sorted(logs, "end_time", false)
	if slices.EqualFunc(byStartAsc, logs, func(a, b emulator.AuditLog) bool { return a == b }) ||
		slices.EqualFunc(byEndDefault, byStartAsc, func(a, b emulator.AuditLog) bool { return a == b }) {
		t.Fatal("the dataset is already sorted, or sorts the same by both keys; the test would prove nothing")
	}
	var checks []statecheck.StateCheck
	checks = append(checks, resultChecks("start_asc", byStartAsc, len(logs))...)
	checks = append(checks, resultChecks("start_desc", byStartDesc, len(logs))...)
	checks = append(checks, resultChecks("end_desc", byEndDesc, len(logs))...)
	checks = append(checks, resultChecks("end_default_dir", byEndDefault, len(logs))...)
	// sort_dir without sort_key is sent; the emulator keeps its default order.
	checks = append(checks, resultChecks("dir_only", logs, len(logs))...)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) +
				ds.Block("start_asc", acctest.StringArg("workspace_id", ws), acctest.StringArg("sort_key", "start_time"), acctest.StringArg("sort_dir", "asc")) +
				ds.Block("start_desc", acctest.StringArg("workspace_id", ws), acctest.StringArg("sort_key", "start_time"), acctest.StringArg("sort_dir", "desc")) +
				ds.Block("end_desc", acctest.StringArg("workspace_id", ws), acctest.StringArg("sort_key", "end_time"), acctest.StringArg("sort_dir", "desc")) +
				ds.Block("end_default_dir", acctest.StringArg("workspace_id", ws), acctest.StringArg("sort_key", "end_time")) +
				ds.Block("dir_only", acctest.StringArg("workspace_id", ws), acctest.StringArg("sort_dir", "desc")),
			ConfigStateChecks: checks,
		}},
	})
	reqs := srv.Recorded(emulator.APIAuditLogs)
	checkPaging(t, srv, reqs, ws)
	seen := map[string]int{}
	for _, r := range reqs {
		q := acctest.Query(t, r)
		seen[q.Get("sort_key")+"/"+q.Get("sort_dir")]++
		if len(q["sort_key"]) > 1 || len(q["sort_dir"]) > 1 {
			t.Errorf("sort parameters repeated: %q", r.RawQuery)
		}
	}
	for _, k := range []string{"start_time/asc", "start_time/desc", "end_time/desc", "end_time/", "/desc"} {
		if seen[k] == 0 {
			t.Errorf("no request with sort_key/sort_dir %q; seen %v", k, seen)
		}
	}
	if len(seen) != 5 {
		t.Errorf("sort parameter combinations %v, want exactly the five configured", seen)
	}
}

// TestAccPlaybookAuditLogs_requestBody checks the body sent with several
// filters: a JSON object of exactly the set filters, the same bytes on
// every page, with the documented content type and offset and limit in
// every query.
func TestAccPlaybookAuditLogs_requestBody(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{})
	ws := emulator.WorkspaceID(1)
	logs := srv.Data().Workspaces()[ws]
	fs := []filter{
		{"input", "10.0."},
		{"start_time", "2026-11-01T00:00:00Z"},
		{"end_time", "2026-12-01T00:00:00+08:00"},
	}
	want := filtered(logs, fs...)
	if len(want) <= 2*pageLimit {
		t.Fatalf("the filters keep %d logs; the test needs three pages", len(want))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) + ds.Block("x", acctest.StringArg("workspace_id", ws),
				acctest.StringArg(fs[0].name, fs[0].value), acctest.StringArg(fs[1].name, fs[1].value), acctest.StringArg(fs[2].name, fs[2].value),
				acctest.StringArg("sort_key", "end_time"), acctest.StringArg("sort_dir", "asc")),
			ConfigStateChecks: resultChecks("x", sorted(want, "end_time", false), len(want)),
		}},
	})
	reqs := srv.Recorded(emulator.APIAuditLogs)
	checkPaging(t, srv, reqs, ws)
	requestsPerRead(t, reqs, (len(want)+pageLimit-1)/pageLimit)
	wantBody := `{"input":"10.0.","start_time":"2026-11-01T00:00:00Z","end_time":"2026-12-01T00:00:00+08:00"}`
	for i, r := range reqs {
		if string(r.Body) != wantBody {
			t.Errorf("request %d: body %s, want %s", i, r.Body, wantBody)
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(r.Body, &keys); err != nil || len(keys) != len(fs) {
			t.Errorf("request %d: body is not a JSON object of the %d set filters: %s (%v)", i, len(fs), r.Body, err)
		}
		q := acctest.Query(t, r)
		if q.Get("sort_key") != "end_time" || q.Get("sort_dir") != "asc" || len(q) != 4 {
			t.Errorf("request %d: query %q, want offset, limit, sort_key and sort_dir only", i, r.RawQuery)
		}
	}
}

// TestAccPlaybookAuditLogs_validation: invalid arguments fail at plan time
// with a diagnostic naming the attribute.
func TestAccPlaybookAuditLogs_validation(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{})
	cases := []struct {
		attrs []acctest.Arg
		want  *regexp.Regexp
	}{
		{[]acctest.Arg{acctest.StringArg("instance_type", "VM")}, acctest.DiagnosticPattern("Attribute instance_type value must be one of", `"AOP_WORKFLOW"`, `got: "VM"`)},
		{[]acctest.Arg{acctest.StringArg("status", "DONE")}, acctest.DiagnosticPattern("Attribute status value must be one of", `"TERMINATING"`, `got: "DONE"`)},
		{[]acctest.Arg{acctest.StringArg("trigger_type", "CRON")}, acctest.DiagnosticPattern("Attribute trigger_type value must be one of", `"MANUAL"`, `got: "CRON"`)},
		{[]acctest.Arg{acctest.StringArg("log_level", "TRACE")}, acctest.DiagnosticPattern("Attribute log_level value must be one of", `"WARN"`, `got: "TRACE"`)},
		// sort_key takes start_time or end_time only (the API's SDK model):
		// other fields of a log, valid sort keys before, fail at plan time.
		{[]acctest.Arg{acctest.StringArg("sort_key", "name")}, acctest.DiagnosticPattern("Attribute sort_key value must be one of", `"start_time"`, `"end_time"`, `got: "name"`)},
		{[]acctest.Arg{acctest.StringArg("sort_key", "status")}, acctest.DiagnosticPattern("Attribute sort_key value must be one of", `["start_time" "end_time"]`, `got: "status"`)},
		{[]acctest.Arg{acctest.StringArg("sort_key", "action_name")}, acctest.DiagnosticPattern("Attribute sort_key value must be one of", `got: "action_name"`)},
		{[]acctest.Arg{acctest.StringArg("sort_key", "START_TIME")}, acctest.DiagnosticPattern("Attribute sort_key value must be one of", `got: "START_TIME"`)},
		{[]acctest.Arg{acctest.StringArg("sort_dir", "up")}, acctest.DiagnosticPattern("Attribute sort_dir value must be one of", `"asc"`, `got: "up"`)},
		{[]acctest.Arg{acctest.StringArg("start_time", "2026-11-19 00:00:00")}, acctest.DiagnosticPattern("Invalid RFC3339 String Value", "start_time")},
		{[]acctest.Arg{acctest.StringArg("end_time", "tomorrow")}, acctest.DiagnosticPattern("Invalid RFC3339 String Value", "end_time")},
		{[]acctest.Arg{acctest.StringArg("start_time", "2026-11-20T00:00:00Z"), acctest.StringArg("end_time", "2026-11-19T00:00:00Z")},
			acctest.DiagnosticPattern("Invalid time range", "start_time (2026-11-20T00:00:00Z) is after end_time")},
		{[]acctest.Arg{acctest.ExprArg("max_items", "0")}, acctest.DiagnosticPattern("max_items must be a whole number from 1 to 9,999, got 0")},
		{[]acctest.Arg{acctest.StringArg("action_name", "")}, acctest.DiagnosticPattern("Attribute action_name string length must be at least 1")},
		{[]acctest.Arg{acctest.StringArg("error_msg", "")}, acctest.DiagnosticPattern("Attribute error_msg string length must be at least 1")},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      acctest.ProviderConfig(srv) + ds.Block("x", append([]acctest.Arg{acctest.StringArg("workspace_id", emulator.WorkspaceID(1))}, c.attrs...)...),
			PlanOnly:    true,
			ExpectError: c.want,
		})
	}
	for _, ws := range []struct {
		hcl  string
		want *regexp.Regexp
	}{
		{`""`, acctest.DiagnosticPattern("Attribute workspace_id string length must be at least 1")},
		{`"ws/0001"`, acctest.DiagnosticPattern("Attribute workspace_id must not contain a slash")},
		{`".."`, acctest.DiagnosticPattern("Attribute workspace_id value must be none of")},
	} {
		steps = append(steps, resource.TestStep{
			Config: acctest.ProviderConfig(srv) + ds.Block("x", acctest.ExprArg("workspace_id", ws.hcl)), PlanOnly: true, ExpectError: ws.want,
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      acctest.ProviderConfig(srv) + ds.Block("x", acctest.StringArg("status", "FAILED")),
		PlanOnly:    true,
		ExpectError: acctest.DiagnosticPattern(`The argument "workspace_id" is required`),
	})
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.Factories(0), Steps: steps})
	if n := srv.Requests(emulator.APIAuditLogs); n != 0 {
		t.Errorf("%d audit log requests were sent; invalid configurations must fail before any request", n)
	}
}

// TestAccPlaybookAuditLogs_endTimeFallback: a log answered with
// last_report_time instead of end_time, or beside an empty end_time, has
// that value as end_time; a log with end_time keeps it.
func TestAccPlaybookAuditLogs_endTimeFallback(t *testing.T) {
	t.Parallel()
	logs := []emulator.AuditLog{
		{InstanceType: "PLAYBOOK", ActionID: "act-1", ActionName: "DisabledIp", InstanceID: "inst-1", LogLevel: "INFO",
			StartTime: "2026-11-19T09:00:00Z", EndTime: "2026-11-19T10:00:00Z", Status: "RUNNING", TriggerType: "EVENT",
			UseLastReportTime: true},
		{InstanceType: "SCRIPT", ActionID: "act-1", ActionName: "DisabledIp", InstanceID: "inst-2", ParentInstanceID: "inst-1",
			LogLevel: "ERROR", ErrorMsg: "boom", StartTime: "2026-11-19T09:30:00Z", EndTime: "2026-11-19T11:00:00Z",
			Status: "FAILED", TriggerType: "EVENT"},
		// end_time "" beside last_report_time.
		{InstanceType: "TASK", ActionID: "act-1", ActionName: "DisabledIp", InstanceID: "inst-3", ParentInstanceID: "inst-1",
			LogLevel: "WARN", StartTime: "2026-11-19T09:40:00Z", EndTime: "2026-11-19T12:00:00Z",
			Status: "RUNNING", TriggerType: "EVENT", UseLastReportTime: true, EmptyEndTime: true},
	}
	data := &emulator.Dataset{Projects: map[string]string{emulator.DemoRegionHuawei: emulator.ProjectID(emulator.DemoRegionHuawei)}}
	data.SetWorkspaces(map[string][]emulator.AuditLog{"ws-fallback": logs})
	srv := acctest.Emulator(t, emulator.Options{Data: data})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) + ds.Block("x", acctest.StringArg("workspace_id", "ws-fallback")),
			ConfigStateChecks: append(resultChecks("x", logs, len(logs)),
				statecheck.ExpectKnownValue(ds.Address("x"), tfjsonpath.New("audit_logs").AtSliceIndex(0).AtMapKey("end_time"),
					knownvalue.StringExact("2026-11-19T10:00:00Z")),
				statecheck.ExpectKnownValue(ds.Address("x"), tfjsonpath.New("audit_logs").AtSliceIndex(2).AtMapKey("end_time"),
					knownvalue.StringExact("2026-11-19T12:00:00Z"))),
		}},
	})
	// The third log was answered with end_time "" (not left out).
	reqs := srv.Recorded(emulator.APIAuditLogs)
	if len(reqs) == 0 {
		t.Fatal("no request")
	}
}

// windowData is a workspace of more logs than SecMaster's window reaches.
func windowData() *emulator.Dataset {
	return emulator.Generate(emulator.DefaultSeed, emulator.Sizes{emulator.SizeWorkspaces: 1, emulator.SizeAuditLogsPerWorkspace: secmaster.AuditLogsWindow + 30})
}

// checkWindow fails the test for a request the API would refuse: offset +
// limit at or past the window. It returns the largest offset + limit.
func checkWindow(t *testing.T, reqs []emulator.RecordedRequest) int {
	t.Helper()
	top := 0
	for _, r := range reqs {
		q := acctest.Query(t, r)
		off, err1 := strconv.Atoi(q.Get("offset"))
		lim, err2 := strconv.Atoi(q.Get("limit"))
		if err1 != nil || err2 != nil || off+lim >= secmaster.AuditLogsWindow || r.Status != http.StatusOK {
			t.Errorf("request offset %q limit %q answered %d: past the window of %d", q.Get("offset"), q.Get("limit"), r.Status, secmaster.AuditLogsWindow)
		}
		top = max(top, off+lim)
	}
	return top
}

// TestAccPlaybookAuditLogs_window: SecMaster serves a query only while
// offset + limit < 10000. When more logs match and max_items does not keep
// the read inside the window, the read fails after the first page, with
// the count and how to narrow the query; a max_items beyond it is refused
// at plan time. With max_items inside it, the
// last page shrinks its limit and no request goes past the window: that
// read of 9,999 logs is driven at the provider's protocol server (the one
// Terraform talks to), since Terraform itself would spend most of a minute
// on a state of 9,999 logs.
func TestAccPlaybookAuditLogs_window(t *testing.T) {
	t.Parallel()
	data := windowData()
	srv := acctest.Emulator(t, emulator.Options{Data: data})
	ws := emulator.WorkspaceID(1)
	logs := data.Workspaces()[ws]
	total := len(logs)
	narrow := func(parts ...string) *regexp.Regexp {
		return acctest.DiagnosticPattern(append([]string{"Unable to list SecMaster playbook audit logs",
			fmt.Sprintf("%d audit logs match these filters, but SecMaster serves at most 9999 of one query", total),
			"Narrow the query", "start_time/end_time", "other filters"}, parts...)...)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{
			{
				Config:      acctest.ProviderConfig(srv) + ds.Block("x", acctest.StringArg("workspace_id", ws)),
				ExpectError: narrow("max_items of at most 9999"),
			},
			{
				PreConfig: func() {
					// The failed read asked for the first page only.
					if reqs := srv.Recorded(emulator.APIAuditLogs); len(reqs) != 1 || acctest.Query(t, reqs[0]).Get("offset") != "0" {
						t.Errorf("the failing read made %d requests, want the first page alone", len(reqs))
					}
					checkWindow(t, srv.Recorded(emulator.APIAuditLogs))
					srv.ResetCounters()
				},
				// Beyond the window, max_items is refused at plan time.
				Config: acctest.ProviderConfig(srv) + ds.Block("x", acctest.StringArg("workspace_id", ws), acctest.ExprArg("max_items", "10000")),
				ExpectError: acctest.DiagnosticPattern("max_items must be a whole number from 1 to 9,999, got 10000",
					"offset + limit < 10000"),
			},
		},
	})
	if reqs := srv.Recorded(emulator.APIAuditLogs); len(reqs) != 0 {
		t.Errorf("max_items 10000 sent %d requests, want none (refused at plan time)", len(reqs))
	}

	srv.ResetCounters()
	got, count := protocolRead(t, srv, map[string]tftypes.Value{
		"workspace_id": tftypes.NewValue(tftypes.String, ws),
		"max_items":    tftypes.NewValue(tftypes.Number, 9999),
	})
	if count != int64(total) || len(got) != 9999 {
		t.Fatalf("max_items 9999: total_count %d, %d logs; want %d and 9999", count, len(got), total)
	}
	for _, i := range []int{0, 9949, 9950, 9998} {
		if got[i] != logs[i].InstanceID {
			t.Errorf("log %d is %q, want %q", i, got[i], logs[i].InstanceID)
		}
	}
	if top := checkWindow(t, srv.Recorded(emulator.APIAuditLogs)); top != secmaster.AuditLogsWindow-1 {
		t.Errorf("the read reached offset + limit = %d, want %d (the last page's limit shrunk to 49)", top, secmaster.AuditLogsWindow-1)
	}
}

// protocolRead reads the audit logs data source with args through the
// provider's protocol server, configured for srv, and returns the logs'
// instance ids and total_count; a diagnostic fails the test.
func protocolRead(t *testing.T, srv *emulator.Server, args map[string]tftypes.Value) ([]string, int64) {
	t.Helper()
	ctx := t.Context()
	s, err := acctest.Factories(0)[provider.TypeName]()
	if err != nil {
		t.Fatal(err)
	}
	sch, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	ptyp := sch.Provider.ValueType().(tftypes.Object)
	pcfg, err := tfprotov6.NewDynamicValue(ptyp, acctest.ProtocolProviderConfig(ptyp, srv.URL(), 0))
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &pcfg}); err != nil || acctest.DiagError(resp.Diagnostics) != nil {
		t.Fatalf("ConfigureProvider: %v %v", err, acctest.DiagError(resp.Diagnostics))
	}
	dtyp := sch.DataSourceSchemas[secmaster.PlaybookAuditLogsTypeName].ValueType().(tftypes.Object)
	cfg, err := tfprotov6.NewDynamicValue(dtyp, acctest.Object(dtyp, args))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: secmaster.PlaybookAuditLogsTypeName, Config: &cfg})
	if err != nil || acctest.DiagError(resp.Diagnostics) != nil {
		t.Fatalf("ReadDataSource: %v %v", err, acctest.DiagError(resp.Diagnostics))
	}
	state, err := resp.State.Unmarshal(dtyp)
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	var items []tftypes.Value
	var count big.Float
	if err := state.As(&attrs); err != nil || attrs["audit_logs"].As(&items) != nil || attrs["total_count"].As(&count) != nil {
		t.Fatalf("state: %v", err)
	}
	ids := make([]string, len(items))
	for i, it := range items {
		var obj map[string]tftypes.Value
		if err := it.As(&obj); err != nil || obj["instance_id"].As(&ids[i]) != nil {
			t.Fatalf("audit log %d: %v", i, err)
		}
	}
	n, _ := count.Int64()
	return ids, n
}
