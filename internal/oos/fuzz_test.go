package oos

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/fuzzread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// Fuzz tests of the response path of the data source: an HTTP 200 body
// goes through Read (the client, the decoding of the answer's fields,
// the token pager, the converter, the state) with every request answered
// by the fuzzer's body. A read must never panic; it either fails with the
// data source's error diagnostic and no result in the state, or returns a
// state that is a valid value of the schema's type (it survives the
// protocol's msgpack encoding) holding no more items than the body. The
// *Values fuzzer builds valid pages from fuzzed field values and checks
// that every value reaches the state unchanged, absent fields null.
// The harness (the read, the state and value checks) is internal/fuzzread.

// FuzzExecutionLogsPage: any answer body for ListExecutionLogs.
func FuzzExecutionLogsPage(f *testing.F) {
	f.Add([]byte(`{"RequestId":"A-B","MaxResults":50,"IsTruncated":false,"ExecutionLogs":[{"TaskExecutionId":"exec-0001.t0001",` +
		`"Message":"started","LogType":"System","Timestamp":"2026-11-19T09:00:00Z"},{"Message":"补丁 & \"x\"=1+2"}]}`))
	f.Add([]byte(`{"NextToken":"tok","ExecutionLogs":[{"Message":"a"}]}`))
	f.Add([]byte(`{"NextToken":"","ExecutionLogs":null}`))
	f.Add([]byte(`{"ExecutionLogs":[null,{}]}`))
	f.Add([]byte(`{"NextToken":7,"ExecutionLogs":[]}`))
	f.Add([]byte(`{"ExecutionLogs":[{"Message":"a"`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, logs, ok := fuzzread.ReadPage(t, listread.DataSource(ExecutionLogs)(), fuzzread.AliMeta("oos"), body, map[string]tftypes.Value{
			"execution_id": tftypes.NewValue(tftypes.String, "exec-0001"),
			"max_items":    fuzzread.Number(executionLogsPageSize),
		}, ExecutionLogs.Summary(), "execution_logs")
		if !ok {
			return
		}
		// The same body answers every page: with a NextToken the read
		// either stops at max_items or fails on the repeated token.
		if n := fuzzread.Items(t, body, "ExecutionLogs"); len(logs) > max(n, executionLogsPageSize) {
			t.Fatalf("%d logs in state from a body of %d", len(logs), n)
		}
	})
}

// executionLogFields are the fields of a log entry: JSON key and attribute.
var executionLogFields = [][2]string{
	{"TaskExecutionId", "task_execution_id"}, {"Message", "message"}, {"LogType", "log_type"}, {"Timestamp", "timestamp"},
}

// FuzzExecutionLogValues: two log entries built from fuzzed values, each
// field present or absent by a bit of absent, reach the state unchanged
// and in order, absent fields as null; identical entries are both kept.
func FuzzExecutionLogValues(f *testing.F) {
	f.Add("started", "finished", uint8(0))
	f.Add("same", "same", uint8(0))
	f.Add("补丁 & \"x\"=1+2 %/a?b#c", "\xff\x00", uint8(0xa5))
	f.Fuzz(func(t *testing.T, s1, s2 string, absent uint8) {
		build := func(i int, s string) (map[string]any, map[string]*string) {
			m := map[string]any{}
			want := map[string]*string{}
			for j, kv := range executionLogFields {
				if absent&(1<<(j+4*i)) != 0 {
					continue
				}
				v := kv[1] + ":" + s
				m[kv[0]] = v
				w := fuzzread.JSONString(t, v)
				want[kv[1]] = &w
			}
			return m, want
		}
		m1, w1 := build(0, s1)
		m2, w2 := build(1, s2)
		_, got := fuzzread.ReadValid(t, listread.DataSource(ExecutionLogs)(), fuzzread.AliMeta("oos"),
			map[string]any{"RequestId": "r", "ExecutionLogs": []any{m1, m2}},
			map[string]tftypes.Value{"execution_id": tftypes.NewValue(tftypes.String, "exec-0001")}, "execution_logs")
		if len(got) != 2 {
			t.Fatalf("%d logs in state, want 2 (never de-duplicated)", len(got))
		}
		for i, w := range []map[string]*string{w1, w2} {
			for _, kv := range executionLogFields {
				fuzzread.CheckString(t, got[i], kv[1], w[kv[1]])
			}
		}
	})
}
