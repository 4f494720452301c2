package framework

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// IDAttribute is the computed, deterministic id every data source has.
func IDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Computed: true,
		MarkdownDescription: "Deterministic identifier of this read: a hash of the data source type, its arguments " +
			"and the region (and project) it reads from. The same arguments always give the same id.",
	}
}

// MaxItemsAttribute is the optional cap on returned items.
func MaxItemsAttribute(items string) schema.Int64Attribute {
	return schema.Int64Attribute{
		Optional: true,
		MarkdownDescription: fmt.Sprintf("Stop after this many %s (at least 1). Default: all. Page requests stop as soon "+
			"as enough %s are in hand; `total_count`, where present, still reports every match.", items, items),
		Validators: []validator.Int64{int64validator.AtLeast(1)},
	}
}

// MaxItems returns the max_items value, 0 for all.
func MaxItems(v types.Int64) int {
	if v.IsNull() || v.IsUnknown() {
		return 0
	}
	return int(v.ValueInt64())
}

// RegionAttribute is the optional region override.
func RegionAttribute(blockName string, envVars string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		MarkdownDescription: fmt.Sprintf("Region to read from, overriding `region` of the provider's `%s` block (%s).",
			blockName, envVars),
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

// ProjectIDAttribute is the optional Huawei project override.
func ProjectIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "Huawei Cloud project to read from, overriding `project_id` of the provider's `huaweicloud` block " +
			"(`HW_PROJECT_ID`). When neither is set, the project named after the region is looked up once through IAM.",
		Validators: []validator.String{stringvalidator.RegexMatches(projectIDPattern,
			"must be a project ID: letters, digits, '-' and '_' only (it becomes a segment of the request path)")},
	}
}

// projectIDPattern is what a project id may hold: it is a path segment.
var projectIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// StringValue returns the value of an optional string, "" when null.
func StringValue(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return ""
	}
	return v.ValueString()
}

// TimeOrder is a config validator: the RFC 3339 time at start must not be
// after the one at end, when both are set.
func TimeOrder(start, end string) datasource.ConfigValidator {
	return timeOrder{start: start, end: end}
}

type timeOrder struct{ start, end string }

func (v timeOrder) Description(context.Context) string {
	return fmt.Sprintf("%s must not be after %s", v.start, v.end)
}

func (v timeOrder) MarkdownDescription(ctx context.Context) string {
	return fmt.Sprintf("`%s` must not be after `%s`", v.start, v.end)
}

func (v timeOrder) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var s, e timetypes.RFC3339
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(v.start), &s)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(v.end), &e)...)
	if resp.Diagnostics.HasError() || s.IsNull() || s.IsUnknown() || e.IsNull() || e.IsUnknown() {
		return
	}
	st, err1 := time.Parse(time.RFC3339, s.ValueString())
	et, err2 := time.Parse(time.RFC3339, e.ValueString())
	if err1 != nil || err2 != nil {
		return // the attribute's own type reports a malformed time
	}
	if st.After(et) {
		resp.Diagnostics.AddAttributeError(path.Root(v.start), "Invalid time range",
			fmt.Sprintf("%s (%s) is after %s (%s): the window would match nothing.", v.start, s.ValueString(), v.end, e.ValueString()))
	}
}
