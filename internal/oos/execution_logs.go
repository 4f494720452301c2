package oos

import (
	"context"
	"net/url"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/framework"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/paginate"
)

// ExecutionLogsTypeName is the data source's type name.
const ExecutionLogsTypeName = "opsaudit_alicloud_oos_execution_logs"

const (
	executionLogsSummary = "Unable to list OOS execution logs"
	executionLogsAction  = "ListExecutionLogs"
	executionLogsVersion = "2019-06-01"
	// executionLogsPageSize is MaxResults, the same on every page: a
	// NextToken is bound to the other parameters, and changing one gives
	// InvalidNextTokenQuery.
	executionLogsPageSize = 50
)

// NewExecutionLogs returns the data source.
func NewExecutionLogs() datasource.DataSource { return &executionLogsDataSource{} }

type executionLogsDataSource struct{ framework.Base }

var _ datasource.DataSourceWithConfigure = (*executionLogsDataSource)(nil)

// executionLogsArgs are the arguments, read from the configuration. The
// computed attributes are here too, only because Config.Get needs a field
// for every attribute of the schema; they are null in a configuration.
type executionLogsArgs struct {
	Region          types.String `tfsdk:"region"`
	ExecutionID     types.String `tfsdk:"execution_id"`
	TaskExecutionID types.String `tfsdk:"task_execution_id"`
	LogType         types.String `tfsdk:"log_type"`
	MaxItems        types.Int64  `tfsdk:"max_items"`

	ID            types.String `tfsdk:"id"`
	ExecutionLogs types.List   `tfsdk:"execution_logs"`
}

// executionLogsArgNames are the attributes the id is derived from.
var executionLogsArgNames = []string{"region", "execution_id", "task_execution_id", "log_type", "max_items"}

// executionLog is one entry of ExecutionLogs. Pointers tell an absent field
// (null in state) from an empty one.
type executionLog struct {
	TaskExecutionID *string `json:"TaskExecutionId"`
	Message         *string `json:"Message"`
	LogType         *string `json:"LogType"`
	Timestamp       *string `json:"Timestamp"`
}

// executionLogsPage is the API's answer. NextToken is absent (or empty) on
// the last page. An answer without ExecutionLogs is a page without logs.
type executionLogsPage struct {
	NextToken     string         `json:"NextToken"`
	ExecutionLogs []executionLog `json:"ExecutionLogs"`
}

// executionLogAttributes describes a log entry: schema and converter both
// derive from this one list, in this order.
var executionLogAttributes = []framework.ItemAttribute{
	{Name: "task_execution_id", Description: "Task execution the entry belongs to (`TaskExecutionId`)."},
	{Name: "message", Description: "The logged message (`Message`)."},
	{Name: "log_type", Description: "Log type, e.g. `System` (`LogType`)."},
	{Name: "timestamp", Description: "Time of the entry, as the API returns it (`Timestamp`)."},
}

// value converts a log entry to its state value; the order of the values
// matches executionLogAttributes.
func (l *executionLog) value(t tftypes.Object) tftypes.Value {
	return framework.Object(t, executionLogAttributes,
		framework.Str(l.TaskExecutionID), framework.Str(l.Message), framework.Str(l.LogType), framework.Str(l.Timestamp))
}

func (d *executionLogsDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = ExecutionLogsTypeName
}

func (d *executionLogsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the logs of an Alibaba Cloud OOS execution (RPC `ListExecutionLogs`, version " +
			"`2019-06-01`), every page, in the API's order, never de-duplicated.",
		Attributes: map[string]schema.Attribute{
			"id":     framework.IDAttribute(),
			"region": framework.RegionAttribute("alicloud", "`ALIBABA_CLOUD_REGION`, then `ALICLOUD_REGION`; sent as `RegionId`"),
			"execution_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Execution to read the logs of (`ExecutionId`), e.g. `exec-8a2aaf460fdf47c6b5ef`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"task_execution_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the logs of this task execution (`TaskExecutionId`), e.g. `exec-1234567zxcvb.t0010`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"log_type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only logs of this type (`LogType`), e.g. `System`. Not checked against a list: the API does not enumerate its log types.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"max_items": framework.MaxItemsAttribute("log entries"),
			"execution_logs": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The log entries (`ExecutionLogs`), every page, in the API's order.",
				NestedObject:        schema.NestedAttributeObject{Attributes: framework.ItemSchema(executionLogAttributes)},
			},
		},
	}
}

// params builds the action's parameters from the arguments (paging aside).
func (a *executionLogsArgs) params() url.Values {
	p := url.Values{}
	framework.SetString(p, "ExecutionId", a.ExecutionID)
	framework.SetString(p, "TaskExecutionId", a.TaskExecutionID)
	framework.SetString(p, "LogType", a.LogType)
	p.Set("MaxResults", strconv.Itoa(executionLogsPageSize))
	return p
}

func (d *executionLogsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var args executionLogsArgs
	resp.Diagnostics.Append(req.Config.Get(ctx, &args)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := d.AliClient(&resp.Diagnostics, executionLogsSummary)
	if c == nil {
		return
	}
	region, err := c.Region(framework.StringValue(args.Region))
	if err != nil {
		resp.Diagnostics.AddError(executionLogsSummary, err.Error())
		return
	}

	pager := &paginate.Token[executionLog]{
		MaxItems: framework.MaxItems(args.MaxItems),
		Fetch:    fetchExecutionLogs(c, region, args.params()),
	}
	logType, err := framework.ItemType(ctx, resp, "execution_logs")
	if err != nil {
		resp.Diagnostics.AddError(executionLogsSummary, "Reading the schema: "+err.Error())
		return
	}
	logs, _, err := framework.Collect(pager.All(ctx), func(l *executionLog) tftypes.Value { return l.value(logType) }, nil)
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, executionLogsSummary, err)
		return
	}
	tflog.Debug(ctx, "Listed OOS execution logs", map[string]any{"execution_logs": len(logs), "requests": pager.Requests()})

	framework.Finish(ctx, req, resp, executionLogsSummary, ExecutionLogsTypeName, executionLogsArgNames, []string{region},
		func(id string) map[string]tftypes.Value { return executionLogsComputed(id, logType, logs) })
}

// executionLogsComputed are the computed attributes' values.
func executionLogsComputed(id string, logType tftypes.Object, logs []tftypes.Value) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"id":             framework.String(id),
		"execution_logs": framework.List(logType, logs),
	}
}

// fetchExecutionLogs reads the page of token ("" for the first); the other
// parameters, MaxResults included, are the same on every page.
func fetchExecutionLogs(c *alicloud.Client, region string, params url.Values) paginate.TokenFetch[executionLog] {
	return func(ctx context.Context, token string) ([]executionLog, string, error) {
		p := framework.CloneValues(params)
		if token != "" {
			p.Set("NextToken", token)
		}
		resp, err := c.RPC(ctx, alicloud.RPCCall{
			Product: "oos", Action: executionLogsAction, Version: executionLogsVersion, Region: region, Params: p,
		})
		if err != nil {
			return nil, "", err
		}
		var page executionLogsPage
		if err := framework.DecodeJSON(executionLogsAction, resp, &page); err != nil {
			return nil, "", err
		}
		return page.ExecutionLogs, page.NextToken, nil
	}
}
