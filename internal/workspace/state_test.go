package workspace

import (
	"context"
	"encoding/json"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/fuzzread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/tfvalue"
)

// The reflection path's models: what tfsdk.State.Set would be given if the
// data sources built their state the usual way.

type scriptRecordModel struct {
	ID           types.String `tfsdk:"id"`
	ScriptID     types.String `tfsdk:"script_id"`
	ScriptName   types.String `tfsdk:"script_name"`
	ScriptTaskID types.String `tfsdk:"script_task_id"`
	ResourceID   types.String `tfsdk:"resource_id"`
	ResourceName types.String `tfsdk:"resource_name"`
	ResourceType types.String `tfsdk:"resource_type"`
	StartTime    types.String `tfsdk:"start_time"`
	EndTime      types.String `tfsdk:"end_time"`
	Status       types.String `tfsdk:"status"`
	ExecuteOrder types.Int64  `tfsdk:"execute_order"`
	ResultCode   types.String `tfsdk:"result_code"`
	Reason       types.String `tfsdk:"reason"`
}

type scriptRecordsModel struct {
	ID               types.String        `tfsdk:"id"`
	Region           types.String        `tfsdk:"region"`
	ProjectID        types.String        `tfsdk:"project_id"`
	ResourceIDs      []string            `tfsdk:"resource_ids"`
	ResourceGroupIDs []string            `tfsdk:"resource_group_ids"`
	ScriptIDs        []string            `tfsdk:"script_ids"`
	ScriptNames      []string            `tfsdk:"script_names"`
	Status           types.String        `tfsdk:"status"`
	IsFirstOrder     types.Bool          `tfsdk:"is_first_order"`
	ScriptTaskID     types.String        `tfsdk:"script_task_id"`
	TaskType         types.String        `tfsdk:"task_type"`
	ShowHistory      types.Bool          `tfsdk:"show_history"`
	ExecuteTimeStart timetypes.RFC3339   `tfsdk:"execute_time_start"`
	ExecuteTimeEnd   timetypes.RFC3339   `tfsdk:"execute_time_end"`
	MaxItems         types.Number        `tfsdk:"max_items"`
	Timeouts         timeouts.Value      `tfsdk:"timeouts"`
	TotalCount       types.Int64         `tfsdk:"total_count"`
	Records          []scriptRecordModel `tfsdk:"records"`
	StatusCounts     map[string]int64    `tfsdk:"status_counts"`
}

type desktopEventModel struct {
	ID                types.String `tfsdk:"id"`
	ProjectID         types.String `tfsdk:"project_id"`
	DesktopID         types.String `tfsdk:"desktop_id"`
	ScreenRecordID    types.String `tfsdk:"screen_record_id"`
	Username          types.String `tfsdk:"username"`
	EventType         types.String `tfsdk:"event_type"`
	EventLevel        types.String `tfsdk:"event_level"`
	EventID           types.String `tfsdk:"event_id"`
	EventData         types.String `tfsdk:"event_data"`
	OperationTime     types.String `tfsdk:"operation_time"`
	RelativeStartTime types.Int64  `tfsdk:"relative_start_time"`
}

type desktopEventsModel struct {
	ID             types.String        `tfsdk:"id"`
	Region         types.String        `tfsdk:"region"`
	ProjectID      types.String        `tfsdk:"project_id"`
	ScreenRecordID types.String        `tfsdk:"screen_record_id"`
	EventType      types.String        `tfsdk:"event_type"`
	EventID        types.String        `tfsdk:"event_id"`
	EventLevel     types.String        `tfsdk:"event_level"`
	EventData      types.String        `tfsdk:"event_data"`
	MaxItems       types.Number        `tfsdk:"max_items"`
	Timeouts       timeouts.Value      `tfsdk:"timeouts"`
	TotalCount     types.Int64         `tfsdk:"total_count"`
	Events         []desktopEventModel `tfsdk:"events"`
}

func strPtr(s string) *string { return &s }

func schemaOf(t *testing.T, ds datasource.DataSource) schema.Schema {
	t.Helper()
	var resp datasource.SchemaResponse
	ds.Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return resp.Schema
}

// rawOf builds the protocol value of v by reflection, as tfsdk.State.Set does.
func rawOf(t *testing.T, s schema.Schema, v any) tftypes.Value {
	t.Helper()
	st := tfsdk.State{Schema: s}
	if diags := st.Set(context.Background(), v); diags.HasError() {
		t.Fatalf("reflection path: %v", diags)
	}
	return st.Raw
}

// decodeAs converts emulator items into the data source's API structs the
// way the client does: through their JSON.
func decodeAs[T any](t *testing.T, items any) []T {
	t.Helper()
	b, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	var out []T
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func compareRaw(t *testing.T, fast, slow tftypes.Value) {
	t.Helper()
	if fast.Equal(slow) {
		return
	}
	diffs, err := fast.Diff(slow)
	if err != nil {
		t.Fatalf("fast and reflection paths differ, and diffing failed: %v", err)
	}
	for i, d := range diffs {
		if i == 5 {
			t.Errorf("... %d differences in all", len(diffs))
			break
		}
		t.Errorf("at %s: fast %s, reflection %s", d.Path, d.Value1, d.Value2)
	}
	t.FailNow()
}

func TestScriptRecordsFastPathEqualsReflection(t *testing.T) {
	ctx := context.Background()
	s := schemaOf(t, listread.DataSource(ScriptRecords)())
	data := emulator.Generate(emulator.DefaultSeed, emulator.DefaultSizes())
	recs := decodeAs[scriptRecord](t, data.ScriptRecords()[:100])
	// A record with absent fields: they must be null on both paths.
	recs = append(recs, scriptRecord{ID: strPtr("ser-x"), Status: strPtr("RUNNING")})

	args := scriptRecordsModel{
		Timeouts:         fuzzread.NoTimeouts(),
		ResourceIDs:      []string{"desktop-0001", emulator.HostileResourceID},
		ScriptNames:      []string{emulator.HostileScriptName},
		Status:           types.StringValue("FAILED"),
		IsFirstOrder:     types.BoolValue(false),
		TaskType:         types.StringNull(),
		ShowHistory:      types.BoolNull(),
		ExecuteTimeStart: timetypes.NewRFC3339ValueMust("2026-11-18T00:00:00Z"),
		ExecuteTimeEnd:   timetypes.NewRFC3339Null(),
		MaxItems:         types.NumberValue(big.NewFloat(500)),
		Region:           types.StringNull(),
		ProjectID:        types.StringValue("p1"),
		ScriptTaskID:     types.StringNull(),
		ID:               types.StringNull(),
		TotalCount:       types.Int64Null(),
	}
	config := rawOf(t, s, &args)

	// Fast path: what Read does.
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: s}}
	elem := tfvalue.ElementType(s.Type().TerraformType(ctx).(tftypes.Object), "records").(tftypes.Object)
	vals := make([]tftypes.Value, len(recs))
	counts := map[string]int64{}
	for i := range recs {
		vals[i] = ScriptRecords.Fields.Value(elem, &recs[i])
		counts[*recs[i].Status]++
	}
	err := fuzzread.SetState(config, &resp, map[string]tftypes.Value{
		"id": tfvalue.String("abc"), "total_count": tfvalue.Int64(1234),
		"records": tfvalue.List(elem, vals), "status_counts": tfvalue.CountMap(counts),
	})
	if err != nil {
		t.Fatal(err)
	}

	// Reflection path.
	full := args
	full.ID, full.TotalCount, full.StatusCounts = types.StringValue("abc"), types.Int64Value(1234), counts
	for _, r := range recs {
		full.Records = append(full.Records, scriptRecordModel{
			ID: types.StringPointerValue(r.ID), ScriptID: types.StringPointerValue(r.ScriptID),
			ScriptName: types.StringPointerValue(r.ScriptName), ScriptTaskID: types.StringPointerValue(r.ScriptTaskID),
			ResourceID: types.StringPointerValue(r.ResourceID), ResourceName: types.StringPointerValue(r.ResourceName),
			ResourceType: types.StringPointerValue(r.ResourceType), StartTime: types.StringPointerValue(r.StartTime),
			EndTime: types.StringPointerValue(r.EndTime), Status: types.StringPointerValue(r.Status),
			ExecuteOrder: types.Int64PointerValue(r.ExecuteOrder), ResultCode: types.StringPointerValue(r.ResultCode),
			Reason: types.StringPointerValue(r.Reason),
		})
	}
	compareRaw(t, resp.State.Raw, rawOf(t, s, &full))
}

func TestDesktopEventsFastPathEqualsReflection(t *testing.T) {
	ctx := context.Background()
	s := schemaOf(t, listread.DataSource(DesktopEvents)())
	data := emulator.Generate(emulator.DefaultSeed, emulator.DefaultSizes())
	evs := decodeAs[desktopEvent](t, data.ScreenRecords()[emulator.ScreenRecordID(1)][:100])
	evs = append(evs, desktopEvent{ID: strPtr("ev-x"), EventID: strPtr("REG_CREATE")})

	args := desktopEventsModel{
		Timeouts:       fuzzread.NoTimeouts(),
		ScreenRecordID: types.StringValue("sr-0001"),
		EventType:      types.StringValue("APP"),
		EventID:        types.StringNull(),
		EventLevel:     types.StringValue("ERROR"),
		EventData:      types.StringValue(emulator.HostileText),
		MaxItems:       types.NumberNull(),
		Region:         types.StringValue("cn-north-4"),
		ProjectID:      types.StringNull(),
		ID:             types.StringNull(),
		TotalCount:     types.Int64Null(),
	}
	config := rawOf(t, s, &args)

	resp := datasource.ReadResponse{State: tfsdk.State{Schema: s}}
	elem := tfvalue.ElementType(s.Type().TerraformType(ctx).(tftypes.Object), "events").(tftypes.Object)
	vals := make([]tftypes.Value, len(evs))
	for i := range evs {
		vals[i] = DesktopEvents.Fields.Value(elem, &evs[i])
	}
	err := fuzzread.SetState(config, &resp, map[string]tftypes.Value{
		"id": tfvalue.String("abc"), "total_count": tfvalue.Int64(230), "events": tfvalue.List(elem, vals),
	})
	if err != nil {
		t.Fatal(err)
	}

	full := args
	full.ID, full.TotalCount = types.StringValue("abc"), types.Int64Value(230)
	for _, e := range evs {
		full.Events = append(full.Events, desktopEventModel{
			ID: types.StringPointerValue(e.ID), ProjectID: types.StringPointerValue(e.ProjectID),
			DesktopID: types.StringPointerValue(e.DesktopID), ScreenRecordID: types.StringPointerValue(e.ScreenRecordID),
			Username: types.StringPointerValue(e.Username), EventType: types.StringPointerValue(e.EventType),
			EventLevel: types.StringPointerValue(e.EventLevel), EventID: types.StringPointerValue(e.EventID),
			EventData: types.StringPointerValue(e.EventData), OperationTime: types.StringPointerValue(e.OperationTime),
			RelativeStartTime: types.Int64PointerValue(e.RelativeStartTime),
		})
	}
	compareRaw(t, resp.State.Raw, rawOf(t, s, &full))
}

// An empty result is an empty list (and an empty status_counts map), not
// null, on the fast path: policies can use length() without a null check.
func TestFastPathEmptyResult(t *testing.T) {
	ctx := context.Background()
	s := schemaOf(t, listread.DataSource(ScriptRecords)())
	config := rawOf(t, s, &scriptRecordsModel{Status: types.StringValue("NONE"), Timeouts: fuzzread.NoTimeouts()})
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: s}}
	elem := tfvalue.ElementType(s.Type().TerraformType(ctx).(tftypes.Object), "records")
	err := fuzzread.SetState(config, &resp, map[string]tftypes.Value{
		"id": tfvalue.String("abc"), "total_count": tfvalue.Int64(0),
		"records": tfvalue.List(elem, nil), "status_counts": tfvalue.CountMap(nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	full := scriptRecordsModel{Status: types.StringValue("NONE"), Timeouts: fuzzread.NoTimeouts(), ID: types.StringValue("abc"), TotalCount: types.Int64Value(0),
		Records: []scriptRecordModel{}, StatusCounts: map[string]int64{}}
	compareRaw(t, resp.State.Raw, rawOf(t, s, &full))
}

// Every attribute has a description; arguments and results name the API
// parameter or field they map to.
func TestSchemaDescriptions(t *testing.T) {
	for _, c := range []struct {
		ds     datasource.DataSource
		params map[string]string // attribute -> API name its description must name
		items  string
	}{
		{listread.DataSource(ScriptRecords)(), map[string]string{
			"resource_ids": "resource_id", "resource_group_ids": "resource_group_id", "script_ids": "script_id",
			"script_names": "script_name", "status": "status", "is_first_order": "is_first_order",
			"script_task_id": "script_task_id", "task_type": "task_type", "show_history": "show_history",
			"execute_time_start": "execute_time_start", "execute_time_end": "execute_time_end",
			"total_count": "count", "records": "script_records", "status_counts": "status",
		}, "records"},
		{listread.DataSource(DesktopEvents)(), map[string]string{
			"screen_record_id": "record_id", "event_type": "event_type", "event_id": "event_id",
			"event_level": "event_level", "event_data": "event_data", "total_count": "total_count", "events": "operations",
		}, "events"},
	} {
		s := schemaOf(t, c.ds)
		if s.MarkdownDescription == "" {
			t.Errorf("%T: no description", c.ds)
		}
		for name, a := range s.Attributes {
			d := a.GetMarkdownDescription()
			if d == "" {
				t.Errorf("%T: attribute %s has no description", c.ds, name)
			}
			if p, ok := c.params[name]; ok && !strings.Contains(d, "`"+p+"`") {
				t.Errorf("%T: the description of %s does not name the API's `%s`: %q", c.ds, name, p, d)
			}
		}
		for name := range c.params {
			if _, ok := s.Attributes[name]; !ok {
				t.Errorf("%T: no attribute %s", c.ds, name)
			}
		}
		nested := s.Attributes[c.items].(schema.ListNestedAttribute).NestedObject.Attributes
		for name, a := range nested {
			if d := a.GetMarkdownDescription(); !strings.Contains(d, "(`"+name+"`)") {
				t.Errorf("%T: %s.%s's description does not name the API field: %q", c.ds, c.items, name, d)
			}
		}
	}
}
