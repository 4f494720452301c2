package workspace

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

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

// DesktopEventsTypeName is the data source's type name.
const DesktopEventsTypeName = "opsaudit_huaweicloud_workspace_desktop_events"

const (
	desktopEventsSummary   = "Unable to list Workspace key desktop events"
	desktopEventsOperation = "ListKeyDesktopEvents"
	// desktopEventsPageSize: the English reference says limit 0..100, the
	// SDK and the Chinese reference 0..1000; 100 is valid for both.
	desktopEventsPageSize = 100
)

// Enumerations of seed 004. Event ids are not enumerated here: the API has
// more than the document lists (REG_CREATE, REG_SETVALUE, ...), so an id is
// only checked for its form and its family.
var (
	desktopEventTypes  = []string{"APP", "FILE", "REG", "HDP"}
	desktopEventLevels = []string{"INFO", "ALARM", "ERROR"}
	desktopEventIDForm = regexp.MustCompile(`^(APP|FILE|REG|HDP)_[A-Z0-9_]+$`)
)

// NewDesktopEvents returns the data source.
func NewDesktopEvents() datasource.DataSource { return &desktopEventsDataSource{} }

type desktopEventsDataSource struct{ framework.Base }

var (
	_ datasource.DataSourceWithConfigure        = (*desktopEventsDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*desktopEventsDataSource)(nil)
)

// desktopEventsArgs are the arguments, read from the configuration.
type desktopEventsArgs struct {
	Region         types.String `tfsdk:"region"`
	ProjectID      types.String `tfsdk:"project_id"`
	ScreenRecordID types.String `tfsdk:"screen_record_id"`
	EventType      types.String `tfsdk:"event_type"`
	EventID        types.String `tfsdk:"event_id"`
	EventLevel     types.String `tfsdk:"event_level"`
	EventData      types.String `tfsdk:"event_data"`
	MaxItems       types.Int64  `tfsdk:"max_items"`

	// The computed attributes: null in the configuration, never read, but
	// Config.Get needs a field for every attribute of the schema.
	ID         types.String `tfsdk:"id"`
	TotalCount types.Int64  `tfsdk:"total_count"`
	Events     types.List   `tfsdk:"events"`
}

// desktopEventsArgNames are the attributes the id is derived from.
var desktopEventsArgNames = []string{
	"region", "project_id", "screen_record_id", "event_type", "event_id", "event_level", "event_data", "max_items",
}

// desktopEvent is one OperationForList of the API. Pointers tell an absent
// field (null in state) from an empty one.
type desktopEvent struct {
	ID                *string `json:"id"`
	ProjectID         *string `json:"project_id"`
	DesktopID         *string `json:"desktop_id"`
	ScreenRecordID    *string `json:"screen_record_id"`
	Username          *string `json:"username"`
	EventType         *string `json:"event_type"`
	EventLevel        *string `json:"event_level"`
	EventID           *string `json:"event_id"`
	EventData         *string `json:"event_data"`
	OperationTime     *string `json:"operation_time"`
	RelativeStartTime *int64  `json:"relative_start_time"`
}

// desktopEventsPage is the API's answer.
type desktopEventsPage struct {
	TotalCount *int64         `json:"total_count"`
	Operations []desktopEvent `json:"operations"`
}

// desktopEventAttributes describes an event: schema and converter both
// derive from this one list, in this order.
var desktopEventAttributes = []framework.ItemAttribute{
	{Name: "id", Description: "Event ID, the primary key (`id`)."},
	{Name: "project_id", Description: "Project ID (`project_id`)."},
	{Name: "desktop_id", Description: "Desktop the event happened on (`desktop_id`)."},
	{Name: "screen_record_id", Description: "Screen recording the event belongs to (`screen_record_id`)."},
	{Name: "username", Description: "User logged on to the desktop (`username`)."},
	{Name: "event_type", Description: "Event type: `APP`, `FILE`, `REG` or `HDP` (`event_type`)."},
	{Name: "event_level", Description: "Event severity as the API returns it, e.g. `INFO`, `ALARM`, `ERROR` (`event_level`)."},
	{Name: "event_id", Description: "Event ID, e.g. `APP_START`, `FILE_DELETE`, `REG_SETVALUE`, `HDP_USB` (`event_id`)."},
	{Name: "event_data", Description: "Event content (`event_data`)."},
	{Name: "operation_time", Description: "Time of the operation, as the API returns it (`operation_time`)."},
	{Name: "relative_start_time", Number: true, Description: "Seconds from the start of the screen recording (`relative_start_time`)."},
}

// value converts an event to its state value; the order of the values
// matches desktopEventAttributes.
func (e *desktopEvent) value(t tftypes.Object) tftypes.Value {
	return framework.Object(t, desktopEventAttributes,
		framework.Str(e.ID), framework.Str(e.ProjectID), framework.Str(e.DesktopID), framework.Str(e.ScreenRecordID),
		framework.Str(e.Username), framework.Str(e.EventType), framework.Str(e.EventLevel), framework.Str(e.EventID),
		framework.Str(e.EventData), framework.Str(e.OperationTime), framework.Int(e.RelativeStartTime))
}

func (d *desktopEventsDataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = DesktopEventsTypeName
}

func (d *desktopEventsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the key desktop events of a Huawei Cloud Workspace screen recording " +
			"(`GET /v2/{project_id}/screen-records/{record_id}/os-operations`), every page, in the API's order.",
		Attributes: map[string]schema.Attribute{
			"id":         framework.IDAttribute(),
			"region":     framework.RegionAttribute("huaweicloud", "`HW_REGION_NAME`"),
			"project_id": framework.ProjectIDAttribute(),
			"screen_record_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "UUID of the screen recording whose events are listed (path parameter `record_id`). " +
					"An unknown recording fails the read (HTTP 404).",
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.NoneOf(".", ".."),
					stringvalidator.RegexMatches(regexp.MustCompile(`^[^/]*$`), "must not contain \"/\" (it is one path segment)"),
				},
			},
			"event_type": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only events of this type (`event_type`): `APP` (application), `FILE` (file), " +
					"`REG` (registry) or `HDP` (protocol behaviour).",
				Validators: []validator.String{stringvalidator.OneOf(desktopEventTypes...)},
			},
			"event_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only events with this ID (`event_id`), e.g. `APP_INSTALL`, `FILE_DELETE`, `REG_SETVALUE`, " +
					"`HDP_USB`. Must be `APP_*`, `FILE_*`, `REG_*` or `HDP_*`; IDs the document does not list are accepted, " +
					"since the API has more. When `event_type` is set, the ID must belong to it.",
				Validators: []validator.String{stringvalidator.RegexMatches(desktopEventIDForm,
					"must be an event ID of the form APP_*, FILE_*, REG_* or HDP_* (upper case, e.g. APP_INSTALL)")},
			},
			"event_level": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only events of this severity (`event_level`): `INFO`, `ALARM` or `ERROR`.",
				Validators:          []validator.String{stringvalidator.OneOf(desktopEventLevels...)},
			},
			"event_data": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only events whose content matches this text (`event_data`).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"max_items": framework.MaxItemsAttribute("events"),
			"total_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "Number of events matching the filters, as the API counts them (`total_count`): all matches, even when `max_items` stops the read early.",
			},
			"events": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The events (`operations`), every page, in the API's order.",
				NestedObject:        schema.NestedAttributeObject{Attributes: framework.ItemSchema(desktopEventAttributes)},
			},
		},
	}
}

func (d *desktopEventsDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{eventIDOfType{}}
}

// eventIDOfType: when event_type is set, event_id must be of that type.
// The API would only AND the two filters and return nothing.
type eventIDOfType struct{}

func (eventIDOfType) Description(context.Context) string {
	return "when event_type is set, event_id must start with event_type followed by an underscore"
}

func (v eventIDOfType) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (eventIDOfType) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var typ, id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("event_type"), &typ)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("event_id"), &id)...)
	if resp.Diagnostics.HasError() || typ.IsNull() || typ.IsUnknown() || id.IsNull() || id.IsUnknown() {
		return
	}
	t, e := typ.ValueString(), id.ValueString()
	known := false
	for _, k := range desktopEventTypes {
		known = known || k == t
	}
	if !known || strings.HasPrefix(e, t+"_") {
		return // an unknown type is reported by event_type's own validator
	}
	resp.Diagnostics.AddAttributeError(path.Root("event_id"), "Conflicting event filters",
		fmt.Sprintf("event_id %q is not an event of event_type %q: with event_type = %q, event_id must start with %q. "+
			"The API would match no event.", e, t, t, t+"_"))
}

// query builds the API's query parameters from the arguments (paging aside).
func (a *desktopEventsArgs) query() url.Values {
	q := url.Values{}
	framework.SetString(q, "event_type", a.EventType)
	framework.SetString(q, "event_id", a.EventID)
	framework.SetString(q, "event_level", a.EventLevel)
	framework.SetString(q, "event_data", a.EventData)
	return q
}

func (d *desktopEventsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var args desktopEventsArgs
	resp.Diagnostics.Append(req.Config.Get(ctx, &args)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := d.HuaweiClient(&resp.Diagnostics, desktopEventsSummary)
	if c == nil {
		return
	}
	region, project, err := framework.HuaweiScope(ctx, c, args.Region, args.ProjectID)
	if err != nil {
		resp.Diagnostics.AddError(desktopEventsSummary, err.Error())
		return
	}
	recordID := args.ScreenRecordID.ValueString()

	pager := &paginate.Offset[desktopEvent]{
		Limit:    desktopEventsPageSize,
		MaxItems: framework.MaxItems(args.MaxItems),
		Parallel: d.Parallel(),
		ID:       func(e desktopEvent) string { return framework.Deref(e.ID) },
		Fetch:    fetchDesktopEvents(c, region, project, recordID, args.query()),
	}
	eventType, err := framework.ItemType(ctx, resp, "events")
	if err != nil {
		resp.Diagnostics.AddError(desktopEventsSummary, "Reading the schema: "+err.Error())
		return
	}
	events, _, err := framework.Collect(pager.All(ctx), func(e *desktopEvent) tftypes.Value { return e.value(eventType) }, nil)
	if err != nil {
		framework.AddAPIError(&resp.Diagnostics, desktopEventsSummary, notFoundHint(err, recordID, project, region))
		return
	}
	framework.WarnDrift(&resp.Diagnostics, "Workspace key desktop events", pager)
	tflog.Debug(ctx, "Listed Workspace key desktop events", map[string]any{
		"screen_record_id": recordID, "events": len(events), "total_count": pager.Total(),
		"requests": pager.Requests(), "duplicates_dropped": pager.Dropped(),
	})

	framework.Finish(ctx, req, resp, desktopEventsSummary, DesktopEventsTypeName, desktopEventsArgNames, []string{region, project},
		func(id string) map[string]tftypes.Value {
			return map[string]tftypes.Value{
				"id":          framework.String(id),
				"total_count": framework.Int64(int64(pager.Total())),
				"events":      framework.List(eventType, events),
			}
		})
}

// notFoundHint says which screen recording was not found when the service
// (not the gateway, whose unknown-route answers are APIG.*) answers 404.
func notFoundHint(err error, recordID, project, region string) error {
	var ae *huaweicloud.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusNotFound || strings.HasPrefix(ae.Code, "APIG.") {
		return err
	}
	return fmt.Errorf("screen recording %q (screen_record_id) was not found in project %s (region %s); "+
		"check the id and the project: %w", recordID, project, region, err)
}

// fetchDesktopEvents reads one page.
func fetchDesktopEvents(c *huaweicloud.Client, region, project, recordID string, filters url.Values) paginate.OffsetFetch[desktopEvent] {
	// Call.Path is unescaped: Do percent-encodes each segment, so the ids
	// go in as they are (escaping them here would encode them twice).
	p := "/v2/" + project + "/screen-records/" + recordID + "/os-operations"
	return func(ctx context.Context, offset, limit int) (paginate.Page[desktopEvent], error) {
		q := framework.CloneValues(filters)
		q.Set("offset", strconv.Itoa(offset))
		q.Set("limit", strconv.Itoa(limit))
		resp, err := c.Do(ctx, huaweicloud.Call{
			Operation: desktopEventsOperation, Service: "workspace", Region: region, ProjectID: project,
			Method: "GET", Path: p, Query: q,
		})
		if err != nil {
			return paginate.Page[desktopEvent]{}, err
		}
		var page desktopEventsPage
		if err := framework.DecodeJSON(desktopEventsOperation, resp, &page); err != nil {
			return paginate.Page[desktopEvent]{}, err
		}
		if page.TotalCount == nil {
			return paginate.Page[desktopEvent]{}, framework.MissingField(desktopEventsOperation, resp, "total_count")
		}
		return paginate.Page[desktopEvent]{Items: page.Operations, Total: int(*page.TotalCount)}, nil
	}
}
