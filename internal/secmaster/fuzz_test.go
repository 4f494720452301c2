package secmaster

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/fuzzread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// Fuzz tests of the response path of the data source: an HTTP 200 body
// goes through Read (the client, the decoding of the answer's fields,
// the pager, the converter, the state) with every request answered by the
// fuzzer's body. A read must never panic; it either fails with the data
// source's error diagnostic and no result in the state, or returns a state
// that is a valid value of the schema's type (it survives the protocol's
// msgpack encoding) holding no more items than the body. The *Values
// fuzzer builds valid pages from fuzzed field values and checks that every
// value reaches the state unchanged, absent fields null.
// The harness (the read, the state and value checks) is internal/fuzzread.

// FuzzAuditLogsPage: any answer body for playbook audit logs.
func FuzzAuditLogsPage(f *testing.F) {
	f.Add([]byte(`{"count":2,"audit_logs":[{"instance_type":"AOP_WORKFLOW","action_id":"act-01","action_name":"DisabledIp",` +
		`"instance_id":"inst-0001-0001","parent_instance_id":"p-1","log_level":"INFO","input":"{}","output":"ok",` +
		`"error_msg":"","start_time":"2026-11-19T09:00:00Z","end_time":"2026-11-19T09:00:05Z","status":"FINISHED",` +
		`"trigger_type":"EVENT"},{"instance_id":"inst-0001-0002","last_report_time":"2026-11-19T09:01:00Z","status":"FAILED"}]}`))
	f.Add([]byte(`{"count":0,"audit_logs":[]}`))
	f.Add([]byte(`{"count":3,"audit_logs":[{},{},{"end_time":null,"last_report_time":"x"}]}`))
	f.Add([]byte(`{"audit_logs":[{}]}`))
	f.Add([]byte(`{"count":-1,"audit_logs":[]}`))
	f.Add([]byte(`{"count":1,"audit_logs":[{"status":7}]}`))
	f.Add([]byte(`{"count":2,"audit_logs":[{"instance_type":"AOP`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, logs, ok := fuzzread.ReadPage(t, listread.DataSource(PlaybookAuditLogs)(), fuzzread.HuaweiMeta("secmaster"), body, map[string]tftypes.Value{
			"workspace_id": tftypes.NewValue(tftypes.String, "ws-0001"),
			"max_items":    fuzzread.Number(int64(PlaybookAuditLogs.PageSize)),
		}, PlaybookAuditLogs.Summary(), "audit_logs")
		if !ok {
			return
		}
		if n := fuzzread.Items(t, body, "audit_logs"); len(logs) > n {
			t.Fatalf("%d audit logs in state from a body of %d", len(logs), n)
		}
	})
}

// fzAuditLogFields are the string fields of a log, in JSON, end_time and
// last_report_time last.
var fzAuditLogFields = []string{"instance_type", "action_id", "action_name", "instance_id", "parent_instance_id",
	"log_level", "input", "output", "error_msg", "start_time", "status", "trigger_type", "end_time", "last_report_time"}

// FuzzAuditLogValues: two logs built from fuzzed values, each field
// present or absent by a bit of absent, reach the state unchanged, absent
// fields as null, end_time falling back to last_report_time when it is
// absent or empty (an empty fuzzed string sends end_time ""); two
// identical logs are both kept.
func FuzzAuditLogValues(f *testing.F) {
	f.Add("inst-1", "inst-2", uint32(0))
	f.Add("same", "same", uint32(1<<12|1<<(14+13)))
	f.Add("", "x", uint32(0))
	f.Add("", "", uint32(1<<13))
	f.Add("补丁 & \"x\"=1+2 %/a?b#c", "\xff", uint32(0xfffffff))
	f.Fuzz(func(t *testing.T, s1, s2 string, absent uint32) {
		build := func(i int, s string) (map[string]any, map[string]*string) {
			m := map[string]any{}
			want := map[string]*string{}
			for j, name := range fzAuditLogFields {
				if absent&(1<<(j+14*i)) != 0 {
					continue
				}
				v := name + ":" + s
				if name == "end_time" && s == "" {
					v = ""
				}
				m[name] = v
				w := fuzzread.JSONString(t, v)
				want[name] = &w
			}
			if (want["end_time"] == nil || *want["end_time"] == "") && want["last_report_time"] != nil {
				want["end_time"] = want["last_report_time"]
			}
			return m, want
		}
		m1, w1 := build(0, s1)
		m2, w2 := build(1, s2)
		attrs, got := fuzzread.ReadValid(t, listread.DataSource(PlaybookAuditLogs)(), fuzzread.HuaweiMeta("secmaster"),
			map[string]any{"count": 2, "audit_logs": []any{m1, m2}},
			map[string]tftypes.Value{"workspace_id": tftypes.NewValue(tftypes.String, "ws-0001")}, "audit_logs")
		fuzzread.CheckNumber(t, attrs, "total_count", fuzzread.Int(2))
		if len(got) != 2 {
			t.Fatalf("%d audit logs in state, want 2 (never de-duplicated)", len(got))
		}
		statuses := map[string]int64{}
		for i, w := range []map[string]*string{w1, w2} {
			for _, name := range fzAuditLogFields[:13] {
				fuzzread.CheckString(t, got[i], name, w[name])
			}
			if _, ok := got[i]["last_report_time"]; ok {
				t.Fatal("last_report_time is an attribute of its own")
			}
			if s := w["status"]; s != nil {
				statuses[*s]++
			}
		}
		fuzzread.CheckStatusCounts(t, attrs, statuses)
	})
}
