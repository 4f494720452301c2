package secmaster

import (
	"context"
	"encoding/json"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/fuzzread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/tfvalue"
)

// auditLogsModel is the whole state as tagged structs, for the framework's
// reflection path (tfsdk.State.Set).
type auditLogsModel struct {
	ID               types.String      `tfsdk:"id"`
	Region           types.String      `tfsdk:"region"`
	ProjectID        types.String      `tfsdk:"project_id"`
	WorkspaceID      types.String      `tfsdk:"workspace_id"`
	InstanceType     types.String      `tfsdk:"instance_type"`
	ActionID         types.String      `tfsdk:"action_id"`
	ActionName       types.String      `tfsdk:"action_name"`
	InstanceID       types.String      `tfsdk:"instance_id"`
	ParentInstanceID types.String      `tfsdk:"parent_instance_id"`
	LogLevel         types.String      `tfsdk:"log_level"`
	Input            types.String      `tfsdk:"input"`
	Output           types.String      `tfsdk:"output"`
	ErrorMsg         types.String      `tfsdk:"error_msg"`
	StartTime        timetypes.RFC3339 `tfsdk:"start_time"`
	EndTime          timetypes.RFC3339 `tfsdk:"end_time"`
	Status           types.String      `tfsdk:"status"`
	TriggerType      types.String      `tfsdk:"trigger_type"`
	SortKey          types.String      `tfsdk:"sort_key"`
	SortDir          types.String      `tfsdk:"sort_dir"`
	MaxItems         types.Number      `tfsdk:"max_items"`
	Timeouts         timeouts.Value    `tfsdk:"timeouts"`
	TotalCount       types.Int64       `tfsdk:"total_count"`
	AuditLogs        []auditLogModel   `tfsdk:"audit_logs"`
	StatusCounts     map[string]int64  `tfsdk:"status_counts"`
}

type auditLogModel struct {
	InstanceType     types.String `tfsdk:"instance_type"`
	ActionID         types.String `tfsdk:"action_id"`
	ActionName       types.String `tfsdk:"action_name"`
	InstanceID       types.String `tfsdk:"instance_id"`
	ParentInstanceID types.String `tfsdk:"parent_instance_id"`
	LogLevel         types.String `tfsdk:"log_level"`
	Input            types.String `tfsdk:"input"`
	Output           types.String `tfsdk:"output"`
	ErrorMsg         types.String `tfsdk:"error_msg"`
	StartTime        types.String `tfsdk:"start_time"`
	EndTime          types.String `tfsdk:"end_time"`
	Status           types.String `tfsdk:"status"`
	TriggerType      types.String `tfsdk:"trigger_type"`
}

func sp(p *string) types.String { return types.StringPointerValue(p) }

// model converts a decoded log the way a reflection-based data source
// would, independently of value().
func (l *auditLog) model() auditLogModel {
	end := l.EndTime
	if end == nil {
		end = l.LastReportTime
	}
	return auditLogModel{
		InstanceType: sp(l.InstanceType), ActionID: sp(l.ActionID), ActionName: sp(l.ActionName),
		InstanceID: sp(l.InstanceID), ParentInstanceID: sp(l.ParentInstanceID), LogLevel: sp(l.LogLevel),
		Input: sp(l.Input), Output: sp(l.Output), ErrorMsg: sp(l.ErrorMsg), StartTime: sp(l.StartTime),
		EndTime: sp(end), Status: sp(l.Status), TriggerType: sp(l.TriggerType),
	}
}

func auditLogsSchema(t *testing.T) (datasource.SchemaResponse, tftypes.Object) {
	t.Helper()
	var sr datasource.SchemaResponse
	listread.DataSource(PlaybookAuditLogs)().Schema(context.Background(), datasource.SchemaRequest{}, &sr)
	if sr.Diagnostics.HasError() {
		t.Fatal(sr.Diagnostics)
	}
	return sr, sr.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
}

// The answer the tests decode: every shape an item can take (all fields,
// last_report_time instead of end_time, both, fields missing, JSON null,
// empty strings, text that needs escaping).
const samplePage = `{"count": 41, "audit_logs": [
  {"instance_type":"PLAYBOOK","action_id":"act-1","action_name":"DisabledIp","instance_id":"i-1","parent_instance_id":"",
   "log_level":"INFO","input":"{\"ip\":\"10.0.0.1\"}","output":"ok","error_msg":"","start_time":"2021-01-30T23:00:00Z",
   "end_time":"2021-01-31T23:00:00Z","status":"FINISHED","trigger_type":"TIMER"},
  {"instance_type":"SCRIPT","action_id":"act-2","status":"FAILED","error_msg":"补丁 & \"x\"=1+2 100%/a?b#c",
   "start_time":"2024-03-12 12:02:01","last_report_time":"2024-03-12 12:03:01"},
  {"status":"FAILED","end_time":"2019-05-24T:02:29:07Z","last_report_time":"ignored"},
  {"instance_type":null,"status":null}
]}`

func TestPlaybookAuditLogsFastPathMatchesReflection(t *testing.T) {
	ctx := context.Background()
	sr, typ := auditLogsSchema(t)
	var page struct {
		AuditLogs []auditLog `json:"audit_logs"`
	}
	if err := json.Unmarshal([]byte(samplePage), &page); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		logs []auditLog
		set  func(config map[string]tftypes.Value, m *auditLogsModel)
	}{
		"every item shape, several arguments": {
			logs: page.AuditLogs,
			set: func(c map[string]tftypes.Value, m *auditLogsModel) {
				c["workspace_id"] = tftypes.NewValue(tftypes.String, "ws-1")
				c["status"] = tftypes.NewValue(tftypes.String, "FAILED")
				c["start_time"] = tftypes.NewValue(tftypes.String, "2026-11-19T00:00:00Z")
				c["sort_dir"] = tftypes.NewValue(tftypes.String, "desc")
				c["max_items"] = tfvalue.Int64(10)
				m.WorkspaceID = types.StringValue("ws-1")
				m.Status = types.StringValue("FAILED")
				m.StartTime = timetypes.NewRFC3339ValueMust("2026-11-19T00:00:00Z")
				m.SortDir = types.StringValue("desc")
				m.MaxItems = types.NumberValue(big.NewFloat(10))
			},
		},
		"no logs": {
			set: func(c map[string]tftypes.Value, m *auditLogsModel) {
				c["workspace_id"] = tftypes.NewValue(tftypes.String, "ws-2")
				m.WorkspaceID = types.StringValue("ws-2")
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			config := map[string]tftypes.Value{}
			for n, at := range typ.AttributeTypes {
				config[n] = tftypes.NewValue(at, nil)
			}
			model := auditLogsModel{
				Timeouts: fuzzread.NoTimeouts(),
				Region:   types.StringNull(), ProjectID: types.StringNull(), InstanceType: types.StringNull(),
				ActionID: types.StringNull(), ActionName: types.StringNull(), InstanceID: types.StringNull(),
				ParentInstanceID: types.StringNull(), LogLevel: types.StringNull(), Input: types.StringNull(),
				Output: types.StringNull(), ErrorMsg: types.StringNull(), StartTime: timetypes.NewRFC3339Null(),
				EndTime: timetypes.NewRFC3339Null(), Status: types.StringNull(), TriggerType: types.StringNull(),
				SortKey: types.StringNull(), SortDir: types.StringNull(), MaxItems: types.NumberNull(),
			}
			tc.set(config, &model)

			// Fast path: the converter and the computed values Read uses.
			logType := tfvalue.ElementType(typ, "audit_logs").(tftypes.Object)
			var vals []tftypes.Value
			counts := map[string]int64{}
			model.AuditLogs = []auditLogModel{}
			model.StatusCounts = map[string]int64{}
			for i := range tc.logs {
				vals = append(vals, PlaybookAuditLogs.Fields.Value(logType, &tc.logs[i]))
				model.AuditLogs = append(model.AuditLogs, tc.logs[i].model())
				if s := tc.logs[i].Status; s != nil {
					counts[*s]++
					model.StatusCounts[*s]++
				}
			}
			resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema}}
			if err := fuzzread.SetState(tftypes.NewValue(typ, config), resp, map[string]tftypes.Value{"id": tfvalue.String("0123abcd"), "total_count": tfvalue.Int64(41), "audit_logs": tfvalue.List(logType, vals), "status_counts": tfvalue.CountMap(counts)}); err != nil {
				t.Fatal(err)
			}

			// Reflection path.
			model.ID = types.StringValue("0123abcd")
			model.TotalCount = types.Int64Value(41)
			slow := tfsdk.State{Schema: sr.Schema}
			if diags := slow.Set(ctx, &model); diags.HasError() {
				t.Fatal(diags)
			}
			if !resp.State.Raw.Equal(slow.Raw) {
				diffs, _ := resp.State.Raw.Diff(slow.Raw)
				t.Fatalf("fast path and reflection differ: %v", diffs)
			}
			// And back: the reflection path reads the fast state into the model.
			var back auditLogsModel
			if diags := resp.State.Get(ctx, &back); diags.HasError() {
				t.Fatal(diags)
			}
			if len(back.AuditLogs) != len(tc.logs) {
				t.Fatalf("%d logs read back, want %d", len(back.AuditLogs), len(tc.logs))
			}
		})
	}
}

// TestAuditLogEndTimeFallback: end_time, else last_report_time, else null.
func TestAuditLogEndTimeFallback(t *testing.T) {
	_, typ := auditLogsSchema(t)
	logType := tfvalue.ElementType(typ, "audit_logs").(tftypes.Object)
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
