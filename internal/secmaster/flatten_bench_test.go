package secmaster

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/bench"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/fuzzread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/tfvalue"
)

// BenchmarkFlatten compares the two ways of turning decoded audit logs
// into state, in the same run: the fast path Read uses (per-item
// converters, tfvalue.State) and the framework's reflection path
// (tagged structs, tfsdk.State.Set) as the baseline. Neither includes the
// requests or the JSON decoding; both include building the status counts.
func BenchmarkFlatten(b *testing.B) {
	ctx := context.Background()
	var sr datasource.SchemaResponse
	listread.DataSource(PlaybookAuditLogs)().Schema(ctx, datasource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	logType := tfvalue.ElementType(typ, "audit_logs").(tftypes.Object)
	config := map[string]tftypes.Value{}
	for n, at := range typ.AttributeTypes {
		config[n] = tftypes.NewValue(at, nil)
	}
	config["workspace_id"] = tftypes.NewValue(tftypes.String, emulator.WorkspaceID(1))
	configVal := tftypes.NewValue(typ, config)

	for _, n := range []int{1000, 10000} {
		logs := generatedLogs(n)
		var fast, slow bench.Result
		b.Run(fmt.Sprintf("audit_logs/n=%d/fast", n), func(b *testing.B) {
			fast = bench.PerItem(b, n, func() {
				vals := make([]tftypes.Value, 0, 64)
				counts := map[string]int64{}
				for i := range logs {
					vals = append(vals, PlaybookAuditLogs.Fields.Value(logType, &logs[i]))
					if s := logs[i].Status; s != nil {
						counts[*s]++
					}
				}
				resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema}}
				if err := fuzzread.SetState(configVal, resp, map[string]tftypes.Value{"id": tfvalue.String("id"), "total_count": tfvalue.Int64(int64(n)), "audit_logs": tfvalue.List(logType, vals), "status_counts": tfvalue.CountMap(counts)}); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run(fmt.Sprintf("audit_logs/n=%d/reflection", n), func(b *testing.B) {
			slow = bench.PerItem(b, n, func() {
				m := nullAuditLogsModel()
				m.WorkspaceID = types.StringValue(emulator.WorkspaceID(1))
				m.ID, m.TotalCount = types.StringValue("id"), types.Int64Value(int64(n))
				m.AuditLogs = make([]auditLogModel, 0, 64)
				m.StatusCounts = map[string]int64{}
				for i := range logs {
					m.AuditLogs = append(m.AuditLogs, logs[i].model())
					if s := logs[i].Status; s != nil {
						m.StatusCounts[*s]++
					}
				}
				st := tfsdk.State{Schema: sr.Schema}
				if diags := st.Set(ctx, &m); diags.HasError() {
					b.Fatal(diags)
				}
			})
		})
		bench.Ratio(fmt.Sprintf("audit_logs n=%d", n), fast, slow)
	}
}

// generatedLogs are n audit logs of the emulator's dataset as the client
// decodes them (every field present; every fifth log with last_report_time
// instead of end_time).
func generatedLogs(n int) []auditLog {
	data := emulator.Generate(emulator.DefaultSeed, emulator.Sizes{emulator.SizeWorkspaces: 1, emulator.SizeAuditLogsPerWorkspace: n})
	src := data.Workspaces()[emulator.WorkspaceID(1)]
	out := make([]auditLog, len(src))
	for i := range src {
		l := src[i]
		out[i] = auditLog{
			InstanceType: &l.InstanceType, ActionID: &l.ActionID, ActionName: &l.ActionName, InstanceID: &l.InstanceID,
			ParentInstanceID: &l.ParentInstanceID, LogLevel: &l.LogLevel, Input: &l.Input, Output: &l.Output,
			ErrorMsg: &l.ErrorMsg, StartTime: &l.StartTime, Status: &l.Status, TriggerType: &l.TriggerType,
		}
		if l.UseLastReportTime {
			out[i].LastReportTime = &l.EndTime
		} else {
			out[i].EndTime = &l.EndTime
		}
	}
	return out
}

func nullAuditLogsModel() auditLogsModel {
	return auditLogsModel{
		Timeouts: fuzzread.NoTimeouts(),
		Region:   types.StringNull(), ProjectID: types.StringNull(), InstanceType: types.StringNull(),
		ActionID: types.StringNull(), ActionName: types.StringNull(), InstanceID: types.StringNull(),
		ParentInstanceID: types.StringNull(), LogLevel: types.StringNull(), Input: types.StringNull(),
		Output: types.StringNull(), ErrorMsg: types.StringNull(), StartTime: timetypes.NewRFC3339Null(),
		EndTime: timetypes.NewRFC3339Null(), Status: types.StringNull(), TriggerType: types.StringNull(),
		SortKey: types.StringNull(), SortDir: types.StringNull(), MaxItems: types.NumberNull(),
	}
}
