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

type tScriptRecords struct {
	Count         int               `json:"count"`
	ScriptRecords []json.RawMessage `json:"script_records"`
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
			var rec ScriptRecordAnswer
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
	var first ScriptRecordAnswer
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

// The generated script records: ids, every status, hostile values, newest first.
func TestGeneratedScriptRecords(t *testing.T) {
	d := Generate(DefaultSeed, DefaultSizes())
	// Ids documented in the package comment.
	if d.ScriptRecords()[0].ID != "ser-000001" || len(d.ScriptRecords()) != 250 {
		t.Fatal("script record ids")
	}
	statuses := map[string]int{}
	hostile := map[string]int{}
	for i, r := range d.ScriptRecords() {
		statuses[r.Status]++
		if !r.History {
			for field, v := range map[string]string{"script_id": r.ScriptID, "script_name": r.ScriptName, "resource_id": r.ResourceID, "resource_group_id": r.ResourceGroupID} {
				if strings.Contains(v, HostileText) {
					hostile[field]++
				}
			}
		}
		st, err := time.Parse("2006-01-02T15:04:05.000Z", r.StartTime)
		if err != nil || st.After(DataEnd) || st.Before(DataEnd.Add(-73*time.Hour)) {
			t.Fatalf("record %d start_time %q", i, r.StartTime)
		}
		if i > 0 && r.StartTime > d.ScriptRecords()[i-1].StartTime {
			t.Fatalf("records not newest first at %d", i)
		}
	}
	for _, s := range []string{"SUCCESS", "FAILED", "RUNNING", "WAITING"} {
		if statuses[s] == 0 {
			t.Fatalf("no %s record: %v", s, statuses)
		}
	}
	for _, f := range []string{"script_id", "script_name", "resource_id", "resource_group_id"} {
		if hostile[f] < 3 {
			t.Fatalf("only %d visible records with a hostile %s", hostile[f], f)
		}
	}
}

func TestGenerateLarge(t *testing.T) {
	d := Generate(7, Sizes{SizeScriptRecords: 100000})
	if len(d.ScriptRecords()) != 100000 || d.ScriptRecords()[99999].ID != "ser-100000" {
		t.Fatalf("%d records, last %s", len(d.ScriptRecords()), d.ScriptRecords()[len(d.ScriptRecords())-1].ID)
	}
	ids := map[string]bool{}
	for _, r := range d.ScriptRecords() {
		if ids[r.ID] {
			t.Fatalf("duplicate id %s", r.ID)
		}
		ids[r.ID] = true
	}
}

func BenchmarkGenerate100k(b *testing.B) {
	sz := Sizes{SizeScriptRecords: 100000}
	for b.Loop() {
		Generate(1, sz)
	}
}

// HostileText has every character the generated data is to hold.
// BenchmarkScriptRecordsPage serves one filtered page of 100,000 records.
func BenchmarkScriptRecordsPage(b *testing.B) {
	s, err := New(Options{Data: Generate(1, Sizes{SizeScriptRecords: 100000})})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	for b.Loop() {
		req := httptest.NewRequest("GET", "http://127.0.0.1:1/v2/"+demoProject+"/script-execution-records?limit=100&offset=5000&status=FAILED", nil)
		signHW(req, nil, hwCreds{DemoHuaweiAccessKey, DemoHuaweiSecretKey, ""}, time.Now())
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
