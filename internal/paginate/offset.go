package paginate

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"sync"
)

// Page is one page of an offset/limit API.
type Page[T any] struct {
	// Items are the page's items in the API's order.
	Items []T
	// Total is the API's total count of matches (count / total_count).
	Total int
}

// OffsetFetch reads the page of at most limit items starting at offset; it
// must honour ctx. It is called from several goroutines at once when
// Offset.Parallel is above 1.
type OffsetFetch[T any] func(ctx context.Context, offset, limit int) (Page[T], error)

// Offset reads an offset/limit API page by page; see the package
// documentation for ordering, parallelism, early stop, drift and
// non-advancing detection.
//
// The pages to read are planned from the total reported by the first page:
// offsets Limit, 2*Limit, ... below it, and no page beyond what MaxItems
// needs. When a later page reports a larger total, the plan grows to cover
// it. When a page reports a smaller total, or the data ends before the
// reported total, the read ends at the first empty or short page. Both cases
// are recorded for Drift. When the total is unusable (0 while items are
// returned, or full pages ending beyond it), the pager continues sequentially
// while pages are full.
//
// The fields are configuration; the methods Total, Requests, Drift and
// Dropped report on the last iteration and are valid once it has ended. Each
// iteration resets them; one Offset must not be iterated by two goroutines at
// once.
type Offset[T any] struct {
	// Limit is the page size sent to the API (required, >= 1).
	Limit int
	// MaxItems stops the read after this many items (counted after
	// de-duplication); 0 reads all.
	MaxItems int
	// Parallel is the most page requests in flight; below 1 means 1.
	Parallel int
	// Fetch reads one page.
	Fetch OffsetFetch[T]
	// ID, when set, identifies items: an item whose ID was already yielded is
	// dropped. An empty ID means the item has none: it is always kept. Leave
	// ID nil for records that may legitimately repeat (audit logs, OOS logs
	// must never be de-duplicated).
	ID func(T) string

	total      int
	requests   int
	dropped    int
	driftFirst int
	driftLast  int
	drifted    bool

	// Safety caps; zero means MaxPages and MaxTotalItems. Tests lower them.
	maxPages int
	maxItems int
}

// Total returns the total reported by the first page of the last iteration.
func (p *Offset[T]) Total() int { return p.total }

// Requests returns the number of page requests the last iteration made.
func (p *Offset[T]) Requests() int { return p.requests }

// Drift reports whether the total changed during the last iteration: first is
// the first page's total; last is the most recent total a later page reported
// that differed from it, or, when the data ended before the total a page
// reported and at a position other than first, the number of items actually
// present. drifted is false (and last equals first) when every page agreed.
func (p *Offset[T]) Drift() (first, last int, drifted bool) {
	return p.driftFirst, p.driftLast, p.drifted
}

// Dropped returns the number of duplicate items the last iteration dropped
// (always 0 when ID is nil).
func (p *Offset[T]) Dropped() int { return p.dropped }

// Deduplicates reports whether items are de-duplicated by ID.
func (p *Offset[T]) Deduplicates() bool { return p.ID != nil }

// All returns the items of every page in the API's order. An error ends the
// sequence: it is yielded once as (zero value, error) and nothing follows it.
func (p *Offset[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		p.total, p.requests, p.dropped = 0, 0, 0
		p.driftFirst, p.driftLast, p.drifted = 0, 0, false
		if err := p.validate(); err != nil {
			var zero T
			yield(zero, err)
			return
		}
		r := newOffsetRun(ctx, p)
		defer r.stop()
		r.run(yield)
	}
}

func (p *Offset[T]) validate() error {
	switch {
	case p.Limit < 1:
		return fmt.Errorf("paginate: Limit must be at least 1, got %d", p.Limit)
	case p.MaxItems < 0:
		return fmt.Errorf("paginate: MaxItems must not be negative, got %d", p.MaxItems)
	case p.Fetch == nil:
		return errors.New("paginate: Fetch is not set")
	}
	return nil
}

// offsetResult is the outcome of one page request.
type offsetResult[T any] struct {
	index int // page index: the offset is index*Limit
	page  Page[T]
	err   error
	final bool // err is complete: not a Fetch error to wrap with the offset
}

// offsetRun is the state of one iteration. Only the iterating goroutine
// touches it; fetch goroutines only call Fetch and send on results.
type offsetRun[T any] struct {
	p        *Offset[T]
	ctx      context.Context // the caller's context
	fctx     context.Context // cancelled when the iteration ends
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	results  chan offsetResult[T]
	pending  map[int]offsetResult[T] // arrived, not yet yielded
	fetch    OffsetFetch[T]
	limit    int
	parallel int
	maxPages int
	maxItems int

	launched   int  // page indexes below this were requested
	next       int  // index of the next page to yield
	known      bool // the first page has been inspected
	end        int  // offsets below end are planned: the largest total reported
	sequential bool // total unusable: one page at a time while pages are full
	done       bool // no page after the current one is wanted
	capped     bool // the page cap was reached
	yielded    int

	seen       map[string]int // ID -> offset of the page it was first yielded from
	prevOffset int            // the previous page, for ID == nil
	prevLen    int
	prevFirst  T
	prevLast   T
}

func newOffsetRun[T any](ctx context.Context, p *Offset[T]) *offsetRun[T] {
	parallel := max(p.Parallel, 1)
	fctx, cancel := context.WithCancel(ctx) //nolint:gosec // kept in the run; stop() calls it
	r := &offsetRun[T]{
		p:        p,
		ctx:      ctx,
		fctx:     fctx,
		cancel:   cancel,
		results:  make(chan offsetResult[T], parallel),
		pending:  make(map[int]offsetResult[T], parallel+1),
		fetch:    p.Fetch,
		limit:    p.Limit,
		parallel: parallel,
		maxPages: p.maxPages,
		maxItems: p.maxItems,
	}
	if r.maxPages <= 0 {
		r.maxPages = MaxPages
	}
	if r.maxItems <= 0 {
		r.maxItems = MaxTotalItems
	}
	if p.ID != nil {
		r.seen = make(map[string]int)
	}
	return r
}

// stop cancels the requests still in flight and waits for their goroutines.
func (r *offsetRun[T]) stop() {
	r.cancel()
	r.wg.Wait()
}

func (r *offsetRun[T]) run(yield func(T, error) bool) {
	var zero T
	for {
		if r.next == r.launched && (r.capped || !r.want(r.launched)) {
			return // every wanted page has been yielded
		}
		if err := r.ctx.Err(); err != nil {
			yield(zero, fmt.Errorf("reading page at offset %d: %w", r.next*r.limit, err))
			return
		}
		r.fill()
		res, err := r.await()
		if err != nil {
			yield(zero, err)
			return
		}
		r.next++
		items, err := r.inspect(res)
		if err != nil {
			yield(zero, err)
			return
		}
		r.fill() // keep the window full while the consumer works on this page
		offset := res.index * r.limit
		for _, item := range items {
			if r.seen != nil {
				// An item without an id ("") is never a duplicate: dropping
				// it would silently shorten the result.
				if id := r.p.ID(item); id != "" {
					if _, dup := r.seen[id]; dup {
						r.p.dropped++
						continue
					}
					r.seen[id] = offset
				}
			}
			if r.yielded >= r.maxItems {
				yield(zero, fmt.Errorf("%w: more than %d items at offset %d", ErrSafetyLimit, r.maxItems, offset))
				return
			}
			if !yield(item, nil) {
				return
			}
			r.yielded++
			if r.p.MaxItems > 0 && r.yielded >= r.p.MaxItems {
				return
			}
		}
		if r.done {
			return
		}
	}
}

// want reports whether page i should be requested now.
func (r *offsetRun[T]) want(i int) bool {
	if i == 0 {
		return true
	}
	if !r.known || r.done {
		return false
	}
	offset := i * r.limit
	// Pages before offset hold at most offset-dropped new items.
	if r.p.MaxItems > 0 && offset >= r.p.MaxItems+r.p.dropped {
		return false
	}
	if r.sequential {
		return i == r.next // the previous page is in and was full
	}
	return offset < r.end
}

// fill requests wanted pages while fewer than parallel pages are requested
// and not yet yielded.
func (r *offsetRun[T]) fill() {
	for !r.capped && r.launched-r.next < r.parallel && r.want(r.launched) {
		i := r.launched
		r.launched++
		if i >= r.maxPages {
			r.capped = true
			r.pending[i] = offsetResult[T]{index: i, final: true, err: fmt.Errorf(
				"%w: more than %d pages (offset %d); the API kept returning full pages", ErrSafetyLimit, r.maxPages, i*r.limit)}
			return
		}
		r.p.requests++
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			page, err := r.fetch(r.fctx, i*r.limit, r.limit)
			// At most parallel results are outstanding, so the send does not
			// block; the select only guards against that ever changing.
			select {
			case r.results <- offsetResult[T]{index: i, page: page, err: err}:
			case <-r.fctx.Done():
			}
		}()
	}
}

// await returns the result of page r.next, waiting for it if needed.
func (r *offsetRun[T]) await() (offsetResult[T], error) {
	for {
		if res, ok := r.pending[r.next]; ok {
			delete(r.pending, r.next)
			return res, nil
		}
		select {
		case res := <-r.results:
			r.pending[res.index] = res
		case <-r.ctx.Done():
			return offsetResult[T]{}, fmt.Errorf("reading page at offset %d: %w", r.next*r.limit, r.ctx.Err())
		}
	}
}

// inspect checks one page, updates the plan and returns the items to yield.
func (r *offsetRun[T]) inspect(res offsetResult[T]) ([]T, error) {
	offset := res.index * r.limit
	if res.err != nil {
		if res.final {
			return nil, res.err
		}
		err := res.err
		if ctxErr := r.ctx.Err(); ctxErr != nil {
			err = ctxErr // the request failed because the caller gave up
		}
		return nil, fmt.Errorf("reading page at offset %d: %w", offset, err)
	}
	items, total := res.page.Items, res.page.Total
	n := len(items)
	if res.index == 0 {
		r.known = true
		r.end = total
		r.p.total, r.p.driftFirst, r.p.driftLast = total, total, total
	} else if total != r.p.driftFirst {
		r.p.drifted, r.p.driftLast = true, total
		r.end = max(r.end, total)
	}
	if n > r.limit {
		return nil, fmt.Errorf("%w: page at offset %d returned %d items, more than the limit %d",
			ErrPageSize, offset, n, r.limit)
	}
	if n == 0 {
		r.done = true
		r.endedBefore(offset, total)
		return nil, nil
	}
	if res.index > 0 {
		if err := r.checkAdvance(offset, items); err != nil {
			return nil, err
		}
	}
	if r.seen == nil {
		r.prevOffset, r.prevLen, r.prevFirst, r.prevLast = offset, n, items[0], items[n-1]
	}
	if n < r.limit { // a short page is the last one
		r.done = true
		if res.index == 0 && n < total && (r.p.MaxItems == 0 || n < r.p.MaxItems) {
			return nil, fmt.Errorf("%w: the first page returned %d items for limit %d while the total is %d; "+
				"the API probably caps the page size below the limit", ErrPageSize, n, r.limit, total)
		}
		r.endedBefore(offset+n, total)
		return items, nil
	}
	if offset+n > r.end {
		// A full page ending beyond the total: the total cannot be trusted.
		r.sequential = true
	}
	return items, nil
}

// endedBefore records drift when the data ends at position present although
// the page reported a larger total. When the data ends exactly at the first
// total, the drift is the later page's total (already recorded by inspect):
// "changed from N to N" would name no change at all.
func (r *offsetRun[T]) endedBefore(present, total int) {
	if present < total && present != r.p.driftFirst {
		r.p.drifted, r.p.driftLast = true, present
	}
}

// checkAdvance fails when the page at offset only repeats earlier items.
func (r *offsetRun[T]) checkAdvance(offset int, items []T) error {
	var earlier int
	if r.seen != nil {
		first, ok := r.seen[r.p.ID(items[0])]
		if !ok {
			return nil
		}
		for _, item := range items[1:] {
			if _, ok := r.seen[r.p.ID(item)]; !ok {
				return nil
			}
		}
		earlier = first
	} else {
		// Without ids, identical pages are only suspicious when the total
		// cannot bound the read (untrusted or changing): with a steady
		// total the plan ends by itself, and identical log lines on
		// consecutive pages are legal.
		if !r.sequential && !r.p.drifted {
			return nil
		}
		n := len(items)
		if n != r.prevLen || !reflect.DeepEqual(items[0], r.prevFirst) || !reflect.DeepEqual(items[n-1], r.prevLast) {
			return nil
		}
		earlier = r.prevOffset
	}
	return &notAdvancingError{msg: fmt.Sprintf(
		"server did not advance: page at offset %d repeated the items of offset %d", offset, earlier)}
}
