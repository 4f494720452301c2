package workspace

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

// BenchmarkFlatten compares the two ways of turning decoded records and
// events into state, in the same run: the fast path Read uses (per-item
// converters, tfvalue.State) and the framework's reflection path
// (tagged structs, tfsdk.State.Set) as the baseline. Neither includes the
// requests or the JSON decoding; the script records include building the
// status counts on both paths.
func BenchmarkFlatten(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1000, 10000} {
		data := emulator.Generate(emulator.DefaultSeed, emulator.Sizes{emulator.SizeScriptRecords: n, emulator.SizeScreenRecords: 1, emulator.SizeEventsPerScreenRecord: n})
		recs := make([]scriptRecord, n)
		for i := range data.ScriptRecords() {
			r := &data.ScriptRecords()[i]
			order := int64(r.ExecuteOrder)
			recs[i] = scriptRecord{
				ID: &r.ID, ScriptID: &r.ScriptID, ScriptName: &r.ScriptName, ScriptTaskID: &r.ScriptTaskID,
				ResourceID: &r.ResourceID, ResourceName: &r.ResourceName, ResourceType: &r.ResourceType,
				StartTime: &r.StartTime, EndTime: &r.EndTime, Status: &r.Status, ExecuteOrder: &order,
				ResultCode: &r.ResultCode, Reason: &r.Reason,
			}
		}
		src := data.ScreenRecords()[emulator.ScreenRecordID(1)]
		evs := make([]desktopEvent, n)
		for i := range src {
			e := &src[i]
			rel := int64(e.RelativeStartTime)
			evs[i] = desktopEvent{
				ID: &e.ID, ProjectID: &e.ProjectID, DesktopID: &e.DesktopID, ScreenRecordID: &e.ScreenRecordID,
				Username: &e.Username, EventType: &e.EventType, EventLevel: &e.EventLevel, EventID: &e.EventID,
				EventData: &e.EventData, OperationTime: &e.OperationTime, RelativeStartTime: &rel,
			}
		}
		benchScriptRecords(ctx, b, recs)
		benchDesktopEvents(ctx, b, evs)
	}
}

func benchScriptRecords(ctx context.Context, b *testing.B, recs []scriptRecord) {
	n := len(recs)
	var sr datasource.SchemaResponse
	listread.DataSource(ScriptRecords)().Schema(ctx, datasource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	elem := tfvalue.ElementType(typ, "records").(tftypes.Object)
	config := nullConfig(typ)
	var fast, slow bench.Result
	b.Run(fmt.Sprintf("script_records/n=%d/fast", n), func(b *testing.B) {
		fast = bench.PerItem(b, n, func() {
			vals := make([]tftypes.Value, 0, 64)
			counts := map[string]int64{}
			for i := range recs {
				vals = append(vals, ScriptRecords.Fields.Value(elem, &recs[i]))
				if s := recs[i].Status; s != nil {
					counts[*s]++
				}
			}
			resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema}}
			err := fuzzread.SetState(config, resp, map[string]tftypes.Value{
				"id": tfvalue.String("id"), "total_count": tfvalue.Int64(int64(n)),
				"records": tfvalue.List(elem, vals), "status_counts": tfvalue.CountMap(counts),
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run(fmt.Sprintf("script_records/n=%d/reflection", n), func(b *testing.B) {
		slow = bench.PerItem(b, n, func() {
			m := scriptRecordsModel{
				Timeouts: fuzzread.NoTimeouts(),
				Region:   types.StringNull(), ProjectID: types.StringNull(), Status: types.StringNull(),
				IsFirstOrder: types.BoolNull(), ScriptTaskID: types.StringNull(), TaskType: types.StringNull(),
				ShowHistory: types.BoolNull(), ExecuteTimeStart: timetypes.NewRFC3339Null(),
				ExecuteTimeEnd: timetypes.NewRFC3339Null(), MaxItems: types.NumberNull(),
				ID: types.StringValue("id"), TotalCount: types.Int64Value(int64(n)),
				Records: make([]scriptRecordModel, 0, 64), StatusCounts: map[string]int64{},
			}
			for _, r := range recs {
				m.Records = append(m.Records, scriptRecordModel{
					ID: types.StringPointerValue(r.ID), ScriptID: types.StringPointerValue(r.ScriptID),
					ScriptName: types.StringPointerValue(r.ScriptName), ScriptTaskID: types.StringPointerValue(r.ScriptTaskID),
					ResourceID: types.StringPointerValue(r.ResourceID), ResourceName: types.StringPointerValue(r.ResourceName),
					ResourceType: types.StringPointerValue(r.ResourceType), StartTime: types.StringPointerValue(r.StartTime),
					EndTime: types.StringPointerValue(r.EndTime), Status: types.StringPointerValue(r.Status),
					ExecuteOrder: types.Int64PointerValue(r.ExecuteOrder), ResultCode: types.StringPointerValue(r.ResultCode),
					Reason: types.StringPointerValue(r.Reason),
				})
				if r.Status != nil {
					m.StatusCounts[*r.Status]++
				}
			}
			st := tfsdk.State{Schema: sr.Schema}
			if diags := st.Set(ctx, &m); diags.HasError() {
				b.Fatal(diags)
			}
		})
	})
	bench.Ratio(fmt.Sprintf("script_records n=%d", n), fast, slow)
}

func benchDesktopEvents(ctx context.Context, b *testing.B, evs []desktopEvent) {
	n := len(evs)
	var sr datasource.SchemaResponse
	listread.DataSource(DesktopEvents)().Schema(ctx, datasource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	elem := tfvalue.ElementType(typ, "events").(tftypes.Object)
	config := nullConfig(typ)
	var fast, slow bench.Result
	b.Run(fmt.Sprintf("desktop_events/n=%d/fast", n), func(b *testing.B) {
		fast = bench.PerItem(b, n, func() {
			vals := make([]tftypes.Value, 0, 64)
			for i := range evs {
				vals = append(vals, DesktopEvents.Fields.Value(elem, &evs[i]))
			}
			resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema}}
			err := fuzzread.SetState(config, resp, map[string]tftypes.Value{
				"id": tfvalue.String("id"), "total_count": tfvalue.Int64(int64(n)), "events": tfvalue.List(elem, vals),
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run(fmt.Sprintf("desktop_events/n=%d/reflection", n), func(b *testing.B) {
		slow = bench.PerItem(b, n, func() {
			m := desktopEventsModel{
				Timeouts: fuzzread.NoTimeouts(),
				Region:   types.StringNull(), ProjectID: types.StringNull(), ScreenRecordID: types.StringValue("sr-0001"),
				EventType: types.StringNull(), EventID: types.StringNull(), EventLevel: types.StringNull(),
				EventData: types.StringNull(), MaxItems: types.NumberNull(),
				ID: types.StringValue("id"), TotalCount: types.Int64Value(int64(n)), Events: make([]desktopEventModel, 0, 64),
			}
			for _, e := range evs {
				m.Events = append(m.Events, desktopEventModel{
					ID: types.StringPointerValue(e.ID), ProjectID: types.StringPointerValue(e.ProjectID),
					DesktopID: types.StringPointerValue(e.DesktopID), ScreenRecordID: types.StringPointerValue(e.ScreenRecordID),
					Username: types.StringPointerValue(e.Username), EventType: types.StringPointerValue(e.EventType),
					EventLevel: types.StringPointerValue(e.EventLevel), EventID: types.StringPointerValue(e.EventID),
					EventData: types.StringPointerValue(e.EventData), OperationTime: types.StringPointerValue(e.OperationTime),
					RelativeStartTime: types.Int64PointerValue(e.RelativeStartTime),
				})
			}
			st := tfsdk.State{Schema: sr.Schema}
			if diags := st.Set(ctx, &m); diags.HasError() {
				b.Fatal(diags)
			}
		})
	})
	bench.Ratio(fmt.Sprintf("desktop_events n=%d", n), fast, slow)
}

// nullConfig is a configuration with every attribute null.
func nullConfig(typ tftypes.Object) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	return tftypes.NewValue(typ, vals)
}
