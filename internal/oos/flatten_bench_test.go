package oos

import (
	"context"
	"fmt"
	"testing"

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

// BenchmarkFlatten compares the two ways of turning decoded execution logs
// into state, in the same run: the fast path Read uses (per-item
// converters, tfvalue.State) and the framework's reflection path
// (tagged structs, tfsdk.State.Set) as the baseline. Neither includes the
// requests or the JSON decoding.
func BenchmarkFlatten(b *testing.B) {
	ctx := context.Background()
	var sr datasource.SchemaResponse
	listread.DataSource(ExecutionLogs)().Schema(ctx, datasource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	logType := tfvalue.ElementType(typ, "execution_logs").(tftypes.Object)
	config := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		config[name] = tftypes.NewValue(at, nil)
	}
	config["execution_id"] = tftypes.NewValue(tftypes.String, emulator.ExecutionID(1))
	configVal := tftypes.NewValue(typ, config)

	for _, n := range []int{1000, 10000} {
		src := emulator.Generate(emulator.DefaultSeed, emulator.Sizes{emulator.SizeExecutions: 1, emulator.SizeLogsPerExecution: n}).
			Executions()[emulator.ExecutionID(1)]
		logs := make([]executionLog, len(src))
		for i := range src {
			l := &src[i]
			logs[i] = executionLog{TaskExecutionID: &l.TaskExecutionID, Message: &l.Message, LogType: &l.LogType, Timestamp: &l.Timestamp}
		}
		var fast, slow bench.Result
		b.Run(fmt.Sprintf("execution_logs/n=%d/fast", n), func(b *testing.B) {
			fast = bench.PerItem(b, n, func() {
				vals := make([]tftypes.Value, 0, 64)
				for i := range logs {
					vals = append(vals, ExecutionLogs.Fields.Value(logType, &logs[i]))
				}
				resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema}}
				if err := fuzzread.SetState(configVal, resp, map[string]tftypes.Value{"id": tfvalue.String("id"), "execution_logs": tfvalue.List(logType, vals)}); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run(fmt.Sprintf("execution_logs/n=%d/reflection", n), func(b *testing.B) {
			slow = bench.PerItem(b, n, func() {
				m := executionLogsModel{
					Timeouts: fuzzread.NoTimeouts(),
					ID:       types.StringValue("id"), Region: types.StringNull(), ExecutionID: types.StringValue(emulator.ExecutionID(1)),
					TaskExecutionID: types.StringNull(), LogType: types.StringNull(), MaxItems: types.NumberNull(),
					ExecutionLogs: make([]executionLogModel, 0, 64),
				}
				for _, l := range logs {
					m.ExecutionLogs = append(m.ExecutionLogs, executionLogModel{
						TaskExecutionID: types.StringPointerValue(l.TaskExecutionID), Message: types.StringPointerValue(l.Message),
						LogType: types.StringPointerValue(l.LogType), Timestamp: types.StringPointerValue(l.Timestamp),
					})
				}
				st := tfsdk.State{Schema: sr.Schema}
				if diags := st.Set(ctx, &m); diags.HasError() {
					b.Fatal(diags)
				}
			})
		})
		bench.Ratio(fmt.Sprintf("execution_logs n=%d", n), fast, slow)
	}
}
