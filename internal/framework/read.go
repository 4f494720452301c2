package framework

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The end of every Read: drain the pager through the item converter, then
// set the state with a deterministic id. Data sources keep only what is
// theirs (arguments, request, converter, the computed attributes).

// Collect drains items into state values with convert, stopping at the
// first error. When status is not nil it also counts the items by the
// status it returns (items without one are not counted); counts is nil
// otherwise.
func Collect[T any](items iter.Seq2[T, error], convert func(*T) tftypes.Value, status func(*T) *string) (vals []tftypes.Value, counts map[string]int64, err error) {
	vals = make([]tftypes.Value, 0, 64)
	if status != nil {
		counts = map[string]int64{}
	}
	for item, err := range items {
		if err != nil {
			return nil, nil, err
		}
		vals = append(vals, convert(&item))
		if status != nil {
			if s := status(&item); s != nil {
				counts[*s]++
			}
		}
	}
	return vals, counts, nil
}

// Finish sets the state of a read: the id is derived from the type name,
// the arguments named in args and the resolved scope (region, project), and
// the computed attributes are those computed returns for that id. Failures
// are added to resp under summary.
func Finish(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse, summary, typeName string,
	args, scope []string, computed func(id string) map[string]tftypes.Value) {
	id, err := ID(typeName, req.Config.Raw, args, scope...)
	if err != nil {
		resp.Diagnostics.AddError(summary, "Computing the id: "+err.Error())
		return
	}
	if err := SetState(ctx, req.Config.Raw, resp, computed(id)); err != nil {
		resp.Diagnostics.AddError(summary, "Building the state: "+err.Error())
	}
}
