package paginate

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"reflect"
	"sync"
	"time"
)

// Page is one page of an offset/limit API.
type Page[T any] struct {
	// Items are the page's items in the API's order.
	Items []T
	// Total is the API's total count of matches (count / total_count).
	Total int
	// About names the answer in errors about this page (PageError).
	About Answer
}

// Answer names the answer a page came from, for errors: the API operation,
// the request id (when the API gave one) and the names of the answer's
// total and item list (e.g. "count" and "script_records"; empty: "total"
// and "items").
type Answer struct {
	Operation, RequestID   string
	TotalField, ItemsField string
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
// are recorded for Drift. An answer that contradicts itself in a way no
// change of the data explains (a negative total, a total of 0 with items,
// items beyond the page's own total while no page reported another
// total, a first page without items while its total is positive) fails the read with a *PageError matching
// ErrInconsistent.
//
// The fields are configuration; the methods Total, Requests, Drift,
// Dropped, Changed and Changes report on the last iteration and are valid
// once it has ended. Each iteration resets them; one Offset must not be
// iterated by two goroutines at once.
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
	// ID, when set, identifies items: an item whose ID was already yielded
	// is not yielded again. When its content is identical it is dropped
	// silently (Dropped); when it differs, the item changed while the pages
	// were read, and the copy fetched last wins: it is reported in Changes
	// with the position of the item yielded first, for the caller to
	// replace. An empty ID means the item has none: it is always kept.
	// Leave ID nil for records that may legitimately repeat (audit logs, OOS
	// logs must never be de-duplicated); pages of those are compared whole
	// instead, and a page identical to one at another offset fails the read
	// (the server ignored offset).
	ID func(T) string
	// Window, when above 0, is the API's paging window: it serves a page
	// only while offset + limit < Window, so one query reaches its first
	// Window-1 items. No request goes past it: the last page's limit
	// shrinks to fit. When a page reports a total above Window-1 and
	// MaxItems does not keep the read within Window-1 items, the read
	// fails with a *WindowError (ErrWindow) at that page, before any
	// further page is fetched: the list could not be complete.
	Window int

	total      int
	requests   int
	dropped    int
	repeats    int // items not yielded because their id was: dropped + changed copies
	changes    []Change[T]
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

// Dropped returns the number of identical repeats of yielded items the
// last iteration dropped (always 0 when ID is nil).
func (p *Offset[T]) Dropped() int { return p.dropped }

// Change is an item that came back with other content under an id already
// yielded: New (the copy fetched last) replaces the item yielded at Index
// (counted from 0 over the iteration's items), which was Old.
type Change[T any] struct {
	Index    int
	Old, New T
}

// Changes returns the items of the last iteration that changed while it
// read, one per item, in the order of Index. The caller replaces each
// Index's Old with New: the result then holds the copies fetched last.
func (p *Offset[T]) Changes() []Change[T] { return p.changes }

// Changed returns the number of items that changed while the last
// iteration read (len(Changes())).
func (p *Offset[T]) Changed() int { return len(p.changes) }

// Deduplicates reports whether items are de-duplicated by ID.
func (p *Offset[T]) Deduplicates() bool { return p.ID != nil }

// All returns the items of every page in the API's order. An error ends the
// sequence: it is yielded once as (zero value, error) and nothing follows it.
func (p *Offset[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		p.total, p.requests, p.dropped, p.repeats, p.changes = 0, 0, 0, 0, nil
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
	case p.Limit > math.MaxInt/(MaxPages+1):
		// Offsets are page index * Limit, for page indexes up to the
		// page cap: they must not overflow.
		return fmt.Errorf("paginate: Limit must be at most %d, got %d", math.MaxInt/(MaxPages+1), p.Limit)
	case p.MaxItems < 0:
		return fmt.Errorf("paginate: MaxItems must not be negative, got %d", p.MaxItems)
	case p.Window < 0 || p.Window == 1:
		return fmt.Errorf("paginate: Window must be 0 (none) or at least 2, got %d", p.Window)
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
	final bool   // err is complete: not a Fetch error to wrap with the offset
	key   uint64 // pageKey of the items, when ID is nil
}

// earlierPage is a page of items without id already read: its offset and
// its items, for comparing later pages with the same pageKey in full.
type earlierPage[T any] struct {
	offset int
	items  []T
}

// seenItem is what the pager remembers of an item yielded with an id.
type seenItem[T any] struct {
	index  int // position among the yielded items
	offset int // offset of the page it was first yielded from
	item   T   // the copy fetched last
	change int // index in changes + 1; 0: unchanged
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

	launched int  // page indexes below this were requested
	next     int  // index of the next page to yield
	known    bool // the first page has been inspected
	end      int  // offsets below end are planned: the largest total reported
	done     bool // no page after the current one is wanted
	capped   bool // the page cap was reached
	yielded  int

	seen  map[string]*seenItem[T]     // ID -> the item yielded under it
	pages map[uint64][]earlierPage[T] // pageKey -> the pages read with it, for ID == nil
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
		r.seen = make(map[string]*seenItem[T])
	} else {
		r.pages = make(map[uint64][]earlierPage[T])
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
					if s, dup := r.seen[id]; dup {
						r.repeat(s, item)
						continue
					}
					r.seen[id] = &seenItem[T]{index: r.yielded, offset: offset, item: item}
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
	// Pages before offset hold at most offset-repeats new items: a page
	// is wanted while fewer than MaxItems, and fewer than the total, can
	// be in hand before it. When a page started with an item yielded
	// already (a page start that moved back: an item added at the head of
	// the list between requests), an item was pushed past the planned
	// pages, and the read goes on by as many. The comparisons subtract
	// from offset (small) rather than add to MaxItems or the total
	// (anything up to the largest int): a sum would overflow.
	have := offset - r.p.repeats
	if r.p.MaxItems > 0 && have >= r.p.MaxItems {
		return false
	}
	if r.p.Window > 0 && offset >= r.p.Window-1 {
		return false // not even a page of one item is served there
	}
	return have < r.end
}

// pageLimit is the limit of the page at offset: Limit, shrunk so that
// offset + limit stays below Window.
func (r *offsetRun[T]) pageLimit(offset int) int {
	if r.p.Window > 0 {
		return min(r.limit, r.p.Window-1-offset)
	}
	return r.limit
}

// beyondWindow returns the error of a page whose total the window cannot
// reach, unless MaxItems keeps the read within it.
func (r *offsetRun[T]) beyondWindow(offset, total int) error {
	reachable := r.p.Window - 1
	if r.p.Window <= 0 || total <= reachable || r.p.MaxItems > 0 && r.p.MaxItems <= reachable {
		return nil
	}
	return &WindowError{Total: total, Reachable: reachable, Offset: offset}
}

// repeat handles an item whose id was already yielded (as s): an identical
// copy is dropped, another content is a change the copy fetched last wins.
func (r *offsetRun[T]) repeat(s *seenItem[T], item T) {
	r.p.repeats++
	if reflect.DeepEqual(s.item, item) {
		r.p.dropped++
		return
	}
	if s.change == 0 {
		// s.item is still the copy yielded first: the caller's result holds it.
		r.p.changes = append(r.p.changes, Change[T]{Index: s.index, Old: s.item, New: item})
		s.change = len(r.p.changes)
	} else {
		r.p.changes[s.change-1].New = item
	}
	s.item = item
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
			page, err := r.fetch(r.fctx, i*r.limit, r.pageLimit(i*r.limit))
			res := offsetResult[T]{index: i, page: page, err: err}
			if err == nil && r.pages != nil && len(page.Items) > 0 {
				res.key = pageKey(page.Items) // here, in parallel, not in the consumer's loop
			}
			// At most parallel results are outstanding, so the send does not
			// block; the select only guards against that ever changing. The
			// result is sent even when the read has ended, for await to
			// give its error (awaitEnded).
			select {
			case r.results <- res:
			default:
				select {
				case r.results <- res:
				case <-r.fctx.Done():
				}
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
			// The page's request ends with the context (Fetch honours
			// it); its error may say more than the context's (what a
			// throttled request waited for), so it is waited for, briefly.
			if res, ok := r.awaitEnded(); ok {
				return res, nil
			}
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
		return nil, fmt.Errorf("reading page at offset %d: %w", offset, gaveUp(r.ctx, res.err))
	}
	items, total := res.page.Items, res.page.Total
	n := len(items)
	if err := r.contradiction(res); err != nil {
		return nil, err
	}
	if err := r.beyondWindow(offset, total); err != nil {
		return nil, err
	}
	if res.index == 0 {
		r.known = true
		r.end = total
		r.p.total, r.p.driftFirst, r.p.driftLast = total, total, total
	} else if total != r.p.driftFirst {
		r.p.drifted, r.p.driftLast = true, total
		r.end = max(r.end, total)
	}
	if n == 0 {
		r.done = true
		r.endedBefore(offset, total)
		return nil, nil
	}
	if err := r.checkAdvance(res); err != nil {
		return nil, err
	}
	if n < r.pageLimit(offset) { // a short page is the last one
		r.done = true
		r.endedBefore(offset+n, total)
	}
	return items, nil
}

// contradiction returns the error for an answer no change of the data
// between requests explains: it contradicts itself.
func (r *offsetRun[T]) contradiction(res offsetResult[T]) error {
	offset := res.index * r.limit
	items, total := res.page.Items, res.page.Total
	n := len(items)
	tf, itf := fieldNames(res.page.About)
	fail := func(sentinel error, field, format string, args ...any) error {
		return &PageError{Operation: res.page.About.Operation, Offset: offset, Field: field, RequestID: res.page.About.RequestID,
			Err: sentinel, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case n > r.pageLimit(offset):
		return fail(ErrPageSize, itf, "the page holds %d items, more than the limit %d", n, r.pageLimit(offset))
	case total < 0:
		return fail(ErrInconsistent, tf, "%s is %d, a negative total", tf, total)
	case total == 0 && n > 0:
		return fail(ErrInconsistent, tf, "%s is 0 but the page holds %d items", tf, n)
	case offset-r.p.repeats > total-n && (res.index == 0 || total == r.p.driftFirst):
		// Items beyond the page's own total, the total steady: reading on
		// would follow a total known to be wrong. (A later page whose
		// total changed is drift: the data changed between requests.)
		// Items repeated at earlier page starts pushed as many items
		// further (see want); written without a sum that could overflow.
		return fail(ErrInconsistent, tf, "the page holds %d items from offset %d, beyond its own %s of %d",
			n, offset, tf, total)
	case res.index == 0 && n == 0 && total > 0:
		return fail(ErrInconsistent, itf, "the first page holds no items (%s) while its %s is %d", itf, tf, total)
	case res.index == 0 && n < r.pageLimit(offset) && n < total && (r.p.MaxItems == 0 || n < r.p.MaxItems):
		return fail(ErrPageSize, itf, "the first page holds %d items for limit %d while %s is %d; "+
			"the API probably caps the page size below the limit", n, r.limit, tf, total)
	}
	return nil
}

// fieldNames returns the names of the total and the item list for errors.
func fieldNames(a Answer) (total, items string) {
	total, items = a.TotalField, a.ItemsField
	if total == "" {
		total = "total"
	}
	if items == "" {
		items = "items"
	}
	return total, items
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

// checkAdvance fails when the page only repeats earlier items: with ID
// set, every id on it was yielded before with the same content; with ID
// nil, the page is identical to the page at another offset. Either way
// the server ignored the offset. A page of known ids of which some changed
// is not an error: the items changed while the pages were read.
func (r *offsetRun[T]) checkAdvance(res offsetResult[T]) error {
	offset := res.index * r.limit
	items := res.page.Items
	earlier := -1
	if r.seen != nil {
		for i, item := range items {
			s, ok := r.seen[r.p.ID(item)]
			if !ok || !reflect.DeepEqual(s.item, item) {
				return nil
			}
			if i == 0 {
				earlier = s.offset
			}
		}
	} else {
		for _, e := range r.pages[res.key] {
			if len(e.items) == len(items) && reflect.DeepEqual(e.items, items) {
				earlier = e.offset
				break
			}
		}
		if earlier < 0 {
			r.pages[res.key] = append(r.pages[res.key], earlierPage[T]{offset: offset, items: items})
			return nil
		}
	}
	_, itf := fieldNames(res.page.About)
	return &PageError{Operation: res.page.About.Operation, Offset: offset, Field: itf, RequestID: res.page.About.RequestID, Err: ErrNotAdvancing,
		Msg: fmt.Sprintf("the server ignored offset: the page repeats the %s of the page at offset %d", itf, earlier)}
}

// endGrace is how long await waits for the page it wants once the context
// has ended.
const endGrace = time.Second

// awaitEnded waits up to endGrace for the result of page r.next after the
// context ended.
func (r *offsetRun[T]) awaitEnded() (offsetResult[T], bool) {
	t := time.NewTimer(endGrace)
	defer t.Stop()
	for {
		if res, ok := r.pending[r.next]; ok {
			delete(r.pending, r.next)
			return res, true
		}
		if r.next >= r.launched {
			return offsetResult[T]{}, false // never requested
		}
		select {
		case res := <-r.results:
			r.pending[res.index] = res
		case <-t.C:
			return offsetResult[T]{}, false
		}
	}
}
