package framework

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// DecodeError is a 2xx response whose body is not the JSON the API
// documents: cut off, malformed or missing a required field.
type DecodeError struct {
	Operation string
	Status    int
	RequestID string
	Err       error
}

func (e *DecodeError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d with an unreadable response body: %v", e.Operation, e.Status, e.Err)
	if e.RequestID != "" {
		s += " (request id: " + e.RequestID + ")"
	}
	return s + ". No partial result is returned."
}

func (e *DecodeError) Unwrap() error { return e.Err }

// DecodeJSON decodes a successful response's body into v.
func DecodeJSON(operation string, resp *transport.Response, v any) error {
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return &DecodeError{Operation: operation, Status: resp.StatusCode, RequestID: resp.RequestID(), Err: err}
	}
	return nil
}

// MissingField is the error for a response without a field the read needs.
func MissingField(operation string, resp *transport.Response, field string) error {
	return &DecodeError{Operation: operation, Status: resp.StatusCode, RequestID: resp.RequestID(),
		Err: fmt.Errorf("the field %q is missing", field)}
}

// Drifter reports a total that changed while pages were read, and whether
// items with an id already returned were dropped.
type Drifter interface {
	Drift() (first, last int, drifted bool)
	Deduplicates() bool
}

// WarnDrift adds a warning when the API's total changed between pages,
// saying whether items could repeat (they cannot where the pager
// de-duplicates by id).
func WarnDrift(diags *diag.Diagnostics, what string, d Drifter) {
	first, last, drifted := d.Drift()
	if !drifted {
		return
	}
	repeat := "Items carry no id, so an item that moved across a page boundary may appear twice or not at all."
	if d.Deduplicates() {
		repeat = "No item appears twice, but items added or removed meanwhile may be missing or present."
	}
	diags.AddWarning("Results changed while they were read",
		fmt.Sprintf("The number of %s matching the filters changed from %d to %d between pages of this read. "+
			"Every page was read. %s Run again for a consistent snapshot.", what, first, last, repeat))
}

// HuaweiScope resolves the region and project a Huawei read uses: the data
// source's arguments, else the provider's settings, else (project) the IAM
// lookup.
func HuaweiScope(ctx context.Context, c *huaweicloud.Client, region, project types.String) (string, string, error) {
	r, err := c.Region(StringValue(region))
	if err != nil {
		return "", "", err
	}
	p, err := c.ProjectID(ctx, r, StringValue(project))
	if err != nil {
		return "", "", err
	}
	return r, p, nil
}

// CloneValues copies query values, so each page request has its own.
func CloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v)+2)
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// SetString sets key to the string's value when it is set.
func SetString(q url.Values, key string, v types.String) {
	if !v.IsNull() && !v.IsUnknown() {
		q.Set(key, v.ValueString())
	}
}

// SetBool sets key to "true" or "false" when the bool is set.
func SetBool(q url.Values, key string, v types.Bool) {
	if !v.IsNull() && !v.IsUnknown() {
		if v.ValueBool() {
			q.Set(key, "true")
		} else {
			q.Set(key, "false")
		}
	}
}

// Deref returns *p, "" for nil.
func Deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
