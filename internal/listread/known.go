package listread

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// KnownValues is a validator for a filter the API matches exactly but does
// not enumerate: any value is accepted and sent, but a value that is not
// one the API is known to return gets a plan-time warning naming the known
// ones, since it probably matches nothing (e.g. "failed" for "FAILED").
func KnownValues(source string, known ...string) validator.String {
	return knownValues{source: source, known: known}
}

type knownValues struct {
	source string // where the known values come from, for the message
	known  []string
}

func (v knownValues) list() string {
	q := make([]string, len(v.known))
	for i, k := range v.known {
		q[i] = strconv.Quote(k)
	}
	return strings.Join(q, ", ")
}

func (v knownValues) Description(context.Context) string {
	return "warns unless the value is one the API is known to return: " + v.list()
}

func (v knownValues) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v knownValues) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	got := req.ConfigValue.ValueString()
	if slices.Contains(v.known, got) {
		return
	}
	resp.Diagnostics.AddAttributeWarning(req.Path, "Value the API is not known to return",
		fmt.Sprintf("%s = %q is not a value the API is known to return (%s: %s). The API matches it exactly, "+
			"case included, so it may match nothing, and a check that counts the matches would then pass on no "+
			"evidence. It is sent as given.", req.Path, got, v.source, v.list()))
}
