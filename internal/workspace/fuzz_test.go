package workspace

import (
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/fuzzread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// Fuzz tests of the response path of both data sources: an HTTP 200 body
// goes through the data source's Read (the client, the decoding of the
// answer's fields, the pager, the converter, the state) with every request
// answered by the fuzzer's body. A read must never panic; it either fails
// with the data source's error diagnostic and no result in the state, or
// returns a state that is a valid value of the schema's type (it survives
// the protocol's msgpack encoding) holding no more items than the body.
// The *Values fuzzers build valid pages from fuzzed field values and check
// that every value reaches the state unchanged and every absent field is
// null.
// The harness (the read, the state and value checks) is internal/fuzzread.

// FuzzScriptRecordsPage: any answer body for script execution records.
func FuzzScriptRecordsPage(f *testing.F) {
	f.Add([]byte(`{"count":2,"script_records":[{"id":"ser-000001","script_id":"script-01","script_name":"collect-logs",` +
		`"script_task_id":"task-00001-01","resource_id":"desktop-0001","resource_name":"desk 1","resource_type":"DESKTOP",` +
		`"start_time":"2026-11-20T11:00:00.000Z","end_time":"2026-11-20T11:00:05.000Z","status":"SUCCESS","execute_order":0,` +
		`"result_code":"","reason":""},{"id":"ser-000002","status":"FAILED","execute_order":2,"reason":"补丁 & \"x\"=1+2"}]}`))
	f.Add([]byte(`{"count":0,"script_records":[]}`))
	f.Add([]byte(`{"count":2,"script_records":[{"id":"a"},{"id":"b"}],"SCRIPT_RECORDS":[]}`)) // the key as documented is read, no other case
	f.Add([]byte(`{"count":5,"script_records":[{"id":"a"},{"id":"a"},{}]}`))
	f.Add([]byte(`{"script_records":[{"id":"a"}]}`))
	f.Add([]byte(`{"count":1,"script_records":[null]}`))
	f.Add([]byte(`{"count":1,"script_records":[{"execute_order":1.5}]}`))
	f.Add([]byte(`{"count":1e400,"script_records":[]}`))
	f.Add([]byte(`{"count":2,"script_records":[{"id":"ser-000001","sta`))
	f.Add([]byte(`null`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, body []byte) {
		attrs, records, ok := fuzzread.ReadPage(t, listread.DataSource(ScriptRecords)(), fuzzread.HuaweiMeta("workspace"), body,
			map[string]tftypes.Value{"max_items": fuzzread.Number(int64(ScriptRecords.PageSize))}, ScriptRecords.Summary(), "records")
		if !ok {
			return
		}
		if n := fuzzread.Items(t, body, "script_records"); len(records) > n {
			t.Fatalf("%d records in state from a body of %d", len(records), n)
		}
		var counts map[string]tftypes.Value
		if err := attrs["status_counts"].As(&counts); err != nil {
			t.Fatal(err)
		}
		var counted big.Float
		for _, c := range counts {
			var n big.Float
			if err := c.As(&n); err != nil {
				t.Fatal(err)
			}
			counted.Add(&counted, &n)
		}
		withStatus := 0
		for _, r := range records {
			if !r["status"].IsNull() {
				withStatus++
			}
		}
		if counted.Cmp(big.NewFloat(float64(withStatus))) != 0 {
			t.Fatalf("status_counts sum to %s for %d records with a status", counted.String(), withStatus)
		}
	})
}

// scriptRecordFields are the string fields of a record, in JSON.
var scriptRecordFields = []string{"id", "script_id", "script_name", "script_task_id", "resource_id", "resource_name",
	"resource_type", "start_time", "end_time", "status", "result_code", "reason"}

// FuzzScriptRecordValues: two records built from fuzzed values, each
// field present or absent by a bit of absent, reach the state unchanged,
// absent fields as null; when the second repeats the first one's id they
// are one record, with the content fetched last.
func FuzzScriptRecordValues(f *testing.F) {
	f.Add("ser-1", "ser-2", int64(2), uint32(0))
	f.Add("补丁 & \"x\"=1+2", "\xff\xfe", int64(-1<<63), uint32(0xffffffff))
	f.Add("same", "same", int64(1<<53+1), uint32(0))
	f.Add("", "", int64(0), uint32(1|1<<13))
	f.Fuzz(func(t *testing.T, s1, s2 string, order int64, absent uint32) {
		type rec struct {
			strs  map[string]*string
			order *int64
		}
		build := func(i int, s string) (map[string]any, rec) {
			m := map[string]any{}
			r := rec{strs: map[string]*string{}}
			for j, name := range scriptRecordFields {
				if absent&(1<<(j+13*i)) != 0 {
					r.strs[name] = nil
					continue
				}
				v := name + ":" + s
				if name == "id" {
					v = s
				}
				m[name] = v
				want := fuzzread.JSONString(t, v)
				r.strs[name] = &want
			}
			if absent&(1<<(12+13*i)) == 0 {
				m["execute_order"] = order
				r.order = &order
			}
			return m, r
		}
		m1, r1 := build(0, s1)
		m2, r2 := build(1, s2)
		want := []rec{r1, r2}
		if id1, id2 := r1.strs["id"], r2.strs["id"]; id1 != nil && id2 != nil && *id1 != "" && *id1 == *id2 {
			// A repeated id is one record: an identical repeat is
			// dropped, a changed one replaces the first copy in its
			// place (the copy fetched last wins). Either way the
			// second copy's content stands first. A record without an
			// id is never dropped.
			want = want[1:]
		}
		attrs, got := fuzzread.ReadValid(t, listread.DataSource(ScriptRecords)(), fuzzread.HuaweiMeta("workspace"),
			map[string]any{"count": 2, "script_records": []any{m1, m2}}, nil, "records")
		fuzzread.CheckNumber(t, attrs, "total_count", fuzzread.Int(2))
		if len(got) != len(want) {
			t.Fatalf("%d records in state, want %d", len(got), len(want))
		}
		statuses := map[string]int64{}
		for i, w := range want {
			for _, name := range scriptRecordFields {
				fuzzread.CheckString(t, got[i], name, w.strs[name])
			}
			fuzzread.CheckNumber(t, got[i], "execute_order", w.order)
			if s := w.strs["status"]; s != nil {
				statuses[*s]++
			}
		}
		fuzzread.CheckStatusCounts(t, attrs, statuses)
	})
}

// FuzzDesktopEventsPage: any answer body for key desktop events.
func FuzzDesktopEventsPage(f *testing.F) {
	f.Add([]byte(`{"total_count":2,"operations":[{"id":"ev-0001-00001","project_id":"p","desktop_id":"d-1",` +
		`"screen_record_id":"sr-0001","username":"alice","event_type":"APP","event_level":"INFO","event_id":"APP_START",` +
		`"event_data":"notepad.exe","operation_time":"2026-11-19 09:00:01","relative_start_time":12},` +
		`{"id":"ev-0001-00002","event_type":"FILE","event_id":"FILE_DELETE","relative_start_time":-3}]}`))
	f.Add([]byte(`{"total_count":0,"operations":[]}`))
	f.Add([]byte(`{"total_count":3,"operations":[{"id":"x"},{"id":"x"},{"relative_start_time":null}]}`))
	f.Add([]byte(`{"operations":[]}`))
	f.Add([]byte(`{"total_count":"1","operations":[]}`))
	f.Add([]byte(`{"total_count":1,"operations":{"id":"x"}}`))
	f.Add([]byte(`{"total_count":2,"operations":[{"id":"ev`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, events, ok := fuzzread.ReadPage(t, listread.DataSource(DesktopEvents)(), fuzzread.HuaweiMeta("workspace"), body, map[string]tftypes.Value{
			"screen_record_id": tftypes.NewValue(tftypes.String, "sr-0001"),
			"max_items":        fuzzread.Number(int64(DesktopEvents.PageSize)),
		}, DesktopEvents.Summary(), "events")
		if !ok {
			return
		}
		if n := fuzzread.Items(t, body, "operations"); len(events) > n {
			t.Fatalf("%d events in state from a body of %d", len(events), n)
		}
	})
}

// desktopEventFields are the string fields of an event, in JSON.
var desktopEventFields = []string{"id", "project_id", "desktop_id", "screen_record_id", "username", "event_type",
	"event_level", "event_id", "event_data", "operation_time"}

// FuzzDesktopEventValues: an event built from fuzzed values, each field
// present or absent by a bit of absent, reaches the state unchanged,
// absent fields as null.
func FuzzDesktopEventValues(f *testing.F) {
	f.Add("ev-0001-00001", int64(12), uint16(0))
	f.Add("补丁 & \"x\"=1+2 %/a?b#c", int64(-1<<63), uint16(0x7ff))
	f.Add("\x00\u2028", int64(1<<62), uint16(1))
	f.Fuzz(func(t *testing.T, s string, rel int64, absent uint16) {
		m := map[string]any{}
		want := map[string]*string{}
		for j, name := range desktopEventFields {
			if absent&(1<<j) != 0 {
				want[name] = nil
				continue
			}
			v := name + ":" + s
			m[name] = v
			w := fuzzread.JSONString(t, v)
			want[name] = &w
		}
		var wantRel *int64
		if absent&(1<<10) == 0 {
			m["relative_start_time"] = rel
			wantRel = &rel
		}
		attrs, got := fuzzread.ReadValid(t, listread.DataSource(DesktopEvents)(), fuzzread.HuaweiMeta("workspace"),
			map[string]any{"total_count": 1, "operations": []any{m}},
			map[string]tftypes.Value{"screen_record_id": tftypes.NewValue(tftypes.String, "sr-0001")}, "events")
		fuzzread.CheckNumber(t, attrs, "total_count", fuzzread.Int(1))
		if len(got) != 1 {
			t.Fatalf("%d events in state, want 1", len(got))
		}
		for _, name := range desktopEventFields {
			fuzzread.CheckString(t, got[0], name, want[name])
		}
		fuzzread.CheckNumber(t, got[0], "relative_start_time", wantRel)
	})
}
