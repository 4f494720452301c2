package listread

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/paginate"
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

// MaxItemsAttribute is the optional cap on returned items, at most limit
// (the API's largest meaningful count: Offset.MaxItems, Token.MaxItems);
// counted says whether the data source has a total_count that still
// counts every match.
//
// It is a Number, not an Int64, checked by CountBetween: the framework
// converts an Int64 attribute before any validator runs, and a value no
// int64 holds (2^63) or a fraction (1.5) then fails with its internal
// error text ("This is always an error in the provider") instead of one
// naming the attribute and its range.
func MaxItemsAttribute(items string, counted bool, limit int) Attribute {
	rest := "`total_count` still reports every match."
	if !counted {
		rest = "the API gives no total, so nothing tells how many more there are."
	}
	return Attribute{
		Name: "max_items", Kind: Count, Sends: "none: stops the read",
		Description: fmt.Sprintf("Stop after this many %s: a whole number from 1 to %s (%s). Default: all. "+
			"Checked at plan time. Page requests stop as soon as enough %s are in hand; %s",
			items, thousands(limit), maxItemsReason(limit), items, rest),
		Numbers: []validator.Number{CountBetween(1, limit, maxItemsReason(limit))},
	}
}

// maxItemsReason says why limit is the largest max_items.
func maxItemsReason(limit int) string {
	if limit < paginate.MaxTotalItems {
		return fmt.Sprintf("%s is the most one query reaches, as the API serves a page only while offset + limit < %d",
			thousands(limit), limit+1)
	}
	return thousands(limit) + " is the most items one read returns"
}

// thousands writes n with commas: 9,999.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// CountBetween is a validator of a Number attribute that counts items: a
// whole number from lo to hi (why says why hi), with an error naming the
// attribute, its range and the value given.
func CountBetween(lo, hi int, why string) validator.Number {
	return countBetween{lo: lo, hi: hi, why: why}
}

type countBetween struct {
	lo, hi int
	why    string
}

func (v countBetween) Description(context.Context) string {
	return fmt.Sprintf("a whole number from %d to %d: %s", v.lo, v.hi, v.why)
}

func (v countBetween) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v countBetween) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueBigFloat()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), req.Path.String()+" "+err.Error())
	}
}

// check returns why f is not a whole number from lo to hi, or nil.
func (v countBetween) check(f *big.Float) error {
	if f == nil {
		return nil
	}
	whole := f.IsInt()
	text := f.Text('g', 10)
	if whole && f.MantExp(nil) <= 64 { // digits as written, up to 2^64
		text = f.Text('f', 0)
	}
	n, acc := f.Int64()
	if !whole || acc != big.Exact || n < int64(v.lo) || n > int64(v.hi) {
		return fmt.Errorf("must be a whole number from %s to %s, got %s: %s", thousands(v.lo), thousands(v.hi), text, v.why)
	}
	return nil
}

// DefaultReadTimeout is the time budget of a read when timeouts.read is
// not set.
const DefaultReadTimeout = 20 * time.Minute

// TimeoutsAttribute is the optional timeouts attribute every data source
// has: a nested attribute (not a block, so reads stay eligible for the
// direct-read server, internal/readserver) with one duration, read.
// project says whether a read may look its project up first (Huawei
// Cloud); Alibaba Cloud has no such lookup.
func TimeoutsAttribute(project bool) Attribute {
	budget := "every page, with its retries and waits"
	if project {
		budget += ", and the project lookup"
	}
	return Attribute{
		Name: "timeouts", Kind: Timeouts,
		Description: "Time limits of this read.",
		Nested: []Attribute{{Name: "read", Kind: String,
			Description: "Time budget of the whole read: " + budget + ". A duration such as `\"30s\"`, `\"5m\"` or " +
				"`\"2h45m\"` (units `s`, `m`, `h`). Default: `20m`. A read that takes longer stops and fails with an error " +
				"naming this timeout."}},
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
	case Count:
		return schema.NumberAttribute{Required: a.Required, Optional: optional, Computed: a.Computed,
			MarkdownDescription: a.Description, Validators: a.Numbers}
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
