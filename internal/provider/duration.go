package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// durationString validates a Go duration string ("30s", "2m", "1h30m")
// that is more than zero, at plan time.
type durationString struct{}

func (durationString) Description(context.Context) string {
	return `a duration such as "30s", "2m" or "1h30m" (units ms, s, m, h), more than zero`
}

func (v durationString) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationString) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			"Got "+quote(s)+"; want "+v.Description(ctx)+".")
	}
}

func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return `"` + s + `"`
}
