package emulator

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

type tAuditLogs struct {
	Count     int               `json:"count"`
	AuditLogs []json.RawMessage `json:"audit_logs"`
}

// tAuditLog is an audit log as an answer gives it: the dataset's fields,
// the end time under end_time or last_report_time.
type tAuditLog struct {
	AuditLog
	LastReportTime string `json:"last_report_time"`
}

func alPath(ws string) string {
	return "/v1/" + demoProject + "/workspaces/" + ws + "/soc/playbooks/instances/auditlogs"
}

func pageQ(offset, limit int) url.Values {
	return url.Values{"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(limit)}}
}

// listAudit reads every page and returns the logs and the first count.
func listAudit(t *testing.T, e *env, ws string, extra url.Values, body string) ([]tAuditLog, int) {
	t.Helper()
	var out []tAuditLog
	count := -1
	for offset := 0; ; offset += 50 {
		q := pageQ(offset, 50)
		for k, v := range extra {
			q[k] = v
		}
		r := e.send(e.hwReq("POST", alPath(ws), q, []byte(body)))
		wantOK(t, r)
		page := decodeAs[tAuditLogs](t, r)
		if count == -1 {
			count = page.Count
		}
		for _, raw := range page.AuditLogs {
			var l tAuditLog
			_ = json.Unmarshal(raw, &l)
			out = append(out, l)
		}
		if len(page.AuditLogs) < 50 {
			return out, count
		}
	}
}

// withLastReportTime is the default data with every 5th audit log
// (i%5 == 3) answering last_report_time instead of end_time, and every
// 10th (i%10 == 8) also end_time "", as a fixture can ask (the generator
// follows the SDK's model: end_time only).
func withLastReportTime() *Dataset {
	d := Generate(DefaultSeed, DefaultSizes())
	for _, logs := range d.Workspaces() {
		for i := range logs {
			logs[i].UseLastReportTime, logs[i].EmptyEndTime = i%5 == 3, i%10 == 8
		}
	}
	return d
}

func TestAuditLogsAnswer(t *testing.T) {
	e := newEnv(t, Options{Data: withLastReportTime()})
	ws := WorkspaceID(1)
	logs := e.s.Data().Workspaces()[ws]
	r := e.send(e.hwReq("POST", alPath(ws), pageQ(0, 10), []byte(`{}`)))
	wantOK(t, r)
	page := decodeAs[tAuditLogs](t, r)
	if page.Count != len(logs) || len(page.AuditLogs) != 10 {
		t.Fatalf("count %d, %d logs", page.Count, len(page.AuditLogs))
	}
	for i, raw := range page.AuditLogs {
		keys := keysOf(t, raw)
		empty := logs[i].UseLastReportTime && logs[i].EmptyEndTime
		if want := map[bool]int{false: 13, true: 14}[empty]; len(keys) != want {
			t.Fatalf("log %d has %d keys, want %d: %v", i, len(keys), want, keys)
		}
		hasEnd, hasLast := slices.Contains(keys, "end_time"), slices.Contains(keys, "last_report_time")
		if hasEnd != (!logs[i].UseLastReportTime || empty) || hasLast != logs[i].UseLastReportTime {
			t.Fatalf("log %d: end_time %v, last_report_time %v, use_last_report_time %v", i, hasEnd, hasLast, logs[i].UseLastReportTime)
		}
		var l tAuditLog
		_ = json.Unmarshal(raw, &l)
		if empty && (l.EndTime != "" || l.LastReportTime != logs[i].EndTime) {
			t.Fatalf("log %d: end_time %q, last_report_time %q; want \"\" and %q", i, l.EndTime, l.LastReportTime, logs[i].EndTime)
		}
		if slices.Contains(keys, "empty_end_time") {
			t.Fatal("fixture-only field sent")
		}
		if slices.Contains(keys, "use_last_report_time") {
			t.Fatal("fixture-only field sent")
		}
	}
	// Content-Type without charset is accepted too.
	req := e.newReq("POST", alPath(ws), pageQ(0, 10), []byte(`{"status":"FAILED"}`))
	req.Header.Set("Content-Type", "application/json")
	signHW(req, []byte(`{"status":"FAILED"}`), e.hw, time.Now())
	wantOK(t, e.send(req))

	// The header is sent as X-request-id, exactly as the document names it.
	s, _ := New(Options{Now: time.Now})
	hr := httptest.NewRequest("POST", "http://127.0.0.1"+alPath(ws)+"?limit=10&offset=0", strings.NewReader("{}"))
	hr.Header.Set("Content-Type", "application/json;charset=UTF-8")
	signHW(hr, []byte("{}"), hwCreds{DemoHuaweiAccessKey, DemoHuaweiSecretKey, ""}, time.Now())
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, hr)
	if rec.Code != 200 || len(rec.Header()["X-request-id"]) != 1 { //nolint:staticcheck // SecMaster spells it X-request-id; the raw key is what is checked
		t.Fatalf("status %d, header %v", rec.Code, rec.Header())
	}
}

// TestAuditLogsAsTheSDKModelSays: the body is optional (none, without a
// Content-Type, is no filter), limit starts at 1, and the window ends
// before offset + limit reaches 10000, refused in SecMaster's error shape.
func TestAuditLogsAsTheSDKModelSays(t *testing.T) {
	data := Generate(DefaultSeed, Sizes{SizeWorkspaces: 1, SizeAuditLogsPerWorkspace: AuditLogsWindow + 20})
	e := newEnv(t, Options{Data: data})
	ws := WorkspaceID(1)
	logs := data.Workspaces()[ws]

	none := decodeAs[tAuditLogs](t, e.send(e.hwReq("POST", alPath(ws), pageQ(0, 50), nil)))
	empty := decodeAs[tAuditLogs](t, e.send(e.hwReq("POST", alPath(ws), pageQ(0, 50), []byte(`{}`))))
	if none.Count != len(logs) || len(none.AuditLogs) != 50 || !slices.EqualFunc(none.AuditLogs, empty.AuditLogs, func(a, b json.RawMessage) bool { return string(a) == string(b) }) {
		t.Fatalf("no body: count %d, %d logs; want the answer to {}", none.Count, len(none.AuditLogs))
	}
	for _, limit := range []int{1, 9} {
		page := decodeAs[tAuditLogs](t, e.send(e.hwReq("POST", alPath(ws), pageQ(0, limit), nil)))
		if len(page.AuditLogs) != limit {
			t.Fatalf("limit %d: %d logs", limit, len(page.AuditLogs))
		}
	}

	// The last logs the window reaches: offset + limit = 9999.
	last := decodeAs[tAuditLogs](t, e.send(e.hwReq("POST", alPath(ws), pageQ(9950, 49), nil)))
	if last.Count != len(logs) || len(last.AuditLogs) != 49 {
		t.Fatalf("offset 9950 limit 49: count %d, %d logs", last.Count, len(last.AuditLogs))
	}
	var l tAuditLog
	_ = json.Unmarshal(last.AuditLogs[48], &l)
	if l.InstanceID != logs[9998].InstanceID {
		t.Fatalf("log 9999 is %q, want %q", l.InstanceID, logs[9998].InstanceID)
	}
	for _, q := range []url.Values{pageQ(9950, 50), pageQ(9999, 1), pageQ(10000, 10)} {
		er := wantSMErr(t, e.send(e.hwReq("POST", alPath(ws), q, nil)), 400, "SecMaster.00040001")
		if !strings.Contains(er.Message, "must be less than 10000") {
			t.Fatalf("%v: message %q", q, er.Message)
		}
	}
}

func TestAuditLogsRejects(t *testing.T) {
	e := newEnv(t, Options{})
	ws := WorkspaceID(1)
	cases := []struct {
		name string
		q    url.Values
		body string
	}{
		{"missing offset", url.Values{"limit": {"10"}}, `{}`},
		{"missing limit", url.Values{"offset": {"0"}}, `{}`},
		{"limit 0", pageQ(0, 0), `{}`},
		{"limit 51", pageQ(0, 51), `{}`},
		{"offset + limit at the window", pageQ(9950, 50), `{}`},
		{"offset at the window", pageQ(9999, 1), `{}`},
		{"offset past the window", pageQ(20000, 10), `{}`},
		{"negative offset", pageQ(-1, 10), `{}`},
		{"bad sort_key", url.Values{"offset": {"0"}, "limit": {"10"}, "sort_key": {"created_at"}}, `{}`},
		// The SDK's model allows start_time and end_time only.
		{"sort_key status", url.Values{"offset": {"0"}, "limit": {"10"}, "sort_key": {"status"}}, `{}`},
		{"sort_key action_name", url.Values{"offset": {"0"}, "limit": {"10"}, "sort_key": {"action_name"}}, `{}`},
		{"bad sort_dir", url.Values{"offset": {"0"}, "limit": {"10"}, "sort_key": {"start_time"}, "sort_dir": {"up"}}, `{}`},
		{"upper-case sort_dir", url.Values{"offset": {"0"}, "limit": {"10"}, "sort_dir": {"ASC"}}, `{}`},
		{"unknown field", pageQ(0, 10), `{"state":"FAILED"}`},
		{"bad status", pageQ(0, 10), `{"status":"DONE"}`},
		{"bad instance_type", pageQ(0, 10), `{"instance_type":"APP, SCRIPT"}`},
		{"bad trigger_type", pageQ(0, 10), `{"trigger_type":"CRON"}`},
		{"bad log_level", pageQ(0, 10), `{"log_level":"FATAL"}`},
		{"empty enum", pageQ(0, 10), `{"log_level":""}`},
		{"bad start_time", pageQ(0, 10), `{"start_time":"2021-01-30 23:00:00"}`},
		{"bad end_time", pageQ(0, 10), `{"end_time":"yesterday"}`},
		{"number filter", pageQ(0, 10), `{"action_id":5}`},
		{"array body", pageQ(0, 10), `[]`},
		{"blank body", pageQ(0, 10), ` `},
		{"trailing data", pageQ(0, 10), `{}{}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := []byte(c.body)
			req := e.newReq("POST", alPath(ws), c.q, body)
			req.Header.Set("Content-Type", "application/json;charset=UTF-8")
			signHW(req, body, e.hw, time.Now())
			wantSMErr(t, e.send(req), 400, "SecMaster.00040001")
		})
	}
	t.Run("content type", func(t *testing.T) {
		for _, ct := range []string{"", "text/plain", "application/json;charset=GBK"} {
			req := e.newReq("POST", alPath(ws), pageQ(0, 10), []byte(`{}`))
			if ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			signHW(req, []byte(`{}`), e.hw, time.Now())
			wantSMErr(t, e.send(req), 400, "SecMaster.00040001")
		}
	})
	t.Run("unknown workspace", func(t *testing.T) {
		er := wantSMErr(t, e.send(e.hwReq("POST", alPath("ws-9999"), pageQ(0, 10), []byte(`{}`))), 404, "SecMaster.00040401")
		if !strings.Contains(er.Message, "ws-9999") {
			t.Fatalf("message %q", er.Message)
		}
	})
}

func TestAuditLogsFiltersAndSort(t *testing.T) {
	e := newEnv(t, Options{Data: withLastReportTime()})
	ws := WorkspaceID(2)
	logs := e.s.Data().Workspaces()[ws]
	check := func(body string, keep func(*AuditLog) bool) {
		t.Helper()
		got, count := listAudit(t, e, ws, nil, body)
		var want []string
		for i := range logs {
			if keep(&logs[i]) {
				want = append(want, logs[i].InstanceID)
			}
		}
		var gotIDs []string
		for _, l := range got {
			gotIDs = append(gotIDs, l.InstanceID)
		}
		if len(want) == 0 || count != len(want) || !slices.Equal(gotIDs, want) {
			t.Fatalf("%s: count %d, got %d, want %d", body, count, len(gotIDs), len(want))
		}
	}
	check(`{"status":"FAILED"}`, func(l *AuditLog) bool { return l.Status == "FAILED" })
	check(`{"instance_type":"PLAYBOOK","trigger_type":"TIMER"}`, func(l *AuditLog) bool { return l.InstanceType == "PLAYBOOK" && l.TriggerType == "TIMER" })
	check(`{"log_level":"WARN"}`, func(l *AuditLog) bool { return l.LogLevel == "WARN" })
	hostileJSON, _ := json.Marshal(HostileActionID)
	check(`{"action_id":`+string(hostileJSON)+`}`, func(l *AuditLog) bool { return l.ActionID == HostileActionID })
	check(`{"action_name":"DisabledIp"}`, func(l *AuditLog) bool { return strings.Contains(l.ActionName, "DisabledIp") })
	frag, _ := json.Marshal(`"hardening"=v1+2`)
	check(`{"input":`+string(frag)+`}`, func(l *AuditLog) bool { return strings.Contains(l.Input, `"hardening"=v1+2`) })
	check(`{"output":"blocked"}`, func(l *AuditLog) bool { return strings.Contains(l.Output, "blocked") })
	check(`{"error_msg":"失败"}`, func(l *AuditLog) bool { return strings.Contains(l.ErrorMsg, "失败") })
	parent := logs[0].InstanceID
	check(`{"parent_instance_id":"`+parent+`"}`, func(l *AuditLog) bool { return l.ParentInstanceID == parent })
	instJSON, _ := json.Marshal(logs[8].InstanceID)
	check(`{"instance_id":`+string(instJSON)+`}`, func(l *AuditLog) bool { return l.InstanceID == logs[8].InstanceID })
	from, to := "2026-11-18T00:00:00Z", "2026-11-19T00:00:00Z"
	tf, _ := time.Parse(time.RFC3339, from)
	tt, _ := time.Parse(time.RFC3339, to)
	check(`{"start_time":"`+from+`","end_time":"`+to+`"}`, func(l *AuditLog) bool {
		s, _ := time.Parse(time.RFC3339, l.StartTime)
		en, _ := time.Parse(time.RFC3339, l.EndTime)
		return !s.Before(tf) && !en.After(tt)
	})
	check(`{"status":null}`, func(*AuditLog) bool { return true })
	// The ids are matched whole: a part of one matches nothing (the text
	// fields above match a part).
	for _, body := range []string{`{"instance_id":` + string(instJSON[:len(instJSON)-3]) + `"}`, `{"parent_instance_id":"` + parent[1:] + `"}`} {
		if got, count := listAudit(t, e, ws, nil, body); count != 0 || len(got) != 0 {
			t.Fatalf("%s: count %d, %d logs; want none", body, count, len(got))
		}
	}

	for _, dir := range []string{"asc", "desc", ""} {
		q := url.Values{"sort_key": {"start_time"}}
		if dir != "" {
			q.Set("sort_dir", dir)
		}
		got, _ := listAudit(t, e, ws, q, `{}`)
		if len(got) != len(logs) {
			t.Fatalf("sorted list has %d logs", len(got))
		}
		ok := slices.IsSortedFunc(got, func(a, b tAuditLog) int {
			if dir == "desc" {
				return strings.Compare(b.StartTime, a.StartTime)
			}
			return strings.Compare(a.StartTime, b.StartTime)
		})
		if !ok {
			t.Fatalf("not sorted %s", dir)
		}
	}
	// Dataset order differs from start_time order, so sorting is observable.
	unsorted, _ := listAudit(t, e, ws, nil, `{}`)
	if slices.IsSortedFunc(unsorted, func(a, b tAuditLog) int { return strings.Compare(a.StartTime, b.StartTime) }) {
		t.Fatal("dataset order is already sorted; the sort test proves nothing")
	}
	// Sorting by end_time uses last_report_time values too, and is stable.
	got, _ := listAudit(t, e, ws, url.Values{"sort_key": {"end_time"}, "sort_dir": {"desc"}}, `{}`)
	end := func(l tAuditLog) string { return l.EndTime + l.LastReportTime }
	if !slices.IsSortedFunc(got, func(a, b tAuditLog) int { return strings.Compare(end(b), end(a)) }) {
		t.Fatal("not sorted by end time")
	}
}

// The generated audit logs: every enum value, hostile values, and end_time
// only (the SDK's model has no last_report_time).
func TestGeneratedAuditLogs(t *testing.T) {
	d := Generate(DefaultSeed, DefaultSizes())
	// Ids documented in the package comment.
	for _, id := range []string{"ws-0001", "ws-0002"} {
		if len(d.Workspaces()[id]) != 120 {
			t.Fatalf("workspace %s", id)
		}
	}
	seen := map[string]map[string]bool{"it": {}, "st": {}, "tt": {}, "ll": {}}
	var last, hostileAudit int
	for _, l := range d.Workspaces()["ws-0001"] {
		seen["it"][l.InstanceType], seen["st"][l.Status], seen["tt"][l.TriggerType], seen["ll"][l.LogLevel] = true, true, true, true
		if l.UseLastReportTime {
			last++
		}
		if _, err := time.Parse("2006-01-02T15:04:05Z", l.StartTime); err != nil {
			t.Fatalf("audit start_time %q", l.StartTime)
		}
		for _, v := range []string{l.ActionID, l.ActionName, l.InstanceID, l.ParentInstanceID, l.Input, l.Output} {
			if strings.Contains(v, HostileText) {
				hostileAudit++
			}
		}
	}
	if len(seen["it"]) != 6 || len(seen["st"]) != 7 || len(seen["tt"]) != 4 || len(seen["ll"]) != 4 || last != 0 || hostileAudit == 0 {
		t.Fatalf("audit coverage %v, %d last_report_time, %d hostile", seen, last, hostileAudit)
	}
}
