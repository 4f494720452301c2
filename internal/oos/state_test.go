package oos

import (
	"context"
	"encoding/json"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"math/big"
	"net/url"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/fuzzread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/tfvalue"
)

// executionLogsModel is the whole state as tagged structs, for the
// framework's reflection path (tfsdk.State.Set).
type executionLogsModel struct {
	ID              types.String        `tfsdk:"id"`
	Region          types.String        `tfsdk:"region"`
	ExecutionID     types.String        `tfsdk:"execution_id"`
	TaskExecutionID types.String        `tfsdk:"task_execution_id"`
	LogType         types.String        `tfsdk:"log_type"`
	MaxItems        types.Number        `tfsdk:"max_items"`
	Timeouts        timeouts.Value      `tfsdk:"timeouts"`
	ExecutionLogs   []executionLogModel `tfsdk:"execution_logs"`
}

type executionLogModel struct {
	TaskExecutionID types.String `tfsdk:"task_execution_id"`
	Message         types.String `tfsdk:"message"`
	LogType         types.String `tfsdk:"log_type"`
	Timestamp       types.String `tfsdk:"timestamp"`
}

// The answer the tests decode: the API reference's example answer (its odd
// timestamp and padded log type kept as given), an entry without TaskExecutionId
// and LogType, JSON nulls and text that needs escaping.
const samplePage = `{"NextToken":"gAAAAABdpsGW","RequestId":"14A07460-EBE7-47CA-9757-12CC4761D47A","IsTruncated":true,"MaxResults":50,
 "ExecutionLogs":[
  {"TaskExecutionId":"exec-1234567zxcvb.t0010","Message":"The task CheckDiskCategory completed.","LogType":" System","Timestamp":"2019-05-24T:02:29:07Z"},
  {"Message":"api call: DescribeDisks request:{'InstanceId': 'i-bp1d2k1yttp'}","Timestamp":"2019-05-24T02:29:07Z"},
  {"TaskExecutionId":null,"Message":"补丁 & \"x\"=1+2 100%/a?b#c","LogType":"Custom","Timestamp":null}
 ]}`

func TestExecutionLogsFastPathMatchesReflection(t *testing.T) {
	ctx := context.Background()
	var sr datasource.SchemaResponse
	listread.DataSource(ExecutionLogs)().Schema(ctx, datasource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	var page struct {
		NextToken     string
		ExecutionLogs []executionLog
	}
	if err := json.Unmarshal([]byte(samplePage), &page); err != nil {
		t.Fatal(err)
	}
	if page.NextToken != "gAAAAABdpsGW" || len(page.ExecutionLogs) != 3 {
		t.Fatalf("decoded %+v", page)
	}
	for name, logs := range map[string][]executionLog{"every item shape": page.ExecutionLogs, "no logs": nil} {
		t.Run(name, func(t *testing.T) {
			config := map[string]tftypes.Value{}
			for n, at := range typ.AttributeTypes {
				config[n] = tftypes.NewValue(at, nil)
			}
			config["execution_id"] = tftypes.NewValue(tftypes.String, "exec-1")
			config["log_type"] = tftypes.NewValue(tftypes.String, "System")
			config["max_items"] = tfvalue.Int64(5)

			logType := tfvalue.ElementType(typ, "execution_logs").(tftypes.Object)
			var vals []tftypes.Value
			model := executionLogsModel{
				Timeouts: fuzzread.NoTimeouts(),
				ID:       types.StringValue("cafe"), Region: types.StringNull(), ExecutionID: types.StringValue("exec-1"),
				TaskExecutionID: types.StringNull(), LogType: types.StringValue("System"), MaxItems: types.NumberValue(big.NewFloat(5)),
				ExecutionLogs: []executionLogModel{},
			}
			for i := range logs {
				l := &logs[i]
				vals = append(vals, ExecutionLogs.Fields.Value(logType, l))
				model.ExecutionLogs = append(model.ExecutionLogs, executionLogModel{
					TaskExecutionID: types.StringPointerValue(l.TaskExecutionID), Message: types.StringPointerValue(l.Message),
					LogType: types.StringPointerValue(l.LogType), Timestamp: types.StringPointerValue(l.Timestamp),
				})
			}
			resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema}}
			if err := fuzzread.SetState(tftypes.NewValue(typ, config), resp, map[string]tftypes.Value{"id": tfvalue.String("cafe"), "execution_logs": tfvalue.List(logType, vals)}); err != nil {
				t.Fatal(err)
			}
			slow := tfsdk.State{Schema: sr.Schema}
			if diags := slow.Set(ctx, &model); diags.HasError() {
				t.Fatal(diags)
			}
			if !resp.State.Raw.Equal(slow.Raw) {
				diffs, _ := resp.State.Raw.Diff(slow.Raw)
				t.Fatalf("fast path and reflection differ: %v", diffs)
			}
		})
	}
}

// TestExecutionLogsParams: the filters that are set and nothing else
// (MaxResults, paging and RegionId are added per request).
func TestExecutionLogsParams(t *testing.T) {
	r, err := ExecutionLogs.Request(listread.Args{
		"execution_id": tftypes.NewValue(tftypes.String, "exec-1"), "task_execution_id": tftypes.NewValue(tftypes.String, nil),
		"log_type": tftypes.NewValue(tftypes.String, "Task"),
	})
	want := url.Values{"ExecutionId": {"exec-1"}, "LogType": {"Task"}}
	if err != nil || r.Query.Encode() != want.Encode() || r.Body != nil {
		t.Fatalf("query %v body %q (%v), want %v and no body", r.Query, r.Body, err, want)
	}
}
