package listread

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/big"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/paginate"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/tfvalue"
)

// The generic reads: configuration → scope → pager → collect → state. They
// take the configuration as a tftypes value and return the state value,
// so a data source's Read and any other caller share them.

// Read reads every page of an offset-paged API (up to max_items).
func (d *Offset[T, S]) Read(ctx context.Context, p Provider, config tftypes.Value) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	ctx, cancel, s, r, scopeID, ok := begin(ctx, &d.API, d.Scope, p, config, &diags)
	defer cancel()
	if !ok {
		return tftypes.Value{}, diags
	}
	limit, ok := maxItems(r.Args, d.MaxItems(), &diags)
	if !ok {
		return tftypes.Value{}, diags
	}
	pager := &paginate.Offset[T]{
		Limit:    d.PageSize,
		Window:   d.Window,
		MaxItems: limit,
		Parallel: max(1, p.ReadSettings().Parallel),
		Fetch: func(ctx context.Context, offset, limit int) (paginate.Page[T], error) {
			return d.Fetch.Fetch(ctx, s, r, offset, limit)
		},
	}
	if d.ID != nil {
		pager.ID = func(item T) string { return deref(d.ID(item)) }
	}
	itemType := d.Fields.Type()
	items, counts, err := collect(pager.All(ctx), itemType, d.Fields, d.Status, p.ReadSettings().MaxReadBytes)
	if err != nil {
		if d.Explain != nil {
			err = d.Explain(err, s, r)
		}
		p.AddError(&diags, d.Summary(), timedOut(ctx, err))
		return tftypes.Value{}, diags
	}
	replaceChanged(items, counts, pager.Changes(), itemType, d.Fields, d.Status)
	fail := p.ReadSettings().DriftFails
	if WarnDrift(&diags, d.What, pager, fail) || WarnChanged(&diags, d.What, pager.Changed(), fail) {
		return tftypes.Value{}, diags
	}
	tflog.Debug(ctx, "Listed "+d.What, map[string]any{
		d.List: len(items), "total_count": pager.Total(), "requests": pager.Requests(), "duplicates_dropped": pager.Dropped(),
		"changed": pager.Changed(),
	})
	return d.finish(config, scopeID, itemType, items, pager.Total(), counts, &diags)
}

// Read reads every page of a token-paged API (up to max_items).
func (d *Token[T, S]) Read(ctx context.Context, p Provider, config tftypes.Value) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	ctx, cancel, s, r, scopeID, ok := begin(ctx, &d.API, d.Scope, p, config, &diags)
	defer cancel()
	if !ok {
		return tftypes.Value{}, diags
	}
	limit, ok := maxItems(r.Args, d.MaxItems(), &diags)
	if !ok {
		return tftypes.Value{}, diags
	}
	pager := &paginate.Token[T]{
		MaxItems: limit,
		Fetch: func(ctx context.Context, token string) ([]T, string, error) {
			return d.Fetch.Fetch(ctx, s, r, token)
		},
	}
	itemType := d.Fields.Type()
	items, counts, err := collect(pager.All(ctx), itemType, d.Fields, d.Status, p.ReadSettings().MaxReadBytes)
	if err != nil {
		p.AddError(&diags, d.Summary(), timedOut(ctx, err))
		return tftypes.Value{}, diags
	}
	tflog.Debug(ctx, "Listed "+d.What, map[string]any{d.List: len(items), "requests": pager.Requests()})
	return d.finish(config, scopeID, itemType, items, len(items), counts, &diags)
}

// begin reads the arguments, gives ctx the read's time budget
// (timeouts.read), resolves the scope and builds the request. cancel
// releases the budget's timer; call it in every case.
func begin[S any](ctx context.Context, a *API, scope Scope[S], p Provider, config tftypes.Value, diags *diag.Diagnostics) (
	_ context.Context, cancel context.CancelFunc, s S, r *Request, scopeID []string, ok bool) {
	cancel = func() {}
	var args Args
	if err := config.As((*map[string]tftypes.Value)(&args)); err != nil {
		diags.AddError(a.Summary(), "Reading the configuration: "+err.Error())
		return ctx, cancel, s, nil, nil, false
	}
	budget, err := readTimeout(ctx, args)
	if err != nil {
		diags.AddAttributeError(path.Root("timeouts").AtName("read"), a.Summary(), err.Error())
		return ctx, cancel, s, nil, nil, false
	}
	ctx, cancel = context.WithTimeoutCause(ctx, budget, &TimeoutError{Budget: budget})
	s, scopeID, err = scope.Resolve(ctx, p, args)
	if err != nil {
		// Through the provider, which masks it: the scope's errors may
		// quote a server (a project id from IAM) or a credential source.
		p.AddError(diags, a.Summary(), timedOut(ctx, err))
		return ctx, cancel, s, nil, nil, false
	}
	r, err = a.Request(args)
	if err != nil {
		diags.AddError(a.Summary(), err.Error())
		return ctx, cancel, s, nil, nil, false
	}
	return ctx, cancel, s, r, scopeID, true
}

// readTimeout is timeouts.read, DefaultReadTimeout when it is not set.
func readTimeout(ctx context.Context, args Args) (time.Duration, error) {
	v, ok := args["timeouts"]
	if !ok {
		return DefaultReadTimeout, nil
	}
	av, err := timeouts.Type{ObjectType: types.ObjectType{AttrTypes: map[string]attr.Type{"read": types.StringType}}}.
		ValueFromTerraform(ctx, v)
	if err != nil {
		return 0, fmt.Errorf("reading timeouts: %w", err)
	}
	tv, ok := av.(timeouts.Value)
	if !ok {
		return 0, fmt.Errorf("reading timeouts: unexpected %T", av)
	}
	d, diags := tv.Read(ctx, DefaultReadTimeout)
	if diags.HasError() {
		return 0, fmt.Errorf("timeouts.read: %s", diags[0].Detail())
	}
	if d <= 0 {
		return 0, fmt.Errorf("timeouts.read must be a positive duration, got %s", d)
	}
	return d, nil
}

// TimeoutError is the cause of a read stopped by its time budget.
type TimeoutError struct{ Budget time.Duration }

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("the read did not finish within its time budget of %s (timeouts.read) and was stopped", e.Budget)
}

// timedOut names the read's timeout in err when the time budget is what
// stopped the read.
func timedOut(ctx context.Context, err error) error {
	var te *TimeoutError
	if cause := context.Cause(ctx); errors.As(cause, &te) && !errors.As(err, &te) {
		return fmt.Errorf("%w: %w", te, err)
	}
	return err
}

// collect drains items into object values of itemType, stopping at the
// first error. When status is not nil it also counts the items by the
// status it returns (items without one are not counted). It counts what
// the items hold (Fields.ItemBytes) as they arrive, and stops with a
// *BudgetError as soon as that passes budget (max_read_bytes; 0:
// DefaultMaxReadBytes): ranging over the pager no further cancels the
// pages in flight.
func collect[T any](items iter.Seq2[T, error], itemType tftypes.Object, fields Fields[T], status func(*T) *string, budget int64) (vals []tftypes.Value, counts map[string]int64, err error) {
	vals = make([]tftypes.Value, 0, 64)
	if status != nil {
		counts = map[string]int64{}
	}
	if budget <= 0 {
		budget = DefaultMaxReadBytes
	}
	var held int64
	// One variable holds each item in turn while it is counted and
	// converted: the getters' results are read at once and never kept,
	// and an item's own variable would move to the heap, one allocation
	// per item.
	var cur T
	for item, err := range items {
		if err != nil {
			return nil, nil, err
		}
		cur = item
		if held += fields.ItemBytes(&cur); held > budget {
			return nil, nil, &BudgetError{Budget: budget, Held: held, Items: len(vals) + 1}
		}
		vals = append(vals, fields.Value(itemType, &cur))
		if status != nil {
			if s := status(&cur); s != nil {
				counts[*s]++
			}
		}
	}
	return vals, counts, nil
}

// BudgetError stops a read whose items passed its memory budget
// (max_read_bytes).
type BudgetError struct {
	// Budget is max_read_bytes; Held what the items read so far hold
	// (Fields.ItemBytes), Items how many they are.
	Budget, Held int64
	Items        int
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("the %d items read so far hold about %d bytes, more than the memory budget of one read, "+
		"max_read_bytes = %d (a provider setting); the read stopped rather than hold more. Narrow the query "+
		"(filters, a shorter time window), set max_items, or raise max_read_bytes", e.Items, e.Held, e.Budget)
}

// replaceChanged puts the copy fetched last of every item that changed
// while the pages were read in place of the copy collected first, and
// moves its status count.
func replaceChanged[T any](items []tftypes.Value, counts map[string]int64, changes []paginate.Change[T],
	itemType tftypes.Object, fields Fields[T], status func(*T) *string) {
	for _, ch := range changes {
		items[ch.Index] = fields.Value(itemType, &ch.New)
		if status == nil {
			continue
		}
		if s := status(&ch.Old); s != nil {
			if counts[*s]--; counts[*s] <= 0 {
				delete(counts, *s)
			}
		}
		if s := status(&ch.New); s != nil {
			counts[*s]++
		}
	}
}

// WarnChanged adds a warning when records came back with other content
// on a later page of the read (the copies fetched last are kept); an
// error instead when fail is set (on_drift = "fail"). It reports whether
// it added an error.
func WarnChanged(diags *diag.Diagnostics, what string, changed int, fail bool) bool {
	if changed == 0 {
		return false
	}
	detail := fmt.Sprintf("%d of the %s came back with other content on a later page of this read: "+
		"they changed while the pages were read. The result holds the copies fetched last; "+
		"the others may have changed too. Run again for a consistent snapshot.", changed, what)
	if fail {
		diags.AddError("Results changed while they were read", detail+" (on_drift = \"fail\")")
		return true
	}
	diags.AddWarning("Results changed while they were read", detail)
	return false
}

// finish builds the state: the configuration with the id (from the whole
// configuration and the scope) and the computed results.
func (a *API) finish(config tftypes.Value, scopeID []string, itemType tftypes.Object, items []tftypes.Value, total int, counts map[string]int64, diags *diag.Diagnostics) (tftypes.Value, diag.Diagnostics) {
	id, err := tfvalue.ID(a.TypeName, config, scopeID...)
	if err != nil {
		diags.AddError(a.Summary(), "Computing the id: "+err.Error())
		return tftypes.Value{}, *diags
	}
	state, err := a.state(config, id, itemType, items, total, counts)
	if err != nil {
		diags.AddError(a.Summary(), "Building the state: "+err.Error())
		return tftypes.Value{}, *diags
	}
	return state, *diags
}

// state is the configuration with the computed results: the id, the
// items, total_count and status_counts where the API has them.
func (a *API) state(config tftypes.Value, id string, itemType tftypes.Object, items []tftypes.Value, total int, counts map[string]int64) (tftypes.Value, error) {
	computed := map[string]tftypes.Value{"id": tfvalue.String(id), a.List: tfvalue.List(itemType, items)}
	if a.TotalCount != "" {
		computed["total_count"] = tfvalue.Int64(int64(total))
	}
	if a.StatusCounts != "" {
		computed["status_counts"] = tfvalue.CountMap(counts)
	}
	return tfvalue.State(config, computed)
}

// maxItems is max_items, 0 for all. Plan-time validation has checked it
// (MaxItemsAttribute); a read that was not validated (a protocol client
// calling the read directly) gets the same error.
func maxItems(args Args, limit int, diags *diag.Diagnostics) (int, bool) {
	v, ok := args["max_items"]
	if !ok || v.IsNull() || !v.IsKnown() {
		return 0, true
	}
	var f big.Float
	if err := v.As(&f); err != nil {
		diags.AddAttributeError(path.Root("max_items"), "Invalid max_items", "Reading max_items: "+err.Error())
		return 0, false
	}
	if err := (countBetween{lo: 1, hi: limit, why: maxItemsReason(limit)}).check(&f); err != nil {
		diags.AddAttributeError(path.Root("max_items"), "Invalid max_items", "max_items "+err.Error())
		return 0, false
	}
	n, _ := f.Int64()
	return int(n), true
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Drifter reports a total that changed while pages were read, and whether
// items with an id already returned were dropped.
type Drifter interface {
	Drift() (first, last int, drifted bool)
	Deduplicates() bool
}

// WarnDrift adds a warning when the API's total changed between pages,
// saying whether items could repeat (they cannot where the pager
// de-duplicates by id); an error instead when fail is set (on_drift =
// "fail"). It reports whether it added an error.
func WarnDrift(diags *diag.Diagnostics, what string, d Drifter, fail bool) bool {
	first, last, drifted := d.Drift()
	if !drifted {
		return false
	}
	repeat := "Items carry no id, so an item that moved across a page boundary may appear twice or not at all."
	if d.Deduplicates() {
		repeat = "No item appears twice, but items added or removed meanwhile may be missing or present."
	}
	detail := fmt.Sprintf("The number of %s matching the filters changed from %d to %d between pages of this read. "+
		"Every page was read. %s Run again for a consistent snapshot.", what, first, last, repeat)
	if fail {
		diags.AddError("Results changed while they were read", detail+" (on_drift = \"fail\")")
		return true
	}
	diags.AddWarning("Results changed while they were read", detail)
	return false
}
