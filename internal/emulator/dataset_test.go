package emulator

import (
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestGenerateDeterministic(t *testing.T) {
	a := Generate(42, DefaultSizes())
	b := Generate(42, DefaultSizes())
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different data")
	}
	c := Generate(43, DefaultSizes())
	if reflect.DeepEqual(a.ScriptRecords(), c.ScriptRecords()) {
		t.Fatal("different seeds, same data")
	}
	// Ids do not depend on the seed.
	for i := range a.ScriptRecords() {
		if a.ScriptRecords()[i].ID != c.ScriptRecords()[i].ID || a.ScriptRecords()[i].ScriptID != c.ScriptRecords()[i].ScriptID {
			t.Fatal("ids depend on the seed")
		}
	}
	empty := Generate(1, Sizes{})
	if len(empty.ScriptRecords()) != 0 || len(empty.ScreenRecords()) != 0 || empty.Projects[DemoRegionHuawei] != ProjectID(DemoRegionHuawei) {
		t.Fatalf("empty sizes: %+v", empty)
	}
}

func TestHostileText(t *testing.T) {
	for _, ch := range []string{" ", "&", "=", "+", `"`, "'", "%", "/", "?", "#", "补"} {
		if !strings.Contains(HostileText, ch) {
			t.Fatalf("HostileText lacks %q", ch)
		}
	}
}

func TestFixtureRoundTrip(t *testing.T) {
	d := Generate(5, Sizes{SizeScriptRecords: 40, SizeScreenRecords: 1, SizeEventsPerScreenRecord: 20, SizeWorkspaces: 1, SizeAuditLogsPerWorkspace: 12, SizeExecutions: 1, SizeLogsPerExecution: 15})
	// A fixture-only field the generator leaves false.
	d.Workspaces()[WorkspaceID(1)][3].UseLastReportTime = true
	path := filepath.Join(t.TempDir(), "data.json")
	if err := d.WriteFixture(path); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	for _, key := range []string{`"resource_group_id"`, `"is_first_order"`, `"task_type"`, `"history": true`, `"use_last_report_time": true`, "补丁 & "} {
		if !strings.Contains(string(raw), key) {
			t.Fatalf("fixture lacks %s", key)
		}
	}
	got, err := LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, d) {
		t.Fatal("round trip changed the dataset")
	}
}

func TestLoadFixtureErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct{ name, content, want string }{
		{"syntax.json", "{\n  \"projects\": {\n    \"cn-north-4\": \"abc\",\n  }\n}", "line 4"},
		{"unknown.json", `{"project": {}}`, `unknown field "project"`},
		{"type.json", `{"script_records": [{"execute_order": "1"}]}`, "wrong type"},
		{"trailing.json", `{} {}`, "after the dataset"},
		{"empty.json", ``, "empty file"},
		{"dup.json", `{"projects": {"a": "p", "b": "p"}}`, "used by regions"},
	}
	for _, c := range cases {
		p := write(c.name, c.content)
		_, err := LoadFixture(p)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v, want one naming the file and %q", c.name, err, c.want)
		}
	}
	if _, err := LoadFixture(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
	d, err := LoadFixture(write("min.json", `{"executions": {"exec-x": null}}`))
	if err != nil {
		t.Fatal(err)
	}
	if d.Projects == nil || d.ScreenRecords() == nil || d.Workspaces() == nil || d.ScriptRecords() == nil || d.Executions()["exec-x"] == nil {
		t.Fatalf("maps not made empty: %+v", d)
	}
}

// A hand-written fixture is served as given.
func TestServeFixture(t *testing.T) {
	d := &Dataset{Projects: map[string]string{"cn-north-4": "proj-1"}}
	d.SetScriptRecords([]ScriptRecord{
		{ScriptRecordAnswer: ScriptRecordAnswer{ID: "r1", ScriptID: "s", ResourceID: "d", StartTime: "2026-01-01T00:00:00Z", Status: "SUCCESS"}},
		{ScriptRecordAnswer: ScriptRecordAnswer{ID: "r0", ScriptID: "s", ResourceID: "d", StartTime: "2025-01-01T00:00:00Z", Status: "FAILED"}, History: true},
	})
	d.SetExecutions(map[string][]ExecutionLog{"e": {{TaskExecutionID: "e.t1", Message: "m", LogType: "System", Timestamp: "2019-05-24T:02:29:07Z"}}})
	e := newEnv(t, Options{Data: d})
	r := e.send(e.hwReq("GET", "/v2/proj-1/script-execution-records", nil, nil))
	page := decodeAs[tScriptRecords](t, r)
	if page.Count != 1 {
		t.Fatalf("count %d", page.Count)
	}
	r = e.send(e.hwReq("GET", "/v2/proj-1/script-execution-records", url.Values{"show_history": {"true"}, "resource_id": {"d"}, "script_id": {"s"}}, nil))
	if page = decodeAs[tScriptRecords](t, r); page.Count != 2 {
		t.Fatalf("history count %d", page.Count)
	}
	logs := decodeAs[tExecLogs](t, e.send(e.aliReq(url.Values{"ExecutionId": {"e"}})))
	if len(logs.ExecutionLogs) != 1 || logs.ExecutionLogs[0].Timestamp != "2019-05-24T:02:29:07Z" || logs.NextToken != "" {
		t.Fatalf("logs %+v", logs)
	}
	wantHWErr(t, e.send(e.hwReq("GET", evPath("sr-0001"), nil, nil)), 403, "APIG.0302")
	if e.s.Data().Workspaces() == nil || e.s.Data().ScreenRecords() == nil {
		t.Fatal("nil maps not made empty")
	}
}

func TestStartAtLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:8787", "example.com:80", "127.0.0.1"} {
		if s, err := StartAt(addr, Options{}); err == nil {
			s.Close()
			t.Errorf("StartAt(%q) accepted", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		s, err := StartAt(addr, Options{})
		if err != nil {
			t.Fatalf("StartAt(%q): %v", addr, err)
		}
		if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") && !strings.HasPrefix(s.URL(), "http://[::1]:") {
			t.Errorf("URL %s", s.URL())
		}
		s.Close()
	}
	if _, err := New(Options{HuaweiAccessKey: "ak"}); err == nil {
		t.Error("access key without secret accepted")
	}
}

// TestGenerateAt: the data of GenerateAt is Generate's moved to end: the
// same items, every time as far before end as it is before DataEnd, and no
// script record or audit log starts or ends after end.
func TestGenerateAt(t *testing.T) {
	sz := DefaultSizes()
	if !reflect.DeepEqual(GenerateAt(DefaultSeed, sz, DataEnd), Generate(DefaultSeed, sz)) {
		t.Fatal("GenerateAt(DataEnd) is not Generate")
	}
	end := time.Date(2031, 2, 3, 4, 5, 6, 789, time.FixedZone("x", 3600))
	shift := end.Truncate(time.Second).Sub(DataEnd)
	pinned, moved := Generate(DefaultSeed, sz), GenerateAt(DefaultSeed, sz, end)
	moveBy := func(s string) string {
		t.Helper()
		tm, ok := parseItemTime(s)
		if !ok {
			t.Fatalf("time %q", s)
		}
		layout := time.RFC3339
		switch {
		case strings.Contains(s, " "):
			layout = time.DateTime
		case strings.Contains(s, "."):
			layout = "2006-01-02T15:04:05.000Z"
		}
		return tm.Add(shift).UTC().Format(layout)
	}
	last := end.UTC().Truncate(time.Second)
	notAfterEnd := func(what, s string) {
		t.Helper()
		if tm, ok := parseItemTime(s); !ok || tm.After(last) {
			t.Fatalf("%s %q is after the end %s", what, s, last.Format(time.RFC3339))
		}
	}
	for i, r := range moved.ScriptRecords() {
		p := pinned.ScriptRecords()[i]
		if r.StartTime != moveBy(p.StartTime) || r.ID != p.ID || r.ScriptName != p.ScriptName || r.Status != p.Status {
			t.Fatalf("record %d: %+v, want %+v moved by %s", i, r, p, shift)
		}
		notAfterEnd("start_time", r.StartTime)
		if r.EndTime != "" {
			notAfterEnd("end_time", r.EndTime)
		}
	}
	for ws, logs := range moved.Workspaces() {
		for i, l := range logs {
			p := pinned.Workspaces()[ws][i]
			if l.StartTime != moveBy(p.StartTime) || l.InstanceID != p.InstanceID {
				t.Fatalf("%s log %d: %+v, want %+v moved", ws, i, l, p)
			}
			notAfterEnd("start_time", l.StartTime)
			notAfterEnd("end_time", l.EndTime)
		}
	}
	for sr, evs := range moved.ScreenRecords() {
		for i, e := range evs {
			if e.OperationTime != moveBy(pinned.ScreenRecords()[sr][i].OperationTime) {
				t.Fatalf("%s event %d: %q, want %q moved", sr, i, e.OperationTime, pinned.ScreenRecords()[sr][i].OperationTime)
			}
		}
	}
	for ex, logs := range moved.Executions() {
		for i, l := range logs {
			if l.Timestamp != moveBy(pinned.Executions()[ex][i].Timestamp) {
				t.Fatalf("%s log %d: %q, want %q moved", ex, i, l.Timestamp, pinned.Executions()[ex][i].Timestamp)
			}
		}
	}
	// The README's first example: harden-desktop ran in the last 24 hours.
	recent := 0
	for _, r := range moved.ScriptRecords() {
		if tm, _ := parseItemTime(r.StartTime); r.ScriptName == "harden-desktop" && !r.History && tm.After(last.Add(-24*time.Hour)) {
			recent++
		}
	}
	if recent == 0 {
		t.Fatal("no harden-desktop record in the last 24 hours")
	}
}

// TestSummary: the banner's description of the data has the time range of
// each API and the values of each filter, plain values first.
func TestSummary(t *testing.T) {
	sum := Generate(DefaultSeed, DefaultSizes()).Summary()
	if len(sum) != len(Fixtures()) {
		t.Fatalf("%d APIs", len(sum))
	}
	want := map[string][]string{
		"script_names":       {"collect-logs", "install-agent", "rotate-keys", "sync-time", "harden-desktop"},
		"resource_group_ids": {"rg-01", "rg-04"},
		"resource_ids":       {"desktop-0001", "desktop-0003"},
		"script_ids":         {"script-01", "script-03", "script-04"},
		"screen_record_id":   {"sr-0001", "sr-0002"},
		"workspace_id":       {"ws-0001", "ws-0002"},
		"execution_id":       {"exec-0001", "exec-0002"},
		"task_execution_id":  {"exec-0001.t0001", "exec-0001.t0002"},
		"log_type":           {"System", "Task", "Output"},
	}
	seen := map[string]bool{}
	for _, a := range sum {
		from, ok1 := parseItemTime(a.Earliest)
		to, ok2 := parseItemTime(a.Latest)
		if a.Items == 0 || !ok1 || !ok2 || from.After(to) || to.After(DataEnd) {
			t.Errorf("%s: %d items, %s from %q to %q", a.Name, a.Items, a.TimeField, a.Earliest, a.Latest)
		}
		for _, f := range a.Fields {
			if len(f.Values) == 0 {
				t.Errorf("%s: no values of %s", a.Name, f.Field)
			}
			if w, ok := want[f.Field]; ok {
				seen[f.Field] = true
				if len(f.Values) < len(w) || !reflect.DeepEqual(f.Values[:len(w)], w) {
					t.Errorf("%s: %q, want it to start with %q", f.Field, f.Values, w)
				}
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("fields described: %v, want %v", seen, want)
	}
	if to, _ := parseItemTime(sum[0].Latest); to.Before(DataEnd.Add(-time.Hour)) {
		t.Errorf("script records end at %q, want within the hour before %s", sum[0].Latest, DataEnd.Format(time.RFC3339))
	}
}
