package emulator

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

type tExecLogs struct {
	RequestID     string         `json:"RequestId"`
	MaxResults    int            `json:"MaxResults"`
	NextToken     string         `json:"NextToken"`
	IsTruncated   bool           `json:"IsTruncated"`
	ExecutionLogs []ExecutionLog `json:"ExecutionLogs"`
}

// listExec follows NextToken to the end and returns every log.
func listExec(t *testing.T, e *env, q url.Values) []ExecutionLog {
	t.Helper()
	return listRPC[ExecutionLog](t, e, "ListExecutionLogs", "2019-06-01", "ExecutionLogs", q)
}

func TestExecutionLogsAnswer(t *testing.T) {
	e := newEnv(t, Options{})
	ex := ExecutionID(1)
	logs := e.s.Data().Executions()[ex]
	r := e.send(e.aliReq(url.Values{"ExecutionId": {ex}, "RegionId": {DemoRegionAli}}))
	wantOK(t, r)
	page := decodeAs[tExecLogs](t, r)
	if page.MaxResults != 50 || len(page.ExecutionLogs) != 50 || page.NextToken == "" || !page.IsTruncated {
		t.Fatalf("first page: max %d, %d logs, token %q, truncated %v", page.MaxResults, len(page.ExecutionLogs), page.NextToken, page.IsTruncated)
	}
	if page.RequestID == "" || r.header.Get("x-acs-request-id") != page.RequestID {
		t.Fatalf("request id %q, header %q", page.RequestID, r.header.Get("x-acs-request-id"))
	}
	if page.ExecutionLogs[0] != logs[0] {
		t.Fatalf("first log %+v", page.ExecutionLogs[0])
	}
	all := listExec(t, e, url.Values{"ExecutionId": {ex}, "MaxResults": {"7"}})
	if !slices.Equal(all, logs) {
		t.Fatalf("paged %d logs, want %d in order", len(all), len(logs))
	}
	// Action and Version as query parameters instead of headers.
	req := e.newReq("POST", "/", url.Values{"Action": {"ListExecutionLogs"}, "Version": {"2019-06-01"}, "ExecutionId": {ex}, "MaxResults": {"100"}}, nil)
	signAli(req, nil, e.ali, time.Now())
	r = e.send(req)
	wantOK(t, r)
	if p := decodeAs[tExecLogs](t, r); len(p.ExecutionLogs) != 100 {
		t.Fatalf("%d logs", len(p.ExecutionLogs))
	}
}

func TestExecutionLogsFilters(t *testing.T) {
	e := newEnv(t, Options{})
	ex := ExecutionID(2)
	logs := e.s.Data().Executions()[ex]
	hostileTask := ex + ".t0003 " + HostileText
	cases := []struct {
		q    url.Values
		keep func(ExecutionLog) bool
	}{
		{url.Values{"TaskExecutionId": {hostileTask}}, func(l ExecutionLog) bool { return l.TaskExecutionID == hostileTask }},
		{url.Values{"LogType": {HostileLogType}}, func(l ExecutionLog) bool { return l.LogType == HostileLogType }},
		{url.Values{"LogType": {"Task"}, "TaskExecutionId": {ex + ".t0002"}}, func(l ExecutionLog) bool {
			return l.LogType == "Task" && l.TaskExecutionID == ex+".t0002"
		}},
	}
	for _, c := range cases {
		var want []ExecutionLog
		for _, l := range logs {
			if c.keep(l) {
				want = append(want, l)
			}
		}
		if len(want) < 2 {
			t.Fatalf("%v: only %d matching logs in the dataset", c.q, len(want))
		}
		c.q.Set("ExecutionId", ex)
		c.q.Set("MaxResults", "3")
		if got := listExec(t, e, c.q); !slices.Equal(got, want) {
			t.Fatalf("%v: got %d, want %d", c.q, len(got), len(want))
		}
	}
}

func TestExecutionLogsRejects(t *testing.T) {
	e := newEnv(t, Options{})
	ex := ExecutionID(1)
	for _, mr := range []string{"0", "101", "ten", ""} {
		wantAliErr(t, e.send(e.aliReq(url.Values{"ExecutionId": {ex}, "MaxResults": {mr}})), 400, "InvalidParameter")
	}
	wantAliErr(t, e.send(e.aliReq(url.Values{})), 400, "MissingExecutionId")
	wantAliErr(t, e.send(e.aliReq(url.Values{"ExecutionId": {ex, "exec-0002"}})), 400, "InvalidParameter")
	er := wantAliErr(t, e.send(e.aliReq(url.Values{"ExecutionId": {"exec-nope"}})), 404, "EntityNotExists.Execution")
	if er.Message != "The specific execution exec-nope does not exist." {
		t.Fatalf("message %q", er.Message)
	}

	req := e.newReq("POST", "/", url.Values{"ExecutionId": {ex}}, nil)
	req.Header.Set("x-acs-action", "ListExecutionLogs")
	req.Header.Set("x-acs-version", "2014-05-26")
	signAli(req, nil, e.ali, time.Now())
	wantAliErr(t, e.send(req), 400, "InvalidVersion")
	req = e.newReq("POST", "/", url.Values{"ExecutionId": {ex}}, nil)
	req.Header.Set("x-acs-action", "ListExecutions")
	req.Header.Set("x-acs-version", "2019-06-01")
	signAli(req, nil, e.ali, time.Now())
	wantAliErr(t, e.send(req), 400, "InvalidAction.NotFound")
}

func TestNextTokenMisuse(t *testing.T) {
	e := newEnv(t, Options{})
	ex := ExecutionID(1)
	first := decodeAs[tExecLogs](t, e.send(e.aliReq(url.Values{"ExecutionId": {ex}, "MaxResults": {"10"}})))
	tok := first.NextToken
	if tok == "" {
		t.Fatal("no token")
	}
	// The genuine token works with the same parameters.
	second := decodeAs[tExecLogs](t, e.send(e.aliReq(url.Values{"ExecutionId": {ex}, "MaxResults": {"10"}, "NextToken": {tok}})))
	if second.ExecutionLogs[0] != e.s.Data().Executions()[ex][10] {
		t.Fatalf("second page starts at %+v", second.ExecutionLogs[0])
	}
	tampered := []byte(tok)
	tampered[len(tampered)/2] ^= 1
	for _, bad := range []string{"garbage!", "MTRBMDc0NjAtRUJFNy00N0NBLTk3NTctMTJDQzQ3NjFENDdB", string(tampered), tok + "x"} {
		wantAliErr(t, e.send(e.aliReq(url.Values{"ExecutionId": {ex}, "MaxResults": {"10"}, "NextToken": {bad}})), 400, "InvalidNextToken")
	}
	for _, q := range []url.Values{
		{"ExecutionId": {ex}, "MaxResults": {"11"}},
		{"ExecutionId": {ex}},
		{"ExecutionId": {ExecutionID(2)}, "MaxResults": {"10"}},
		{"ExecutionId": {ex}, "MaxResults": {"10"}, "LogType": {"System"}},
		{"ExecutionId": {ex}, "MaxResults": {"10"}, "TaskExecutionId": {ex + ".t0001"}},
	} {
		q.Set("NextToken", tok)
		wantAliErr(t, e.send(e.aliReq(q)), 400, "InvalidNextTokenQuery")
	}
	// A form-encoded body carries parameters too.
	req := e.newReq("POST", "/", nil, []byte("ExecutionId="+ex+"&MaxResults="+strconv.Itoa(5)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("x-acs-action", "ListExecutionLogs")
	req.Header.Set("x-acs-version", "2019-06-01")
	signAli(req, []byte("ExecutionId="+ex+"&MaxResults=5"), e.ali, time.Now())
	if p := decodeAs[tExecLogs](t, e.send(req)); len(p.ExecutionLogs) != 5 {
		t.Fatalf("form body: %d logs", len(p.ExecutionLogs))
	}
}

// The generated OOS logs: hostile values, RFC 3339 timestamps.
func TestGeneratedExecutionLogs(t *testing.T) {
	d := Generate(DefaultSeed, DefaultSizes())
	// Ids documented in the package comment.
	for _, id := range []string{"exec-0001", "exec-0002"} {
		if len(d.Executions()[id]) != 130 {
			t.Fatalf("execution %s", id)
		}
	}
	var hostileExec int
	for _, l := range d.Executions()["exec-0001"] {
		if strings.Contains(l.TaskExecutionID, HostileText) || strings.Contains(l.LogType, HostileText) {
			hostileExec++
		}
		if _, err := time.Parse(time.RFC3339, l.Timestamp); err != nil {
			t.Fatalf("timestamp %q", l.Timestamp)
		}
	}
	if hostileExec == 0 {
		t.Fatal("no hostile OOS values")
	}
}

// TestGeneratedFailedTask: the default data has one OOS log line that
// reports an error, as OOS reports one (a sentence about the task, the
// documented log type), the last of exec-0002, so a policy check over the
// emulator's logs has something to find; exec-0001 is clean.
func TestGeneratedFailedTask(t *testing.T) {
	d := Generate(DefaultSeed, DefaultSizes())
	errorWords := regexp.MustCompile(`(?i)\b(error|exception|fail(ed|ure)?|traceback)\b`)
	var found []string
	for id, logs := range d.Executions() {
		for i, l := range logs {
			if errorWords.MatchString(l.Message) {
				found = append(found, fmt.Sprintf("%s[%d] %s %q", id, i, l.LogType, l.Message))
			}
		}
	}
	logs := d.Executions()["exec-0002"]
	last := logs[len(logs)-1]
	want := fmt.Sprintf("exec-0002[%d] System %q", len(logs)-1, "The task CheckDiskCategory failed: "+FailedTaskError)
	if len(found) != 1 || found[0] != want || !strings.HasPrefix(last.TaskExecutionID, "exec-0002.t0013") {
		t.Fatalf("error lines %q (last of exec-0002 in %q), want only %s", found, last.TaskExecutionID, want)
	}
}
