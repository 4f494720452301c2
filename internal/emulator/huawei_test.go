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

var demoProject = ProjectID(DemoRegionHuawei)

type tProjects struct {
	Projects []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		DomainID string `json:"domain_id"`
		Enabled  bool   `json:"enabled"`
		Desc     string `json:"description"`
		ParentID string `json:"parent_id"`
		IsDomain bool   `json:"is_domain"`
		Links    struct {
			Self string `json:"self"`
		} `json:"links"`
	} `json:"projects"`
	Links struct {
		Self     string  `json:"self"`
		Previous *string `json:"previous"`
		Next     *string `json:"next"`
	} `json:"links"`
}

func TestIAMProjects(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.send(e.hwReq("GET", "/v3/projects", url.Values{"name": {DemoRegionHuawei}}, nil))
	wantOK(t, r)
	p := decodeAs[tProjects](t, r)
	if len(p.Projects) != 1 || p.Projects[0].ID != demoProject || p.Projects[0].Name != DemoRegionHuawei ||
		!p.Projects[0].Enabled || p.Projects[0].DomainID != DomainID() {
		t.Fatalf("projects %+v", p.Projects)
	}
	id1 := r.header.Get("X-Request-Id")
	r2 := e.send(e.hwReq("GET", "/v3/projects", url.Values{"name": {"xx-nowhere-1"}}, nil))
	wantOK(t, r2)
	if !strings.Contains(string(r2.body), `"projects":[]`) {
		t.Fatalf("unknown region: %s", r2.body)
	}
	if id2 := r2.header.Get("X-Request-Id"); id1 == "" || id1 == id2 {
		t.Fatalf("request ids %q %q", id1, id2)
	}
	all := decodeAs[tProjects](t, e.send(e.hwReq("GET", "/v3/projects", nil, nil)))
	if len(all.Projects) != len(HuaweiRegions) {
		t.Fatalf("all projects: %d", len(all.Projects))
	}
	// IAM is signed like everything else.
	wantHWErr(t, e.send(e.newReq("GET", "/v3/projects", url.Values{"name": {DemoRegionHuawei}}, nil)), 401, "APIG.0301")
}

func TestRouting(t *testing.T) {
	e := newEnv(t, Options{})
	wantHWErr(t, e.send(e.hwReq("GET", "/v2/"+demoProject+"/nothing-here", nil, nil)), 404, "APIG.0101")
	wantHWErr(t, e.send(e.hwReq("DELETE", "/v2/"+demoProject+"/script-execution-records", nil, nil)), 405, "APIG.0101")
	if e.s.Requests(APIUnknown) != 1 || e.s.Requests(APIScriptRecords) != 1 {
		t.Fatalf("counters unknown=%d records=%d", e.s.Requests(APIUnknown), e.s.Requests(APIScriptRecords))
	}
	wantHWErr(t, e.send(e.hwReq("GET", "/v2/0123456789abcdef0123456789abcdef/script-execution-records", nil, nil)), 403, "APIG.0302")
}

type tScriptRecords struct {
	Count         int               `json:"count"`
	ScriptRecords []json.RawMessage `json:"script_records"`
}

type tScriptRecord struct {
	ID           string `json:"id"`
	ScriptID     string `json:"script_id"`
	ScriptName   string `json:"script_name"`
	ScriptTaskID string `json:"script_task_id"`
	ResourceID   string `json:"resource_id"`
	ResourceName string `json:"resource_name"`
	ResourceType string `json:"resource_type"`
	StartTime    string `json:"start_time"`
	EndTime      string `json:"end_time"`
	Status       string `json:"status"`
	ExecuteOrder int    `json:"execute_order"`
	ResultCode   string `json:"result_code"`
	Reason       string `json:"reason"`
}

func recPath() string { return "/v2/" + demoProject + "/script-execution-records" }

// listRecords reads every page of script records for q and returns the ids
// and the count of the first page.
func listRecords(t *testing.T, e *env, q url.Values) ([]string, int) {
	t.Helper()
	var ids []string
	count := -1
	for offset := 0; ; offset += 100 {
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		qq.Set("offset", strconv.Itoa(offset))
		qq.Set("limit", "100")
		r := e.send(e.hwReq("GET", recPath(), qq, nil))
		wantOK(t, r)
		page := decodeAs[tScriptRecords](t, r)
		if count == -1 {
			count = page.Count
		} else if page.Count != count {
			t.Fatalf("count changed between pages: %d then %d", count, page.Count)
		}
		for _, raw := range page.ScriptRecords {
			var rec tScriptRecord
			if err := json.Unmarshal(raw, &rec); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, rec.ID)
		}
		if len(page.ScriptRecords) < 100 {
			return ids, count
		}
	}
}

func expectRecords(d *Dataset, keep func(*ScriptRecord) bool) []string {
	var ids []string
	for i := range d.ScriptRecords() {
		if keep(&d.ScriptRecords()[i]) {
			ids = append(ids, d.ScriptRecords()[i].ID)
		}
	}
	return ids
}

func TestScriptRecordsAnswer(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.send(e.hwReq("GET", recPath(), nil, nil))
	wantOK(t, r)
	if r.header.Get("X-Request-Id") == "" {
		t.Fatal("no X-Request-Id")
	}
	page := decodeAs[tScriptRecords](t, r)
	latest := expectRecords(e.s.Data(), func(r *ScriptRecord) bool { return !r.History })
	if page.Count != len(latest) || len(page.ScriptRecords) != 10 {
		t.Fatalf("count %d (want %d), %d records (want the default 10)", page.Count, len(latest), len(page.ScriptRecords))
	}
	want := []string{"end_time", "execute_order", "id", "reason", "resource_id", "resource_name", "resource_type",
		"result_code", "script_id", "script_name", "script_task_id", "start_time", "status"}
	for _, raw := range page.ScriptRecords {
		if got := keysOf(t, raw); !slices.Equal(got, want) {
			t.Fatalf("record keys %v, want %v", got, want)
		}
	}
	var first tScriptRecord
	_ = json.Unmarshal(page.ScriptRecords[0], &first)
	d0 := e.s.Data().ScriptRecords()[0]
	if first.ID != d0.ID || first.StartTime != d0.StartTime || first.ExecuteOrder != d0.ExecuteOrder {
		t.Fatalf("first record %+v, dataset %+v", first, d0)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", first.StartTime); err != nil {
		t.Fatalf("start_time %q: %v", first.StartTime, err)
	}

	ids, count := listRecords(t, e, nil)
	if !slices.Equal(ids, latest) || count != len(latest) {
		t.Fatalf("paged ids differ from the latest records: got %d, want %d", len(ids), len(latest))
	}
	// Past the end: an empty list, not null.
	r = e.send(e.hwReq("GET", recPath(), url.Values{"offset": {"100000"}}, nil))
	if !strings.Contains(string(r.body), `"script_records":[]`) {
		t.Fatalf("past the end: %s", r.body)
	}
}

func TestScriptRecordsRejects(t *testing.T) {
	e := newEnv(t, Options{})
	bad := []url.Values{
		{"limit": {"0"}},
		{"limit": {"101"}},
		{"limit": {"ten"}},
		{"limit": {""}},
		{"offset": {"-1"}},
		{"offset": {"1.5"}},
		{"is_first_order": {"yes"}},
		{"task_type": {"SHELL"}},
		{"show_history": {"1"}},
		{"show_history": {"true"}},
		{"show_history": {"true"}, "resource_id": {"desktop-0001"}},
		{"show_history": {"true"}, "script_id": {"script-01"}},
		{"execute_time_start": {"2026-11-20"}},
		{"execute_time_end": {"2026-11-20 10:00:00"}},
		{"status": {"SUCCESS", "FAILED"}},
	}
	for _, q := range bad {
		r := e.send(e.hwReq("GET", recPath(), q, nil))
		wantHWErr(t, r, 400, "WKS.00000400")
	}
	for _, q := range []url.Values{{"limit": {"1"}}, {"limit": {"100"}}, {"offset": {"0"}}, {"show_history": {"false"}}} {
		wantOK(t, e.send(e.hwReq("GET", recPath(), q, nil)))
	}
}

func TestScriptRecordsFilters(t *testing.T) {
	e := newEnv(t, Options{})
	d := e.s.Data()
	in := func(vs ...string) func(string) bool { return func(s string) bool { return slices.Contains(vs, s) } }
	from, to := "2026-11-18T12:00:00Z", "2026-11-19T12:00:00Z"
	tFrom, _ := time.Parse(time.RFC3339, from)
	tTo, _ := time.Parse(time.RFC3339, to)
	cases := []struct {
		name string
		q    url.Values
		keep func(*ScriptRecord) bool
	}{
		{"hostile script ids", url.Values{"script_id": {HostileScriptID, "script-01"}},
			func(r *ScriptRecord) bool { return !r.History && in(HostileScriptID, "script-01")(r.ScriptID) }},
		{"hostile resource id", url.Values{"resource_id": {HostileResourceID}},
			func(r *ScriptRecord) bool { return !r.History && r.ResourceID == HostileResourceID }},
		{"hostile resource group and name", url.Values{"resource_group_id": {HostileResourceGroupID}, "script_name": {HostileScriptName, "sync-time"}},
			func(r *ScriptRecord) bool {
				return !r.History && r.ResourceGroupID == HostileResourceGroupID && in(HostileScriptName, "sync-time")(r.ScriptName)
			}},
		{"status and type", url.Values{"status": {"FAILED"}, "task_type": {"COMMAND"}},
			func(r *ScriptRecord) bool { return !r.History && r.Status == "FAILED" && r.TaskType == "COMMAND" }},
		{"first order", url.Values{"is_first_order": {"false"}},
			func(r *ScriptRecord) bool { return !r.History && !r.IsFirstOrder }},
		{"task id", url.Values{"script_task_id": {d.ScriptRecords()[0].ScriptTaskID}},
			func(r *ScriptRecord) bool { return !r.History && r.ScriptTaskID == d.ScriptRecords()[0].ScriptTaskID }},
		{"time window", url.Values{"execute_time_start": {from}, "execute_time_end": {to}},
			func(r *ScriptRecord) bool {
				st, _ := time.Parse(time.RFC3339Nano, r.StartTime)
				return !r.History && !st.Before(tFrom) && !st.After(tTo)
			}},
		{"history", url.Values{"show_history": {"true"}, "resource_id": {HostileResourceID}, "script_id": {HostileScriptID}},
			func(r *ScriptRecord) bool { return r.ResourceID == HostileResourceID && r.ScriptID == HostileScriptID }},
		{"no match", url.Values{"script_id": {"script-99"}}, func(*ScriptRecord) bool { return false }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := expectRecords(d, c.keep)
			if c.name != "no match" && len(want) < 2 {
				t.Fatalf("dataset has only %d matching records; the test needs several", len(want))
			}
			got, count := listRecords(t, e, c.q)
			if !slices.Equal(got, want) || count != len(want) {
				t.Fatalf("got %d ids (count %d), want %d", len(got), count, len(want))
			}
		})
	}
	// History really is included: the hostile pair has older records.
	hist := expectRecords(d, func(r *ScriptRecord) bool {
		return r.History && r.ResourceID == HostileResourceID && r.ScriptID == HostileScriptID
	})
	if len(hist) == 0 {
		t.Fatal("no history for the hostile pair")
	}
}

// A client that sends the query form-encoded ('+' for space) but signs the
// canonical form is accepted and filters on the decoded values.
func TestScriptRecordsFormEncodedQuery(t *testing.T) {
	e := newEnv(t, Options{})
	q := url.Values{"resource_id": {HostileResourceID}, "limit": {"100"}}
	req := e.newReq("GET", recPath(), nil, nil)
	req.URL.RawQuery = q.Encode()
	if !strings.Contains(req.URL.RawQuery, "+") {
		t.Fatalf("expected a form-encoded query, got %s", req.URL.RawQuery)
	}
	signHW(req, nil, e.hw, time.Now())
	r := e.send(req)
	wantOK(t, r)
	page := decodeAs[tScriptRecords](t, r)
	want := expectRecords(e.s.Data(), func(r *ScriptRecord) bool { return !r.History && r.ResourceID == HostileResourceID })
	if page.Count != len(want) {
		t.Fatalf("count %d, want %d", page.Count, len(want))
	}
	// A literal unescaped '+' is a space, so the value no longer matches.
	req = e.newReq("GET", recPath(), nil, nil)
	req.URL.RawQuery = "resource_id=" + strings.ReplaceAll(url.QueryEscape(HostileResourceID), "%2B", "+")
	signHW(req, nil, e.hw, time.Now())
	page = decodeAs[tScriptRecords](t, e.send(req))
	if page.Count != 0 {
		t.Fatalf("unescaped + matched %d records", page.Count)
	}
}

type tEvents struct {
	TotalCount int               `json:"total_count"`
	Operations []json.RawMessage `json:"operations"`
}

func evPath(id string) string {
	return "/v2/" + demoProject + "/screen-records/" + id + "/os-operations"
}

func TestDesktopEvents(t *testing.T) {
	e := newEnv(t, Options{})
	d := e.s.Data()
	sr := ScreenRecordID(1)
	r := e.send(e.hwReq("GET", evPath(sr), nil, nil))
	wantOK(t, r)
	page := decodeAs[tEvents](t, r)
	// limit defaults to 100 (the official SDK's model).
	if page.TotalCount != len(d.ScreenRecords()[sr]) || len(page.Operations) != 100 {
		t.Fatalf("total %d, %d operations", page.TotalCount, len(page.Operations))
	}
	want := []string{"desktop_id", "event_data", "event_id", "event_level", "event_type", "id", "operation_time",
		"project_id", "relative_start_time", "screen_record_id", "username"}
	if got := keysOf(t, page.Operations[0]); !slices.Equal(got, want) {
		t.Fatalf("keys %v", got)
	}
	var ev DesktopEvent
	_ = json.Unmarshal(page.Operations[3], &ev)
	if ev != d.ScreenRecords()[sr][3] {
		t.Fatalf("event %+v, want %+v", ev, d.ScreenRecords()[sr][3])
	}

	count := func(q url.Values, keep func(*DesktopEvent) bool) {
		t.Helper()
		q.Set("limit", "1000")
		page := decodeAs[tEvents](t, e.send(e.hwReq("GET", evPath(sr), q, nil)))
		var want []string
		for i := range d.ScreenRecords()[sr] {
			if keep(&d.ScreenRecords()[sr][i]) {
				want = append(want, d.ScreenRecords()[sr][i].ID)
			}
		}
		var got []string
		for _, raw := range page.Operations {
			var ev DesktopEvent
			_ = json.Unmarshal(raw, &ev)
			got = append(got, ev.ID)
		}
		if len(want) == 0 || page.TotalCount != len(want) || !slices.Equal(got, want) {
			t.Fatalf("%v: total %d, got %d, want %d", q, page.TotalCount, len(got), len(want))
		}
	}
	count(url.Values{"event_type": {"REG"}}, func(e *DesktopEvent) bool { return e.EventType == "REG" })
	count(url.Values{"event_id": {"REG_SETVALUE"}, "event_level": {"ALARM"}},
		func(e *DesktopEvent) bool { return e.EventID == "REG_SETVALUE" && e.EventLevel == "ALARM" })
	count(url.Values{"event_data": {HostileText}}, func(e *DesktopEvent) bool { return strings.Contains(e.EventData, HostileText) })
	count(url.Values{"event_data": {`"hardening"=v1+2`}, "event_type": {"APP"}},
		func(e *DesktopEvent) bool {
			return e.EventType == "APP" && strings.Contains(e.EventData, `"hardening"=v1+2`)
		})

	zero := decodeAs[tEvents](t, e.send(e.hwReq("GET", evPath(sr), url.Values{"limit": {"0"}}, nil)))
	if zero.TotalCount != len(d.ScreenRecords()[sr]) || len(zero.Operations) != 0 {
		t.Fatalf("limit 0: %+v", zero)
	}
	for _, q := range []url.Values{
		{"limit": {"1001"}}, {"limit": {"-1"}}, {"offset": {"-1"}}, {"event_type": {"NET"}},
		{"event_id": {"APP_1", "APP_2"}}, {"event_level": {"Information"}}, {"event_data": {"a", "b"}},
	} {
		wantHWErr(t, e.send(e.hwReq("GET", evPath(sr), q, nil)), 400, "WKS.00000400")
	}
	// Any event_id string is taken (the SDK's model has no list): one no
	// event has matches nothing.
	for _, id := range []string{"APP_EXPLODE", "REG_FOOBAR", "补丁 & x"} {
		none := decodeAs[tEvents](t, e.send(e.hwReq("GET", evPath(sr), url.Values{"event_id": {id}}, nil)))
		if none.TotalCount != 0 || len(none.Operations) != 0 {
			t.Fatalf("event_id %q: %+v", id, none)
		}
	}
	er := wantHWErr(t, e.send(e.hwReq("GET", evPath("sr-9999"), nil, nil)), 404, "WKS.00000404")
	if !strings.Contains(er.ErrorMsg, "sr-9999") {
		t.Fatalf("404 message %q", er.ErrorMsg)
	}
}

type tAuditLogs struct {
	Count     int               `json:"count"`
	AuditLogs []json.RawMessage `json:"audit_logs"`
}

type tAuditLog struct {
	InstanceType     string `json:"instance_type"`
	ActionID         string `json:"action_id"`
	ActionName       string `json:"action_name"`
	InstanceID       string `json:"instance_id"`
	ParentInstanceID string `json:"parent_instance_id"`
	LogLevel         string `json:"log_level"`
	Input            string `json:"input"`
	Output           string `json:"output"`
	ErrorMsg         string `json:"error_msg"`
	StartTime        string `json:"start_time"`
	EndTime          string `json:"end_time"`
	LastReportTime   string `json:"last_report_time"`
	Status           string `json:"status"`
	TriggerType      string `json:"trigger_type"`
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

func TestAuditLogsAnswer(t *testing.T) {
	e := newEnv(t, Options{})
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
	e := newEnv(t, Options{})
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
