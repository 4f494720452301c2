package listread

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// IDAttribute is the computed, deterministic id every data source has;
// project says whether its reads are scoped by a project (Huawei Cloud)
// besides a region.
func IDAttribute(project bool) Attribute {
	scope := "the region"
	if project {
		scope = "the region and project"
	}
	return Attribute{
		Name: "id", Kind: String, Computed: true,
		Description: "Deterministic identifier of this read: a hash of the data source type, its arguments " +
			"and " + scope + " it reads from. The same arguments always give the same id.",
	}
}

// MaxItemsAttribute is the optional cap on returned items; counted says
// whether the data source has a total_count that still counts every match.
func MaxItemsAttribute(items string, counted bool) Attribute {
	rest := "`total_count` still reports every match."
	if !counted {
		rest = "the API gives no total, so nothing tells how many more there are."
	}
	return Attribute{
		Name: "max_items", Kind: Int64, Sends: "none: stops the read",
		Description: fmt.Sprintf("Stop after this many %s (at least 1). Default: all. Page requests stop as soon "+
			"as enough %s are in hand; %s", items, items, rest),
		Int64s: []validator.Int64{int64validator.AtLeast(1)},
	}
}

// DefaultReadTimeout is the time budget of a read when timeouts.read is
// not set.
const DefaultReadTimeout = 20 * time.Minute

// TimeoutsAttribute is the optional timeouts attribute every data source
// has: a nested attribute (not a block, so reads stay eligible for the
// direct-read server, internal/readserver) with one duration, read.
func TimeoutsAttribute() Attribute {
	return Attribute{
		Name: "timeouts", Kind: Timeouts,
		Description: "Time limits of this read.",
		Nested: []Attribute{{Name: "read", Kind: String,
			Description: "Time budget of the whole read: every page, with its retries and waits, and the project " +
				"lookup. A duration such as `\"30s\"`, `\"5m\"` or `\"2h45m\"` (units `s`, `m`, `h`). Default: `20m`. " +
				"A read that takes longer stops and fails with an error naming this timeout."}},
	}
}

// DataSourceSchema renders a declaration as a data source schema.
func DataSourceSchema(d Declaration) schema.Schema {
	return schema.Schema{MarkdownDescription: d.Spec().Description, Attributes: dataSourceAttributes(d.Attributes())}
}

func dataSourceAttributes(attrs []Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(attrs))
	for _, a := range attrs {
		out[a.Name] = dataSourceAttribute(a)
	}
	return out
}

func dataSourceAttribute(a Attribute) schema.Attribute {
	optional := !a.Required && !a.Computed
	switch a.Kind {
	case String, Time, JSONText:
		s := schema.StringAttribute{Required: a.Required, Optional: optional, Computed: a.Computed,
			MarkdownDescription: a.Description, Validators: a.Strings}
		if a.Kind == Time {
			s.CustomType = timetypes.RFC3339Type{}
		}
		return s
	case Bool:
		return schema.BoolAttribute{Required: a.Required, Optional: optional, Computed: a.Computed, MarkdownDescription: a.Description}
	case Int64:
		return schema.Int64Attribute{Required: a.Required, Optional: optional, Computed: a.Computed,
			MarkdownDescription: a.Description, Validators: a.Int64s}
	case StringList:
		return schema.ListAttribute{Required: a.Required, Optional: optional, Computed: a.Computed,
			ElementType: types.StringType, MarkdownDescription: a.Description, Validators: a.Lists}
	case Int64Map:
		return schema.MapAttribute{Computed: a.Computed, ElementType: types.Int64Type, MarkdownDescription: a.Description}
	case ObjectList:
		return schema.ListNestedAttribute{Computed: a.Computed, MarkdownDescription: a.Description,
			NestedObject: schema.NestedAttributeObject{Attributes: dataSourceAttributes(a.Nested)}}
	case Object:
		return schema.SingleNestedAttribute{Computed: a.Computed, MarkdownDescription: a.Description,
			Attributes: dataSourceAttributes(a.Nested)}
	case Timeouts:
		// The library's attribute (its type and its duration validator)
		// with Markdown descriptions.
		t, ok := timeouts.AttributesWithOpts(context.Background(), timeouts.Opts{}).(schema.SingleNestedAttribute)
		read, rok := t.Attributes["read"].(schema.StringAttribute)
		if !ok || !rok {
			panic("terraform-plugin-framework-timeouts: the timeouts attribute is no longer a nested attribute with read")
		}
		t.MarkdownDescription = a.Description
		read.Description, read.MarkdownDescription = "", a.Nested[0].Description
		t.Attributes = map[string]schema.Attribute{"read": read}
		return t
	}
	panic(fmt.Sprintf("attribute %q: unknown kind %d", a.Name, a.Kind))
}

// TimeOrder is a check: the RFC 3339 time at start must not be after the
// one at end, when both are set.
func TimeOrder(start, end string) Check {
	return Check{
		Description: fmt.Sprintf("%s must not be after %s", start, end),
		Validate: func(c *Config) {
			var s, e timetypes.RFC3339
			if !c.get(start, &s) || !c.get(end, &e) || s.IsNull() || s.IsUnknown() || e.IsNull() || e.IsUnknown() {
				return
			}
			st, err1 := time.Parse(time.RFC3339, s.ValueString())
			et, err2 := time.Parse(time.RFC3339, e.ValueString())
			if err1 != nil || err2 != nil {
				return // the attribute's own type reports a malformed time
			}
			if st.After(et) {
				c.Fail(start, "Invalid time range",
					fmt.Sprintf("%s (%s) is after %s (%s): the window would match nothing.", start, s.ValueString(), end, e.ValueString()))
			}
		},
	}
}
