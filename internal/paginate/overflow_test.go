package paginate

import (
	"context"
	"math"
	"slices"
	"strconv"
	"testing"
)

// unstableStarts serves n records with ids by offset and limit the way a
// list whose head moved between requests does: every page after the first
// starts one record early, with the record the page before ended with (a
// repeat) or the one it pushed out; the total stays n. Every record is
// served by offset n: the record pushed past the last planned page is the
// first of the page at n.
func unstableStarts(n int) *fake {
	return &fake{serve: func(_ context.Context, _, offset, limit int) (Page[int], error) {
		start := offset
		if offset > 0 {
			start = offset - 1
		}
		return slicePage(seq(n), n, start, limit), nil
	}}
}

// TestOffsetUnstableStartsAnyMaxItems: 3,000 records whose page starts
// move back by one after the first page (the second page repeats the last
// record of the first), read with max_items unset, at the provider's
// largest (1,000,000) and at the largest int (whose sum with the repeats
// overflowed: the read stopped after 4 requests with 399 records): every
// record is read once, in order, the last one included.
func TestOffsetUnstableStartsAnyMaxItems(t *testing.T) {
	const n = 3000
	for _, maxItems := range []int{0, MaxTotalItems, math.MaxInt - 1, math.MaxInt} {
		for _, parallel := range []int{1, 4, 16} {
			f := unstableStarts(n)
			p := &Offset[int]{Limit: 100, MaxItems: maxItems, Parallel: parallel, Fetch: f.fetch,
				ID: strconv.Itoa}
			c := collect(p.All(t.Context()))
			if c.err != nil || !slices.Equal(c.items, seq(n)) {
				t.Fatalf("max items %d, parallel %d: %d items (want %d), first difference at %d, error %v",
					maxItems, parallel, len(c.items), n, firstDiff(c.items, seq(n)), c.err)
			}
			if p.Dropped() != 1 || p.Requests() != 31 {
				t.Errorf("max items %d, parallel %d: %d dropped, %d requests; want 1 and 31 (30 planned, one for the record pushed past them)",
					maxItems, parallel, p.Dropped(), p.Requests())
			}
		}
	}
}

// TestOffsetHugeTotals: a total near the largest int, with max_items
// anywhere up to it, never overflows: the read stops at max_items, or
// fails at the first page that contradicts its total, never early and
// silently.
func TestOffsetHugeTotals(t *testing.T) {
	for _, total := range []int{math.MaxInt, math.MaxInt - 1} {
		for _, maxItems := range []int{250, math.MaxInt} {
			data := seq(1000)
			f := &fake{serve: func(_ context.Context, _, offset, limit int) (Page[int], error) {
				return slicePage(data, total, offset, limit), nil
			}}
			p := &Offset[int]{Limit: 100, MaxItems: maxItems, Parallel: 4, Fetch: f.fetch}
			c := collect(p.All(t.Context()))
			switch maxItems {
			case 250:
				if c.err != nil || !slices.Equal(c.items, seq(250)) {
					t.Errorf("total %d, max items %d: %d items, error %v; want 250", total, maxItems, len(c.items), c.err)
				}
			default:
				// The data ends at 1,000 although the total says more: the
				// read ends at the empty page, every item read, the drift
				// reported.
				first, last, drifted := p.Drift()
				if c.err != nil || len(c.items) != 1000 || !drifted || first != total || last != 1000 {
					t.Errorf("total %d, max items %d: %d items, error %v, drift %d->%d %v; want 1000 items and drift",
						total, maxItems, len(c.items), c.err, first, last, drifted)
				}
			}
		}
	}
}

// TestOffsetLimitThatWouldOverflow: a page size whose offsets could pass
// the largest int within the page cap is refused.
func TestOffsetLimitThatWouldOverflow(t *testing.T) {
	p := &Offset[int]{Limit: math.MaxInt / 2, Fetch: func(context.Context, int, int) (Page[int], error) { return Page[int]{}, nil }}
	c := collect(p.All(t.Context()))
	if c.err == nil || len(c.items) != 0 {
		t.Fatalf("error %v, %d items; want the Limit refused", c.err, len(c.items))
	}
}

// TestTokenMaxItemsLargestInt: max_items at the largest int reads every
// page.
func TestTokenMaxItemsLargestInt(t *testing.T) {
	for _, maxItems := range []int{math.MaxInt, math.MaxInt - 1} {
		api := threePages()
		p := &Token[int]{MaxItems: maxItems, Fetch: api.fetch}
		c := collect(p.All(t.Context()))
		if c.err != nil || !slices.Equal(c.items, seq(9)) || p.Requests() != 3 {
			t.Errorf("max items %d: %d items in %d requests, error %v; want 9 in 3", maxItems, len(c.items), p.Requests(), c.err)
		}
	}
}
