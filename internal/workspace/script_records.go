package workspace

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/framework"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/paginate"
)

// ScriptRecordsTypeName is the data source's type name.
const ScriptRecordsTypeName = "opsaudit_huaweicloud_workspace_script_execution_records"

const (
	scriptRecordsSummary   = "Unable to list Workspace script execution records"
	scriptRecordsOperation = "ListScriptExecutionRecords"
	// scriptRecordsPageSize is the API's largest limit.
	scriptRecordsPageSize = 100
)

// NewScriptRecords returns the data source.
func NewScriptRecords() datasource.DataSource { return &scriptRecordsDataSource{} }

type scriptRecordsDataSource struct{ framework.Base }

var (
	_ datasource.DataSourceWithConfigure        = (*scriptRecordsDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*scriptRecordsDataSource)(nil)
)

// scriptRecordsArgs are the arguments, read from the configuration.
type scriptRecordsArgs struct {
	Region           types.String      `tfsdk:"region"`
	ProjectID        types.String      `tfsdk:"project_id"`
	ResourceIDs      []string          `tfsdk:"resource_ids"`
	ResourceGroupIDs []string          `tfsdk:"resource_group_ids"`
	ScriptIDs        []string          `tfsdk:"script_ids"`
	ScriptNames      []string          `tfsdk:"script_names"`
	Status           types.String      `tfsdk:"status"`
	IsFirstOrder     types.Bool        `tfsdk:"is_first_order"`
	ScriptTaskID     types.String      `tfsdk:"script_task_id"`
	TaskType         types.String      `tfsdk:"task_type"`
	ShowHistory      types.Bool        `tfsdk:"show_history"`
	ExecuteTimeStart timetypes.RFC3339 `tfsdk:"execute_time_start"`
	ExecuteTimeEnd   timetypes.RFC3339 `tfsdk:"execute_time_end"`
	MaxItems         types.Int64       `tfsdk:"max_items"`

	// The computed attributes: null in the configuration, never read, but
	// Config.Get needs a field for every attribute of the schema.
	ID           types.String `tfsdk:"id"`
	TotalCount   types.Int64  `tfsdk:"total_count"`
	Records      types.List   `tfsdk:"records"`
	StatusCounts types.Map    `tfsdk:"status_counts"`
}

// scriptRecordsArgNames are the attributes the id is derived from.
var scriptRecordsArgNames = []string{
	"region", "project_id", "resource_ids", "resource_group_ids", "script_ids", "script_names", "status",
	"is_first_order", "script_task_id", "task_type", "show_history", "execute_time_start", "execute_time_end", "max_items",
}

// scriptRecord is one ScriptRecordSimpleInfo of the API. Pointers tell an
// absent field (null in state) from an empty one.
type scriptRecord struct {
	ID           *string `json:"id"`
	ScriptID     *string `json:"script_id"`
	ScriptName   *string `json:"script_name"`
	ScriptTaskID *string `json:"script_task_id"`
	ResourceID   *string `json:"resource_id"`
	ResourceName *string `json:"resource_name"`
	ResourceType *string `json:"resource_type"`
	StartTime    *string `json:"start_time"`
	EndTime      *string `json:"end_time"`
	Status       *string `json:"status"`
	ExecuteOrder *int64  `json:"execute_order"`
	ResultCode   *string `json:"result_code"`
	Reason       *string `json:"reason"`
}

// scriptRecordsPage is the API's answer.
type scriptRecordsPage struct {
	Count         *int64         `json:"count"`
	ScriptRecords []scriptRecord `json:"script_records"`
}

// scriptRecordAttributes describes a record: schema and converter both
// derive from this one list, in this order.
var scriptRecordAttributes = []framework.ItemAttribute{
	{Name: "id", Description: "Script execution record ID (`id`)."},
	{Name: "script_id", Description: "Script ID (`script_id`)."},
	{Name: "script_name", Description: "Script name (`script_name`)."},
	{Name: "script_task_id", Description: "Script execution task ID (`script_task_id`)."},
	{Name: "resource_id", Description: "Resource the script ran on, e.g. a desktop ID (`resource_id`)."},
	{Name: "resource_name", Description: "Resource name, e.g. a desktop name (`resource_name`)."},
	{Name: "resource_type", Description: "Resource type, e.g. `DESKTOP` (`resource_type`)."},
	{Name: "start_time", Description: "Start time of the execution, as the API returns it (`start_time`)."},
	{Name: "end_time", Description: "End time of the execution, as the API returns it (`end_time`)."},
	{Name: "status", Description: "Execution status, e.g. `SUCCESS`, `FAILED`, `RUNNING`, `WAITING` (`status`)."},
	{Name: "execute_order", Number: true, Description: "Execution batch: 0 default, 1 gray, 2 non-gray (`execute_order`)."},
	{Name: "result_code", Description: "Error code (`result_code`)."},
	{Name: "reason", Description: "Cause of the result (`reason`)."},
}

// value converts a record to its state value; the order of the values
// matches scriptRecordAttributes.
func (r *scriptRecord) value(t tftypes.Object) tftypes.Value {
	return framework.Object(t, scriptRecordAttributes,
		framework.Str(r.ID), framework.Str(r.ScriptID), framework.Str(r.ScriptName), framework.Str(r.ScriptTaskID),
		framework.Str(r.ResourceID), framework.Str(r.ResourceName), framework.Str(r.ResourceType),
		framework.Str(r.StartTime), framework.Str(r.EndTime), framework.Str(r.Status), framework.Int(r.ExecuteOrder),
		framework.Str(r.ResultCode), framework.Str(r.Reason))
}

func (d *scriptRecordsDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = ScriptRecordsTypeName
}

func (d *scriptRecordsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	list := func(param, what string) schema.ListAttribute {
		return schema.ListAttribute{
			Optional:    true,
			ElementType: types.StringType,
			MarkdownDescription: fmt.Sprintf("Only records of these %s. Sent as one `%s` query parameter per element. "+
				"A record matches if it has any of them.", what, param),
			Validators: []validator.List{
				listvalidator.SizeAtLeast(1),
				listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
			},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists Huawei Cloud Workspace script execution records " +
			"(`GET /v2/{project_id}/script-execution-records`), every page, in the API's order.",
		Attributes: map[string]schema.Attribute{
			"id":                 framework.IDAttribute(),
			"region":             framework.RegionAttribute("huaweicloud", "`HW_REGION_NAME`"),
			"project_id":         framework.ProjectIDAttribute(),
			"resource_ids":       list("resource_id", "resource (desktop) IDs"),
			"resource_group_ids": list("resource_group_id", "resource group IDs"),
			"script_ids":         list("script_id", "script IDs"),
			"script_names":       list("script_name", "script names"),
			"status": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only records with this execution status (`status`), e.g. `SUCCESS`, `FAILED`, " +
					"`RUNNING`, `WAITING`. Not checked against a list: the API does not enumerate its statuses.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"is_first_order": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Only first-batch executions (`true`) or only later ones (`false`) (`is_first_order`).",
			},
			"script_task_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only records of this script execution task (`script_task_id`).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"task_type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only records of this task type: `SCRIPT` or `COMMAND` (`task_type`).",
				Validators:          []validator.String{stringvalidator.OneOf("SCRIPT", "COMMAND")},
			},
			"show_history": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Include historical records (`show_history`). `true` needs both `resource_ids` and " +
					"`script_ids`. Default (API): `false`.",
			},
			"execute_time_start": schema.StringAttribute{
				Optional:            true,
				CustomType:          timetypes.RFC3339Type{},
				MarkdownDescription: "Only records executed at or after this RFC 3339 time, e.g. `2026-11-20T00:00:00Z` (`execute_time_start`).",
			},
			"execute_time_end": schema.StringAttribute{
				Optional:            true,
				CustomType:          timetypes.RFC3339Type{},
				MarkdownDescription: "Only records executed at or before this RFC 3339 time; not before `execute_time_start` (`execute_time_end`).",
			},
			"max_items": framework.MaxItemsAttribute("records"),
			"total_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Number of records matching the filters, as the API counts them (`count`): all matches, even when `max_items` stops the read early.",
			},
			"records": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The records (`script_records`), every page, in the API's order.",
				NestedObject:        schema.NestedAttributeObject{Attributes: framework.ItemSchema(scriptRecordAttributes)},
			},
			"status_counts": schema.MapAttribute{
				Computed:            true,
				ElementType:         types.Int64Type,
				MarkdownDescription: "Number of returned records by `status`, e.g. `{ FAILED = 2, SUCCESS = 40 }`.",
			},
		},
	}
}

func (d *scriptRecordsDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		framework.TimeOrder("execute_time_start", "execute_time_end"),
		showHistoryNeedsIDs{},
	}
}

// showHistoryNeedsIDs: show_history = true needs resource_ids and script_ids.
type showHistoryNeedsIDs struct{}

func (showHistoryNeedsIDs) Description(context.Context) string {
	return "show_history = true requires resource_ids and script_ids"
}

func (v showHistoryNeedsIDs) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (showHistoryNeedsIDs) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var show types.Bool
	var resources, scripts types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("show_history"), &show)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("resource_ids"), &resources)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("script_ids"), &scripts)...)
	if resp.Diagnostics.HasError() || show.IsUnknown() || !show.ValueBool() {
		return
	}
	for _, l := range []struct {
		name string
		v    types.List
	}{{"resource_ids", resources}, {"script_ids", scripts}} {
		if l.v.IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root("show_history"), "Missing required argument",
				fmt.Sprintf("show_history = true requires %s: the API only returns historical records for given resources and scripts.", l.name))
		}
	}
}

// query builds the API's query parameters from the arguments (paging aside).
func (a *scriptRecordsArgs) query() url.Values {
	q := url.Values{}
	for _, l := range []struct {
		key  string
		vals []string
	}{{"resource_id", a.ResourceIDs}, {"resource_group_id", a.ResourceGroupIDs}, {"script_id", a.ScriptIDs}, {"script_name", a.ScriptNames}} {
		for _, v := range l.vals {
			q.Add(l.key, v)
		}
	}
	framework.SetString(q, "status", a.Status)
	framework.SetString(q, "script_task_id", a.ScriptTaskID)
	framework.SetString(q, "task_type", a.TaskType)
	framework.SetBool(q, "is_first_order", a.IsFirstOrder)
	framework.SetBool(q, "show_history", a.ShowHistory)
	if !a.ExecuteTimeStart.IsNull() && !a.ExecuteTimeStart.IsUnknown() {
		q.Set("execute_time_start", a.ExecuteTimeStart.ValueString())
	}
	if !a.ExecuteTimeEnd.IsNull() && !a.ExecuteTimeEnd.IsUnknown() {
		q.Set("execute_time_end", a.ExecuteTimeEnd.ValueString())
	}
	return q
}

func (d *scriptRecordsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var args scriptRecordsArgs
	resp.Diagnostics.Append(req.Config.Get(ctx, &args)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := d.HuaweiClient(&resp.Diagnostics, scriptRecordsSummary)
	if c == nil {
		return
	}
	region, project, err := framework.HuaweiScope(ctx, c, args.Region, args.ProjectID)
	if err != nil {
		resp.Diagnostics.AddError(scriptRecordsSummary, err.Error())
		return
	}

	pager := &paginate.Offset[scriptRecord]{
		Limit:    scriptRecordsPageSize,
		MaxItems: framework.MaxItems(args.MaxItems),
		Parallel: d.Parallel(),
		ID:       func(r scriptRecord) string { return framework.Deref(r.ID) },
		Fetch:    fetchScriptRecords(c, region, project, args.query()),
	}
	recordType, err := framework.ItemType(ctx, resp, "records")
	if err != nil {
		resp.Diagnostics.AddError(scriptRecordsSummary, "Reading the schema: "+err.Error())
		return
	}
	records, counts, err := framework.Collect(pager.All(ctx),
		func(r *scriptRecord) tftypes.Value { return r.value(recordType) },
		func(r *scriptRecord) *string { return r.Status })
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, scriptRecordsSummary, err)
		return
	}
	framework.WarnDrift(&resp.Diagnostics, "Workspace script execution records", pager)
	tflog.Debug(ctx, "Listed Workspace script execution records", map[string]any{
		"records": len(records), "total_count": pager.Total(), "requests": pager.Requests(), "duplicates_dropped": pager.Dropped(),
	})

	framework.Finish(ctx, req, resp, scriptRecordsSummary, ScriptRecordsTypeName, scriptRecordsArgNames, []string{region, project},
		func(id string) map[string]tftypes.Value {
			return map[string]tftypes.Value{
				"id":            framework.String(id),
				"total_count":   framework.Int64(int64(pager.Total())),
				"records":       framework.List(recordType, records),
				"status_counts": framework.CountMap(counts),
			}
		})
}

// fetchScriptRecords reads one page.
func fetchScriptRecords(c *huaweicloud.Client, region, project string, filters url.Values) paginate.OffsetFetch[scriptRecord] {
	return func(ctx context.Context, offset, limit int) (paginate.Page[scriptRecord], error) {
		q := framework.CloneValues(filters)
		q.Set("offset", strconv.Itoa(offset))
		q.Set("limit", strconv.Itoa(limit))
		resp, err := c.Do(ctx, huaweicloud.Call{
			Operation: scriptRecordsOperation, Service: "workspace", Region: region, ProjectID: project,
			Method: "GET", Path: "/v2/" + project + "/script-execution-records", Query: q,
		})
		if err != nil {
			return paginate.Page[scriptRecord]{}, err
		}
		var page scriptRecordsPage
		if err := framework.DecodeJSON(scriptRecordsOperation, resp, &page); err != nil {
			return paginate.Page[scriptRecord]{}, err
		}
		if page.Count == nil {
			return paginate.Page[scriptRecord]{}, framework.MissingField(scriptRecordsOperation, resp, "count")
		}
		return paginate.Page[scriptRecord]{Items: page.ScriptRecords, Total: int(*page.Count)}, nil
	}
}
