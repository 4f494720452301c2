package secmaster

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/framework"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/paginate"
)

// PlaybookAuditLogsTypeName is the data source's type name.
const PlaybookAuditLogsTypeName = "opsaudit_huaweicloud_secmaster_playbook_audit_logs"

const (
	auditLogsSummary   = "Unable to list SecMaster playbook audit logs"
	auditLogsOperation = "ListPlaybookAuditLogs"
	// auditLogsPageSize is the API's largest limit (the full reference
	// gives limit 10..50).
	auditLogsPageSize = 50
	// auditLogsContentType is the content type the API documents.
	auditLogsContentType = "application/json;charset=UTF-8"
)

// Enumerations of the filters: every value seed 003 names anywhere (its
// tables and its example), as CONTRACT.md fixes them.
var (
	auditInstanceTypes = []string{"APP", "AOP_WORKFLOW", "SCRIPT", "PLAYBOOK", "TASK", "DEBUG"}
	auditStatuses      = []string{"CREATED", "RUNNING", "FINISHED", "FAILED", "RETRYING", "TERMINATING", "TERMINATED"}
	auditTriggerTypes  = []string{"DEBUG", "TIMER", "EVENT", "MANUAL"}
	auditLogLevels     = []string{"DEBUG", "INFO", "WARN", "ERROR"}
)

// NewPlaybookAuditLogs returns the data source.
func NewPlaybookAuditLogs() datasource.DataSource { return &auditLogsDataSource{} }

type auditLogsDataSource struct{ framework.Base }

var (
	_ datasource.DataSourceWithConfigure        = (*auditLogsDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*auditLogsDataSource)(nil)
)

// auditLogsArgs are the arguments, read from the configuration. The
// computed attributes are here too, only because Config.Get needs a field
// for every attribute of the schema; they are null in a configuration.
type auditLogsArgs struct {
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
	MaxItems         types.Int64       `tfsdk:"max_items"`

	ID           types.String `tfsdk:"id"`
	TotalCount   types.Int64  `tfsdk:"total_count"`
	AuditLogs    types.List   `tfsdk:"audit_logs"`
	StatusCounts types.Map    `tfsdk:"status_counts"`
}

// auditLogsArgNames are the attributes the id is derived from.
var auditLogsArgNames = []string{
	"region", "project_id", "workspace_id", "instance_type", "action_id", "action_name", "instance_id",
	"parent_instance_id", "log_level", "input", "output", "error_msg", "start_time", "end_time", "status",
	"trigger_type", "sort_key", "sort_dir", "max_items",
}

// auditLogsFilter is the request body: the set filters only. It is encoded
// once per read and the same bytes are sent for every page.
type auditLogsFilter struct {
	InstanceType     *string `json:"instance_type,omitempty"`
	ActionID         *string `json:"action_id,omitempty"`
	ActionName       *string `json:"action_name,omitempty"`
	InstanceID       *string `json:"instance_id,omitempty"`
	ParentInstanceID *string `json:"parent_instance_id,omitempty"`
	LogLevel         *string `json:"log_level,omitempty"`
	Input            *string `json:"input,omitempty"`
	Output           *string `json:"output,omitempty"`
	ErrorMsg         *string `json:"error_msg,omitempty"`
	StartTime        *string `json:"start_time,omitempty"`
	EndTime          *string `json:"end_time,omitempty"`
	Status           *string `json:"status,omitempty"`
	TriggerType      *string `json:"trigger_type,omitempty"`
}

// auditLog is one AuditLogInfo of the API. Pointers tell an absent field
// (null in state) from an empty one. LastReportTime is not in the document:
// live answers have been seen carrying it instead of end_time, so end_time
// falls back to it (reference/api-facts.md).
type auditLog struct {
	InstanceType     *string `json:"instance_type"`
	ActionID         *string `json:"action_id"`
	ActionName       *string `json:"action_name"`
	InstanceID       *string `json:"instance_id"`
	ParentInstanceID *string `json:"parent_instance_id"`
	LogLevel         *string `json:"log_level"`
	Input            *string `json:"input"`
	Output           *string `json:"output"`
	ErrorMsg         *string `json:"error_msg"`
	StartTime        *string `json:"start_time"`
	EndTime          *string `json:"end_time"`
	LastReportTime   *string `json:"last_report_time"`
	Status           *string `json:"status"`
	TriggerType      *string `json:"trigger_type"`
}

// auditLogsPage is the API's answer.
type auditLogsPage struct {
	Count     *int64     `json:"count"`
	AuditLogs []auditLog `json:"audit_logs"`
}

// auditLogAttributes describes an audit log: schema and converter both
// derive from this one list, in this order.
var auditLogAttributes = []framework.ItemAttribute{
	{Name: "instance_type", Description: "Instance type, e.g. `AOP_WORKFLOW`, `SCRIPT`, `PLAYBOOK` (`instance_type`)."},
	{Name: "action_id", Description: "Workflow ID (`action_id`)."},
	{Name: "action_name", Description: "Workflow name (`action_name`)."},
	{Name: "instance_id", Description: "Instance ID (`instance_id`)."},
	{Name: "parent_instance_id", Description: "Instance ID of the parent node (`parent_instance_id`)."},
	{Name: "log_level", Description: "Log level, e.g. `INFO`, `ERROR` (`log_level`)."},
	{Name: "input", Description: "Input (`input`)."},
	{Name: "output", Description: "Output (`output`)."},
	{Name: "error_msg", Description: "Error message (`error_msg`)."},
	{Name: "start_time", Description: "Start time, as the API returns it (`start_time`)."},
	{Name: "end_time", Description: "End time, as the API returns it (`end_time`; when an answer carries " +
		"`last_report_time` instead, as live answers have been seen to do, that value)."},
	{Name: "status", Description: "Status, e.g. `RUNNING`, `FINISHED`, `FAILED` (`status`)."},
	{Name: "trigger_type", Description: "Trigger type, e.g. `TIMER`, `EVENT` (`trigger_type`)."},
}

// value converts an audit log to its state value; the order of the values
// matches auditLogAttributes.
func (l *auditLog) value(t tftypes.Object) tftypes.Value {
	end := l.EndTime
	if end == nil {
		end = l.LastReportTime
	}
	return framework.Object(t, auditLogAttributes,
		framework.Str(l.InstanceType), framework.Str(l.ActionID), framework.Str(l.ActionName),
		framework.Str(l.InstanceID), framework.Str(l.ParentInstanceID), framework.Str(l.LogLevel),
		framework.Str(l.Input), framework.Str(l.Output), framework.Str(l.ErrorMsg),
		framework.Str(l.StartTime), framework.Str(end), framework.Str(l.Status), framework.Str(l.TriggerType))
}

func (d *auditLogsDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = PlaybookAuditLogsTypeName
}

// noSlash keeps a path parameter a single path segment.
var noSlash = regexp.MustCompile(`^[^/]+$`)

func (d *auditLogsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	text := func(param, what string) schema.StringAttribute {
		return schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: fmt.Sprintf("Only logs with this %s (`%s` in the request body).", what, param),
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		}
	}
	enum := func(param, what string, values []string) schema.StringAttribute {
		return schema.StringAttribute{
			Optional: true,
			MarkdownDescription: fmt.Sprintf("Only logs with this %s (`%s` in the request body): one of %s.",
				what, param, codeList(values)),
			Validators: []validator.String{stringvalidator.OneOf(values...)},
		}
	}
	sortKeys := make([]string, len(auditLogAttributes))
	for i, a := range auditLogAttributes {
		sortKeys[i] = a.Name
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists Huawei Cloud SecMaster playbook instance audit logs " +
			"(`POST /v1/{project_id}/workspaces/{workspace_id}/soc/playbooks/instances/auditlogs`), every page, " +
			"in the API's order. Audit logs have no id of their own, so identical logs are all kept.",
		Attributes: map[string]schema.Attribute{
			"id":         framework.IDAttribute(),
			"region":     framework.RegionAttribute("huaweicloud", "`HW_REGION_NAME`"),
			"project_id": framework.ProjectIDAttribute(),
			"workspace_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "SecMaster workspace to read the logs of (the path's `workspace_id`).",
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.RegexMatches(noSlash, "must not contain a slash"),
					stringvalidator.NoneOf(".", ".."),
				},
			},
			"instance_type":      enum("instance_type", "instance type", auditInstanceTypes),
			"action_id":          text("action_id", "workflow ID"),
			"action_name":        text("action_name", "workflow name"),
			"instance_id":        text("instance_id", "instance ID"),
			"parent_instance_id": text("parent_instance_id", "parent node instance ID"),
			"log_level":          enum("log_level", "log level", auditLogLevels),
			"input":              text("input", "input"),
			"output":             text("output", "output"),
			"error_msg":          text("error_msg", "error message"),
			"start_time": schema.StringAttribute{
				Optional:   true,
				CustomType: timetypes.RFC3339Type{},
				MarkdownDescription: "Only logs of instances started at or after this RFC 3339 time, e.g. " +
					"`2026-11-20T00:00:00Z` (`start_time` in the request body).",
			},
			"end_time": schema.StringAttribute{
				Optional:   true,
				CustomType: timetypes.RFC3339Type{},
				MarkdownDescription: "Only logs of instances that ended at or before this RFC 3339 time; not before " +
					"`start_time` (`end_time` in the request body).",
			},
			"status":       enum("status", "status", auditStatuses),
			"trigger_type": enum("trigger_type", "trigger type", auditTriggerTypes),
			"sort_key": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Field to sort by (`sort_key` query parameter): one of %s. "+
					"Default: the API's own order.", codeList(sortKeys)),
				Validators: []validator.String{stringvalidator.OneOf(sortKeys...)},
			},
			"sort_dir": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Sort direction, `asc` or `desc` (`sort_dir` query parameter). Allowed without " +
					"`sort_key`: the document makes both optional on their own, and the API then applies the " +
					"direction to its default order.",
				Validators: []validator.String{stringvalidator.OneOf("asc", "desc")},
			},
			"max_items": framework.MaxItemsAttribute("audit logs"),
			"total_count": schema.Int64Attribute{
				Computed: true,
				MarkdownDescription: "Number of audit logs matching the filters, as the API counts them (`count`): " +
					"all matches, even when `max_items` stops the read early.",
			},
			"audit_logs": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The audit logs (`audit_logs`), every page, in the API's order, never de-duplicated.",
				NestedObject:        schema.NestedAttributeObject{Attributes: framework.ItemSchema(auditLogAttributes)},
			},
			"status_counts": schema.MapAttribute{
				Computed:            true,
				ElementType:         types.Int64Type,
				MarkdownDescription: "Number of returned audit logs by `status`, e.g. `{ FAILED = 2, FINISHED = 40 }`.",
			},
		},
	}
}

func (d *auditLogsDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{framework.TimeOrder("start_time", "end_time")}
}

// codeList renders values as "`A`, `B`, `C`".
func codeList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + v + "`"
	}
	return strings.Join(q, ", ")
}

// optional returns a pointer to the string's value, nil when it is not set.
func optional(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

// body encodes the request body: a JSON object of the set filters only.
func (a *auditLogsArgs) body() ([]byte, error) {
	f := auditLogsFilter{
		InstanceType: optional(a.InstanceType), ActionID: optional(a.ActionID), ActionName: optional(a.ActionName),
		InstanceID: optional(a.InstanceID), ParentInstanceID: optional(a.ParentInstanceID), LogLevel: optional(a.LogLevel),
		Input: optional(a.Input), Output: optional(a.Output), ErrorMsg: optional(a.ErrorMsg),
		StartTime: optional(a.StartTime.StringValue), EndTime: optional(a.EndTime.StringValue),
		Status: optional(a.Status), TriggerType: optional(a.TriggerType),
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // send "&" and "<" as they are; both are valid JSON
	if err := enc.Encode(&f); err != nil {
		return nil, fmt.Errorf("encoding the request body: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// query builds the API's query parameters from the arguments (paging aside).
func (a *auditLogsArgs) query() url.Values {
	q := url.Values{}
	framework.SetString(q, "sort_key", a.SortKey)
	framework.SetString(q, "sort_dir", a.SortDir)
	return q
}

func (d *auditLogsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var args auditLogsArgs
	resp.Diagnostics.Append(req.Config.Get(ctx, &args)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := d.HuaweiClient(&resp.Diagnostics, auditLogsSummary)
	if c == nil {
		return
	}
	region, project, err := framework.HuaweiScope(ctx, c, args.Region, args.ProjectID)
	if err != nil {
		resp.Diagnostics.AddError(auditLogsSummary, err.Error())
		return
	}
	body, err := args.body()
	if err != nil {
		resp.Diagnostics.AddError(auditLogsSummary, err.Error())
		return
	}

	pager := &paginate.Offset[auditLog]{
		Limit:    auditLogsPageSize,
		MaxItems: framework.MaxItems(args.MaxItems),
		Parallel: d.Parallel(),
		ID:       nil, // audit logs have no id; identical logs are distinct events
		Fetch:    fetchAuditLogs(c, region, project, args.WorkspaceID.ValueString(), args.query(), body),
	}
	logType, err := framework.ItemType(ctx, resp, "audit_logs")
	if err != nil {
		resp.Diagnostics.AddError(auditLogsSummary, "Reading the schema: "+err.Error())
		return
	}
	logs, counts, err := framework.Collect(pager.All(ctx),
		func(l *auditLog) tftypes.Value { return l.value(logType) },
		func(l *auditLog) *string { return l.Status })
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, auditLogsSummary, err)
		return
	}
	framework.WarnDrift(&resp.Diagnostics, "SecMaster playbook audit logs", pager)
	tflog.Debug(ctx, "Listed SecMaster playbook audit logs", map[string]any{
		"audit_logs": len(logs), "total_count": pager.Total(), "requests": pager.Requests(),
	})

	framework.Finish(ctx, req, resp, auditLogsSummary, PlaybookAuditLogsTypeName, auditLogsArgNames, []string{region, project},
		func(id string) map[string]tftypes.Value {
			return auditLogsComputed(id, pager.Total(), logType, logs, counts)
		})
}

// auditLogsComputed are the computed attributes' values.
func auditLogsComputed(id string, total int, logType tftypes.Object, logs []tftypes.Value, counts map[string]int64) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"id":            framework.String(id),
		"total_count":   framework.Int64(int64(total)),
		"audit_logs":    framework.List(logType, logs),
		"status_counts": framework.CountMap(counts),
	}
}

// fetchAuditLogs reads one page. offset and limit are mandatory query
// parameters and sent on every page; body is the same on every page.
func fetchAuditLogs(c *huaweicloud.Client, region, project, workspace string, params url.Values, body []byte) paginate.OffsetFetch[auditLog] {
	// Do percent-encodes each segment of Path: the ids go in unescaped.
	path := "/v1/" + project + "/workspaces/" + workspace + "/soc/playbooks/instances/auditlogs"
	return func(ctx context.Context, offset, limit int) (paginate.Page[auditLog], error) {
		q := framework.CloneValues(params)
		q.Set("offset", strconv.Itoa(offset))
		q.Set("limit", strconv.Itoa(limit))
		resp, err := c.Do(ctx, huaweicloud.Call{
			Operation: auditLogsOperation, Service: "secmaster", Region: region, ProjectID: project,
			Method: "POST", Path: path, Query: q, Body: body, ContentType: auditLogsContentType,
		})
		if err != nil {
			return paginate.Page[auditLog]{}, err
		}
		var page auditLogsPage
		if err := framework.DecodeJSON(auditLogsOperation, resp, &page); err != nil {
			return paginate.Page[auditLog]{}, err
		}
		if page.Count == nil {
			return paginate.Page[auditLog]{}, framework.MissingField(auditLogsOperation, resp, "count")
		}
		return paginate.Page[auditLog]{Items: page.AuditLogs, Total: int(*page.Count)}, nil
	}
}
