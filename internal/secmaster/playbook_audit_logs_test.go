package secmaster

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// The answer the tests decode: every shape an audit log's end can take
// (end_time, last_report_time instead of end_time, both, neither).
const samplePage = `{"count": 41, "audit_logs": [
  {"instance_type":"PLAYBOOK","action_id":"act-1","status":"FINISHED","start_time":"2021-01-30T23:00:00Z",
   "end_time":"2021-01-31T23:00:00Z"},
  {"instance_type":"SCRIPT","action_id":"act-2","status":"FAILED","error_msg":"补丁 & \"x\"=1+2 100%/a?b#c",
   "start_time":"2024-03-12 12:02:01","last_report_time":"2024-03-12 12:03:01"},
  {"status":"FAILED","end_time":"2019-05-24T:02:29:07Z","last_report_time":"ignored"},
  {"instance_type":null,"status":null},
  {"end_time":"","last_report_time":"2024-03-12 12:04:01"}
]}`

// TestAuditLogEndTimeFallback: end_time, else (absent or empty)
// last_report_time, else null.
func TestAuditLogEndTimeFallback(t *testing.T) {
	logType := PlaybookAuditLogs.Fields.Type()
	var page struct {
		AuditLogs []auditLog `json:"audit_logs"`
	}
	if err := json.Unmarshal([]byte(samplePage), &page); err != nil {
		t.Fatal(err)
	}
	want := []tftypes.Value{
		tftypes.NewValue(tftypes.String, "2021-01-31T23:00:00Z"),
		tftypes.NewValue(tftypes.String, "2024-03-12 12:03:01"),
		tftypes.NewValue(tftypes.String, "2019-05-24T:02:29:07Z"),
		tftypes.NewValue(tftypes.String, nil),
		tftypes.NewValue(tftypes.String, "2024-03-12 12:04:01"),
	}
	if len(page.AuditLogs) != len(want) {
		t.Fatalf("%d logs decoded, want %d", len(page.AuditLogs), len(want))
	}
	for i, l := range page.AuditLogs {
		var m map[string]tftypes.Value
		if err := PlaybookAuditLogs.Fields.Value(logType, &l).As(&m); err != nil {
			t.Fatal(err)
		}
		if !m["end_time"].Equal(want[i]) {
			t.Errorf("log %d: end_time %v, want %v", i, m["end_time"], want[i])
		}
	}
}

// TestAuditLogsBody: only the set filters, in one JSON object, "&" and
// non-ASCII text sent as they are; no filters is {}.
func TestAuditLogsBody(t *testing.T) {
	str := func(v any) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	body := func(args listread.Args) string {
		t.Helper()
		r, err := PlaybookAuditLogs.Request(args)
		if err != nil {
			t.Fatal(err)
		}
		return string(r.Body)
	}
	if b := body(listread.Args{"workspace_id": str("ws-1"), "sort_dir": str("asc")}); b != "{}" {
		t.Fatalf("no filters: %s", b)
	}
	b := body(listread.Args{
		"workspace_id": str("ws-1"), "action_name": str(`补丁 & "x"<y>`), "end_time": str("2026-11-19T00:00:00Z"),
		"status": str("FAILED"), "trigger_type": str(tftypes.UnknownValue), // unknown is not sent
		"input": str(nil),
	})
	want := `{"action_name":"补丁 & \"x\"<y>","end_time":"2026-11-19T00:00:00Z","status":"FAILED"}`
	if b != want {
		t.Fatalf("body %s, want %s", b, want)
	}
}
