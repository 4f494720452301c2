package paginate

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fake is an offset API for tests: it records every call and measures how
// many calls run at once; serve decides each answer.
type fake struct {
	serve func(ctx context.Context, call, offset, limit int) (Page[int], error)

	mu      sync.Mutex
	offsets []int

	inflight    atomic.Int32
	maxInflight atomic.Int32
	cancelled   atomic.Int32 // calls that returned because ctx was done
}

func (f *fake) fetch(ctx context.Context, offset, limit int) (Page[int], error) {
	f.mu.Lock()
	call := len(f.offsets)
	f.offsets = append(f.offsets, offset)
	f.mu.Unlock()
	n := f.inflight.Add(1)
	defer f.inflight.Add(-1)
	for {
		m := f.maxInflight.Load()
		if n <= m || f.maxInflight.CompareAndSwap(m, n) {
			break
		}
	}
	return f.serve(ctx, call, offset, limit)
}

func (f *fake) calls() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.offsets)
}

// block waits for ctx to end and counts the cancellation.
func (f *fake) block(ctx context.Context) (Page[int], error) {
	<-ctx.Done()
	f.cancelled.Add(1)
	return Page[int]{}, ctx.Err()
}

// slicePage serves data[offset:offset+limit] with the given total.
func slicePage(data []int, total, offset, limit int) Page[int] {
	lo := min(offset, len(data))
	hi := min(offset+limit, len(data))
	return Page[int]{Items: data[lo:hi], Total: total}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// collected is everything a sequence yielded.
type collected[T any] struct {
	items      []T
	err        error
	errors     int
	afterError int // yields after the first error: must stay 0
}

// collect ranges over the whole sequence without breaking, so anything
// yielded after an error is seen.
func collect[T any](s func(func(T, error) bool)) collected[T] {
	var c collected[T]
	for item, err := range s {
		switch {
		case c.errors > 0:
			c.afterError++
		case err != nil:
			c.err = err
			c.errors++
		default:
			c.items = append(c.items, item)
		}
	}
	return c
}

func offsetsUpTo(end, limit int) []int {
	var o []int
	for off := 0; off < end; off += limit {
		o = append(o, off)
	}
	return o
}

func TestOffsetParallelInOrder(t *testing.T) {
	data := seq(1234)
	var firstAlone atomic.Bool
	f := &fake{}
	f.serve = func(ctx context.Context, call, offset, limit int) (Page[int], error) {
		if offset == 0 {
			firstAlone.Store(f.inflight.Load() == 1)
		} else {
			// Hold the requests until the window has filled once (or give up
			// after a while, failing the >= 2 check), then a little longer so
			// that a pager exceeding the window would be seen doing it.
			deadline := time.Now().Add(5 * time.Second)
			for f.maxInflight.Load() < 4 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Microsecond)
			}
			time.Sleep(time.Millisecond)
		}
		return slicePage(data, len(data), offset, limit), nil
	}
	p := &Offset[int]{Limit: 100, Parallel: 4, Fetch: f.fetch}
	c := collect(p.All(t.Context()))
	if c.err != nil {
		t.Fatalf("unexpected error: %v", c.err)
	}
	if !slices.Equal(c.items, data) {
		t.Fatalf("items not 0..1233 in order: got %d items, first differences at %v", len(c.items), firstDiff(c.items, data))
	}
	if p.Requests() != 13 || len(f.calls()) != 13 {
		t.Errorf("requests = %d (fake saw %d), want 13", p.Requests(), len(f.calls()))
	}
	got := f.calls()
	if got[0] != 0 || !firstAlone.Load() {
		t.Errorf("first request must be offset 0 and alone: calls %v, alone %v", got, firstAlone.Load())
	}
	slices.Sort(got)
	if want := offsetsUpTo(1234, 100); !slices.Equal(got, want) {
		t.Errorf("offsets = %v, want %v", got, want)
	}
	if m := f.maxInflight.Load(); m > 4 || m < 2 {
		t.Errorf("max requests in flight = %d, want 2..4", m)
	}
	if p.Total() != 1234 {
		t.Errorf("Total() = %d, want 1234", p.Total())
	}
	if first, last, drifted := p.Drift(); drifted || first != 1234 || last != 1234 {
		t.Errorf("Drift() = %d, %d, %v; want 1234, 1234, false", first, last, drifted)
	}
}

func firstDiff(a, b []int) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestOffsetCounts(t *testing.T) {
	tests := []struct {
		name                   string
		total, limit, maxItems int
		parallel               int
		wantItems, wantReqs    int
	}{
		{"max 7 of 1234", 1234, 100, 7, 4, 7, 1},
		{"max 150 of 1234", 1234, 100, 150, 4, 150, 2},
		{"max 200 of 1234, page boundary", 1234, 100, 200, 4, 200, 2},
		{"max 201 of 1234", 1234, 100, 201, 4, 201, 3},
		{"max larger than total", 1234, 100, 5000, 4, 1234, 13},
		{"max equals total", 1234, 100, 1234, 4, 1234, 13},
		{"total 0, empty first page", 0, 100, 0, 4, 0, 1},
		{"exact multiple of limit", 300, 100, 0, 4, 300, 3},
		{"exact multiple, sequential", 300, 100, 0, 1, 300, 3},
		{"one full page", 100, 100, 0, 4, 100, 1},
		{"one short page", 99, 100, 0, 4, 99, 1},
		{"one item over a page", 101, 100, 0, 4, 101, 2},
		{"limit 1", 5, 1, 0, 3, 5, 5},
		{"parallel above page count", 250, 100, 0, 16, 250, 3},
		{"parallel 0 means 1", 250, 100, 0, 0, 250, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := seq(tt.total)
			f := &fake{serve: func(_ context.Context, _, offset, limit int) (Page[int], error) {
				return slicePage(data, len(data), offset, limit), nil
			}}
			p := &Offset[int]{Limit: tt.limit, MaxItems: tt.maxItems, Parallel: tt.parallel, Fetch: f.fetch}
			c := collect(p.All(t.Context()))
			if c.err != nil {
				t.Fatalf("unexpected error: %v", c.err)
			}
			if !slices.Equal(c.items, data[:tt.wantItems]) {
				t.Errorf("got %d items (first difference at %d), want the first %d", len(c.items), firstDiff(c.items, data), tt.wantItems)
			}
			if p.Requests() != tt.wantReqs || len(f.calls()) != tt.wantReqs {
				t.Errorf("requests = %d (fake saw %v), want %d", p.Requests(), f.calls(), tt.wantReqs)
			}
			if m := f.maxInflight.Load(); m > int32(max(tt.parallel, 1)) {
				t.Errorf("max in flight = %d, above Parallel %d", m, tt.parallel)
			}
		})
	}
}

type rec struct {
	ID   string
	Note string
}

func TestOffsetDeduplication(t *testing.T) {
	a, b, c, d, e, g := rec{"a", "1"}, rec{"b", "2"}, rec{"c", "3"}, rec{"d", "4"}, rec{"e", "5"}, rec{"g", "6"}
	pages := map[int][]rec{0: {a, b, c}, 3: {c, d, e}, 6: {e, g}}
	fetch := func(_ context.Context, offset, _ int) (Page[rec], error) {
		return Page[rec]{Items: pages[offset], Total: 8}, nil
	}
	byID := func(r rec) string { return r.ID }
	tests := []struct {
		name        string
		id          func(rec) string
		maxItems    int
		want        []rec
		wantDropped int
		wantReqs    int
	}{
		{"ID set: duplicates dropped", byID, 0, []rec{a, b, c, d, e, g}, 2, 3},
		{"ID nil: identical items kept", nil, 0, []rec{a, b, c, c, d, e, e, g}, 0, 3},
		{"ID set: MaxItems counts after de-duplication", byID, 5, []rec{a, b, c, d, e}, 1, 2},
		{"ID set: a drop makes room for one more page", byID, 6, []rec{a, b, c, d, e, g}, 2, 3},
		{"ID nil: MaxItems counts duplicates", nil, 5, []rec{a, b, c, c, d}, 0, 2},
	}
	for _, tt := range tests {
		for _, parallel := range []int{1, 4} {
			t.Run(tt.name+"/parallel "+strconv.Itoa(parallel), func(t *testing.T) {
				p := &Offset[rec]{Limit: 3, MaxItems: tt.maxItems, Parallel: parallel, Fetch: fetch, ID: tt.id}
				got := collect(p.All(t.Context()))
				if got.err != nil {
					t.Fatalf("unexpected error: %v", got.err)
				}
				if !slices.Equal(got.items, tt.want) {
					t.Errorf("items = %v, want %v", got.items, tt.want)
				}
				if p.Dropped() != tt.wantDropped {
					t.Errorf("Dropped() = %d, want %d", p.Dropped(), tt.wantDropped)
				}
				if p.Requests() != tt.wantReqs {
					t.Errorf("Requests() = %d, want %d", p.Requests(), tt.wantReqs)
				}
			})
		}
	}
}

// TestOffsetItemsWithoutID: items whose ID is empty have none; they are
// never dropped as duplicates of each other, while items with an id still
// are.
func TestOffsetItemsWithoutID(t *testing.T) {
	x, y, a := rec{"", "x"}, rec{"", "y"}, rec{"a", "1"}
	pages := map[int][]rec{0: {x, a, y}, 3: {a, x, x}}
	fetch := func(_ context.Context, offset, _ int) (Page[rec], error) {
		return Page[rec]{Items: pages[offset], Total: 6}, nil
	}
	for _, parallel := range []int{1, 4} {
		p := &Offset[rec]{Limit: 3, Parallel: parallel, Fetch: fetch, ID: func(r rec) string { return r.ID }}
		got := collect(p.All(t.Context()))
		if want := []rec{x, a, y, x, x}; got.err != nil || !slices.Equal(got.items, want) || p.Dropped() != 1 {
			t.Errorf("parallel %d: items %v, dropped %d, error %v; want %v, 1 dropped", parallel, got.items, p.Dropped(), got.err, want)
		}
	}
}

var errBoom = errors.New("boom")

func TestOffsetErrorInPageOrder(t *testing.T) {
	data := seq(1234)
	f := &fake{}
	f.serve = func(ctx context.Context, _, offset, limit int) (Page[int], error) {
		switch {
		case offset == 400:
			// Fail only once the later pages are in flight, so the test
			// proves they get cancelled.
			deadline := time.Now().Add(5 * time.Second)
			for f.inflight.Load() < 4 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Microsecond)
			}
			return Page[int]{}, errBoom
		case offset > 400:
			return f.block(ctx)
		}
		return slicePage(data, len(data), offset, limit), nil
	}
	p := &Offset[int]{Limit: 100, Parallel: 4, Fetch: f.fetch}
	c := collect(p.All(t.Context()))
	if !slices.Equal(c.items, data[:400]) {
		t.Errorf("got %d items, want exactly the 400 of pages 1..4", len(c.items))
	}
	if c.errors != 1 || c.afterError != 0 {
		t.Errorf("errors = %d, yields after the error = %d; want 1 and 0", c.errors, c.afterError)
	}
	if !errors.Is(c.err, errBoom) || !strings.HasPrefix(c.err.Error(), "reading page at offset 400: ") {
		t.Errorf("error = %v, want boom wrapped with the offset 400", c.err)
	}
	if f.inflight.Load() != 0 {
		t.Errorf("%d requests still running after the iterator returned", f.inflight.Load())
	}
	later := 0
	for _, off := range f.calls() {
		if off > 400 {
			later++
		}
	}
	if later == 0 || int(f.cancelled.Load()) != later {
		t.Errorf("later requests = %d, cancelled = %d; want them all cancelled (and at least one)", later, f.cancelled.Load())
	}
	if p.Requests() > 5+4 {
		t.Errorf("requests = %d, more than the window allows", p.Requests())
	}
}

func TestOffsetConsumerBreak(t *testing.T) {
	for _, stopAt := range []int{1, 150} {
		t.Run("after "+strconv.Itoa(stopAt)+" items", func(t *testing.T) {
			data := seq(1234)
			f := &fake{}
			f.serve = func(ctx context.Context, _, offset, limit int) (Page[int], error) {
				if offset >= 200 {
					return f.block(ctx)
				}
				return slicePage(data, len(data), offset, limit), nil
			}
			p := &Offset[int]{Limit: 100, Parallel: 4, Fetch: f.fetch}
			n := 0
			for v, err := range p.All(t.Context()) {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if v != n {
					t.Fatalf("item %d = %d", n, v)
				}
				n++
				if n == stopAt {
					break
				}
			}
			if f.inflight.Load() != 0 {
				t.Fatalf("%d requests still running after break", f.inflight.Load())
			}
			blocked := 0
			for _, off := range f.calls() {
				if off >= 200 {
					blocked++
				}
			}
			if blocked == 0 || int(f.cancelled.Load()) != blocked {
				t.Errorf("blocked requests = %d, cancelled = %d; want all cancelled (and at least one)", blocked, f.cancelled.Load())
			}
		})
	}
}

func TestOffsetContextCancel(t *testing.T) {
	t.Run("while the first page blocks", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		f := &fake{}
		f.serve = func(ctx context.Context, _, _, _ int) (Page[int], error) {
			cancel()
			_, _ = f.block(ctx)
			return Page[int]{}, errors.New("request aborted") // not wrapping ctx.Err()
		}
		p := &Offset[int]{Limit: 100, Parallel: 4, Fetch: f.fetch}
		c := collect(p.All(ctx))
		if !errors.Is(c.err, context.Canceled) || c.errors != 1 || len(c.items) != 0 {
			t.Errorf("got %d items, error %v (%d errors); want context.Canceled alone", len(c.items), c.err, c.errors)
		}
		if f.inflight.Load() != 0 {
			t.Errorf("%d requests still running", f.inflight.Load())
		}
	})
	t.Run("while later pages block, fetch hides the context error", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		data := seq(1234)
		f := &fake{}
		f.serve = func(ctx context.Context, _, offset, limit int) (Page[int], error) {
			if offset == 0 {
				return slicePage(data, len(data), offset, limit), nil
			}
			_, _ = f.block(ctx)
			return Page[int]{}, errors.New("request aborted") // not wrapping ctx.Err()
		}
		p := &Offset[int]{Limit: 100, Parallel: 4, Fetch: f.fetch}
		var items []int
		var gotErr error
		for v, err := range p.All(ctx) {
			if err != nil {
				gotErr = err
				continue
			}
			items = append(items, v)
			if v == 50 {
				cancel()
			}
		}
		if !errors.Is(gotErr, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", gotErr)
		}
		if len(items) > 100 {
			t.Errorf("got %d items, nothing beyond the first page may follow the cancellation", len(items))
		}
		if f.inflight.Load() != 0 {
			t.Errorf("%d requests still running", f.inflight.Load())
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		f := &fake{serve: func(ctx context.Context, _, _, _ int) (Page[int], error) { return Page[int]{}, ctx.Err() }}
		p := &Offset[int]{Limit: 100, Fetch: f.fetch}
		c := collect(p.All(ctx))
		if !errors.Is(c.err, context.Canceled) || len(c.items) != 0 {
			t.Errorf("got %d items, error %v; want context.Canceled", len(c.items), c.err)
		}
	})
}

func TestOffsetNonAdvancing(t *testing.T) {
	page1 := seq(100)
	byID := strconv.Itoa
	for _, growing := range []bool{false, true} {
		for _, id := range []func(int) string{nil, byID} {
			for _, parallel := range []int{1, 4} {
				name := "steady total"
				if growing {
					name = "growing total"
				}
				if id != nil {
					name += ", ID set"
				}
				name += ", parallel " + strconv.Itoa(parallel)
				t.Run(name, func(t *testing.T) {
					f := &fake{serve: func(_ context.Context, call, _, _ int) (Page[int], error) {
						total := 1000
						if growing {
							total = 1000 * (call + 1)
						}
						return Page[int]{Items: page1, Total: total, About: Answer{RequestID: "r" + strconv.Itoa(call)}}, nil // ignores the offset
					}}
					p := &Offset[int]{Limit: 100, Parallel: parallel, Fetch: f.fetch, ID: id}
					c := collect(p.All(t.Context()))
					if !errors.Is(c.err, ErrNotAdvancing) {
						t.Fatalf("error = %v, want ErrNotAdvancing", c.err)
					}
					var pe *PageError
					if !errors.As(c.err, &pe) || pe.Offset != 100 || pe.Field != "items" || pe.RequestID == "" {
						t.Fatalf("error %v does not name the page, the field and the request id", c.err)
					}
					if want := "the server ignored offset: the page repeats the items of the page at offset 0 (page at offset 100, request id " + pe.RequestID + ")"; c.err.Error() != want {
						t.Errorf("error = %q, want %q", c.err, want)
					}
					if !slices.Equal(c.items, page1) || c.afterError != 0 {
						t.Errorf("got %d items and %d yields after the error; want the first page only", len(c.items), c.afterError)
					}
					if p.Requests() > 1+parallel {
						t.Errorf("requests = %d, want at most %d", p.Requests(), 1+parallel)
					}
				})
			}
		}
	}
}

// TestOffsetContradictions: answers that contradict themselves fail the
// read with ErrInconsistent, naming the page, the field and the request id;
// items before the bad page are yielded, nothing after the error.
func TestOffsetContradictions(t *testing.T) {
	tests := []struct {
		name      string
		reported  func(offset int) int // total each page reports
		size      int                  // items really there
		wantItems int
		wantField string
		wantMsg   string
	}{
		{"total 0 with items", func(int) int { return 0 }, 250, 0, "count",
			"ListThings: count is 0 but the page holds 100 items (page at offset 0, request id rid-0)"},
		{"negative total", func(int) int { return -5 }, 3, 0, "count",
			"ListThings: count is -5, a negative total (page at offset 0, request id rid-0)"},
		{"negative total on a later page", func(o int) int {
			if o == 0 {
				return 250
			}
			return -1
		}, 250, 100, "count", "ListThings: count is -1, a negative total (page at offset 100, request id rid-100)"},
		{"full pages beyond the total", func(int) int { return 150 }, 350, 100, "count",
			"ListThings: the page holds 100 items from offset 100, beyond its own count of 150 (page at offset 100, request id rid-100)"},
		{"full first page beyond the total", func(int) int { return 5 }, 150, 0, "count",
			"ListThings: the page holds 100 items from offset 0, beyond its own count of 5 (page at offset 0, request id rid-0)"},
		{"empty first page with a total", func(int) int { return 12 }, 0, 0, "records",
			"ListThings: the first page holds no items (records) while its count is 12 (page at offset 0, request id rid-0)"},
	}
	for _, tt := range tests {
		for _, parallel := range []int{1, 4} {
			t.Run(tt.name+"/parallel "+strconv.Itoa(parallel), func(t *testing.T) {
				data := seq(tt.size)
				f := &fake{serve: func(_ context.Context, _, offset, limit int) (Page[int], error) {
					p := slicePage(data, tt.reported(offset), offset, limit)
					p.About = Answer{Operation: "ListThings", RequestID: "rid-" + strconv.Itoa(offset), TotalField: "count", ItemsField: "records"}
					return p, nil
				}}
				p := &Offset[int]{Limit: 100, Parallel: parallel, Fetch: f.fetch}
				c := collect(p.All(t.Context()))
				if !errors.Is(c.err, ErrInconsistent) || c.afterError != 0 {
					t.Fatalf("error = %v (%d yields after it), want ErrInconsistent", c.err, c.afterError)
				}
				var pe *PageError
				if !errors.As(c.err, &pe) || pe.Field != tt.wantField || c.err.Error() != tt.wantMsg {
					t.Errorf("error = %q (field %q), want %q (field %q)", c.err, pe.Field, tt.wantMsg, tt.wantField)
				}
				if !slices.Equal(c.items, data[:tt.wantItems]) {
					t.Errorf("got %d items before the error, want %d", len(c.items), tt.wantItems)
				}
			})
		}
	}
}

func TestOffsetSafetyLimits(t *testing.T) {
	t.Run("pages", func(t *testing.T) {
		// Fresh full pages under a huge total: only the cap stops it.
		f := &fake{serve: func(_ context.Context, _, offset, limit int) (Page[int], error) {
			items := make([]int, limit)
			for i := range items {
				items[i] = offset + i
			}
			return Page[int]{Items: items, Total: 1 << 30}, nil
		}}
		p := &Offset[int]{Limit: 10, Parallel: 4, Fetch: f.fetch, maxPages: 20}
		c := collect(p.All(t.Context()))
		if !errors.Is(c.err, ErrSafetyLimit) || !strings.Contains(c.err.Error(), "more than 20 pages") {
			t.Errorf("error = %v, want the page safety limit", c.err)
		}
		if p.Requests() != 20 || len(c.items) != 200 {
			t.Errorf("requests = %d, items = %d; want 20 and 200", p.Requests(), len(c.items))
		}
	})
	t.Run("items", func(t *testing.T) {
		data := seq(1000)
		f := &fake{serve: func(_ context.Context, _, offset, limit int) (Page[int], error) {
			return slicePage(data, len(data), offset, limit), nil
		}}
		p := &Offset[int]{Limit: 100, Parallel: 4, Fetch: f.fetch, maxItems: 250}
		c := collect(p.All(t.Context()))
		if !errors.Is(c.err, ErrSafetyLimit) || !slices.Equal(c.items, data[:250]) {
			t.Errorf("got %d items, error %v; want 250 then the item safety limit", len(c.items), c.err)
		}
		// Exactly at the cap is fine.
		p = &Offset[int]{Limit: 100, Parallel: 4, Fetch: f.fetch, maxItems: 1000}
		if c := collect(p.All(t.Context())); c.err != nil || len(c.items) != 1000 {
			t.Errorf("at the cap: %d items, error %v", len(c.items), c.err)
		}
	})
}

func TestOffsetDrift(t *testing.T) {
	tests := []struct {
		name      string
		parallel  int
		serve     func(call, offset, limit int) Page[int]
		wantItems int
		wantReqs  int // 0: at most 1+parallel beyond the needed pages is not checked
		first     int
		last      int
	}{
		{
			name: "total grows: extra pages fetched", parallel: 4,
			serve: func(call, offset, limit int) Page[int] {
				total := 400
				if offset == 0 {
					total = 250
				}
				return slicePage(seq(400), total, offset, limit)
			},
			wantItems: 400, wantReqs: 4, first: 250, last: 400,
		},
		{
			// Later pages announce more items than there are: the extra
			// page is read and found empty, and the drift named is the
			// announced total, not the first one again.
			name: "total grows, data does not", parallel: 4,
			serve: func(call, offset, limit int) Page[int] {
				total := 350
				if offset == 0 {
					total = 200
				}
				return slicePage(seq(200), total, offset, limit)
			},
			wantItems: 200, wantReqs: 4, first: 200, last: 350,
		},
		{
			name: "total shrinks: stops at the short page", parallel: 1,
			serve: func(call, offset, limit int) Page[int] {
				if offset == 0 {
					return slicePage(seq(400), 400, offset, limit)
				}
				return slicePage(seq(250), 250, offset, limit)
			},
			wantItems: 250, wantReqs: 3, first: 400, last: 250,
		},
		{
			name: "total shrinks, parallel", parallel: 4,
			serve: func(call, offset, limit int) Page[int] {
				if offset == 0 {
					return slicePage(seq(400), 400, offset, limit)
				}
				return slicePage(seq(250), 250, offset, limit)
			},
			wantItems: 250, wantReqs: 4, first: 400, last: 250,
		},
		{
			// A later page reports a smaller total yet is full: the data
			// changed between requests (drift), the plan of the first
			// total is read to its end.
			name: "total shrinks, pages stay full", parallel: 4,
			serve: func(call, offset, limit int) Page[int] {
				if offset == 0 {
					return slicePage(seq(400), 400, offset, limit)
				}
				return slicePage(seq(400), 140, offset, limit)
			},
			wantItems: 400, wantReqs: 4, first: 400, last: 140,
		},
		{
			name: "stale total, data ends on an empty page", parallel: 1,
			serve: func(call, offset, limit int) Page[int] {
				return slicePage(seq(500), 1234, offset, limit)
			},
			wantItems: 500, wantReqs: 6, first: 1234, last: 500,
		},
		{
			name: "stale total, data ends on a short page", parallel: 1,
			serve: func(call, offset, limit int) Page[int] {
				return slicePage(seq(550), 1234, offset, limit)
			},
			wantItems: 550, wantReqs: 6, first: 1234, last: 550,
		},
		{
			// Pages in flight after the short page are never yielded, even
			// when (against all sense) they hold items.
			name: "short page ends the read, parallel", parallel: 4,
			serve: func(call, offset, limit int) Page[int] {
				if offset == 500 {
					return slicePage(seq(550), 1234, offset, limit)
				}
				return slicePage(seq(1234), 1234, offset, limit)
			},
			wantItems: 550, wantReqs: 9, first: 1234, last: 550,
		},
		{
			name: "empty page ends the read, parallel", parallel: 4,
			serve: func(call, offset, limit int) Page[int] {
				if offset == 500 {
					return Page[int]{Total: 1234}
				}
				return slicePage(seq(1234), 1234, offset, limit)
			},
			wantItems: 500, wantReqs: 9, first: 1234, last: 500,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fake{serve: func(_ context.Context, call, offset, limit int) (Page[int], error) {
				return tt.serve(call, offset, limit), nil
			}}
			p := &Offset[int]{Limit: 100, Parallel: tt.parallel, Fetch: f.fetch}
			c := collect(p.All(t.Context()))
			if c.err != nil {
				t.Fatalf("unexpected error: %v", c.err)
			}
			if !slices.Equal(c.items, seq(tt.wantItems)) {
				t.Errorf("got %d items, want 0..%d in order", len(c.items), tt.wantItems-1)
			}
			if p.Requests() != tt.wantReqs {
				t.Errorf("requests = %d (%v), want %d", p.Requests(), f.calls(), tt.wantReqs)
			}
			first, last, drifted := p.Drift()
			if !drifted || first != tt.first || last != tt.last {
				t.Errorf("Drift() = %d, %d, %v; want %d, %d, true", first, last, drifted, tt.first, tt.last)
			}
			if p.Total() != tt.first {
				t.Errorf("Total() = %d, want %d", p.Total(), tt.first)
			}
		})
	}
}

func TestOffsetPageSize(t *testing.T) {
	capped := func(_ context.Context, offset, _ int) (Page[int], error) {
		// An API that caps the page size at 50 whatever the limit.
		return slicePage(seq(1234), 1234, offset, 50), nil
	}
	p := &Offset[int]{Limit: 100, Parallel: 4, Fetch: capped}
	c := collect(p.All(t.Context()))
	if !errors.Is(c.err, ErrPageSize) || len(c.items) != 0 {
		t.Errorf("got %d items, error %v; want ErrPageSize before any item", len(c.items), c.err)
	}
	p = &Offset[int]{Limit: 100, MaxItems: 30, Fetch: capped}
	if c := collect(p.All(t.Context())); c.err != nil || len(c.items) != 30 {
		t.Errorf("MaxItems within the first page: %d items, error %v; want 30, no error", len(c.items), c.err)
	}
	long := func(_ context.Context, offset, limit int) (Page[int], error) {
		return slicePage(seq(1234), 1234, offset, limit+1), nil
	}
	p = &Offset[int]{Limit: 100, Fetch: long}
	if c := collect(p.All(t.Context())); !errors.Is(c.err, ErrPageSize) || len(c.items) != 0 {
		t.Errorf("page longer than the limit: %d items, error %v; want ErrPageSize", len(c.items), c.err)
	}
}

func TestOffsetInvalid(t *testing.T) {
	fetch := func(context.Context, int, int) (Page[int], error) { return Page[int]{}, nil }
	for name, p := range map[string]*Offset[int]{
		"limit 0":           {Fetch: fetch},
		"negative MaxItems": {Limit: 10, MaxItems: -1, Fetch: fetch},
		"no Fetch":          {Limit: 10},
	} {
		c := collect(p.All(t.Context()))
		if c.err == nil || c.errors != 1 || p.Requests() != 0 {
			t.Errorf("%s: error %v, requests %d; want one error and no request", name, c.err, p.Requests())
		}
	}
}

func TestOffsetResultsReset(t *testing.T) {
	data := seq(250)
	calls := 0
	p := &Offset[int]{Limit: 100, Fetch: func(_ context.Context, offset, limit int) (Page[int], error) {
		calls++
		total := 250
		if calls == 2 {
			total = 260 // drift on the first iteration only
		}
		return slicePage(data, total, offset, limit), nil
	}}
	collect(p.All(t.Context()))
	if _, _, drifted := p.Drift(); !drifted {
		t.Fatal("first iteration should drift")
	}
	c := collect(p.All(t.Context()))
	if _, _, drifted := p.Drift(); drifted || p.Requests() != 3 || len(c.items) != 250 {
		t.Errorf("second iteration: drifted %v, requests %d, items %d; want false, 3, 250", drifted, p.Requests(), len(c.items))
	}
}

func FuzzOffsetPager(f *testing.F) {
	f.Add(uint16(1234), uint8(100), uint8(4), uint16(0))
	f.Add(uint16(1234), uint8(100), uint8(4), uint16(7))
	f.Add(uint16(1234), uint8(100), uint8(4), uint16(150))
	f.Add(uint16(300), uint8(100), uint8(2), uint16(0))
	f.Add(uint16(0), uint8(10), uint8(1), uint16(0))
	f.Add(uint16(1), uint8(1), uint8(8), uint16(1))
	f.Fuzz(func(t *testing.T, total uint16, limit, parallel uint8, maxItems uint16) {
		n := int(total) % 3000
		lim := int(limit)%150 + 1
		par := int(parallel) % 9
		maxIt := int(maxItems) % 4000
		data := seq(n)
		fk := &fake{serve: func(_ context.Context, _, offset, limit int) (Page[int], error) {
			return slicePage(data, len(data), offset, limit), nil
		}}
		p := &Offset[int]{Limit: lim, Parallel: par, MaxItems: maxIt, Fetch: fk.fetch}
		c := collect(p.All(context.Background()))
		if c.err != nil {
			t.Fatalf("unexpected error: %v", c.err)
		}
		want := n
		if maxIt > 0 {
			want = min(n, maxIt)
		}
		if !slices.Equal(c.items, data[:want]) {
			t.Fatalf("got %d items (first difference at %d), want the first %d", len(c.items), firstDiff(c.items, data), want)
		}
		wantReqs := max(1, (want+lim-1)/lim)
		if p.Requests() != wantReqs || len(fk.calls()) != wantReqs {
			t.Fatalf("requests = %d (fake saw %d), want %d", p.Requests(), len(fk.calls()), wantReqs)
		}
		if m := fk.maxInflight.Load(); m > int32(max(par, 1)) {
			t.Fatalf("max in flight %d above Parallel %d", m, par)
		}
	})
}

func BenchmarkOffsetPager(b *testing.B) {
	data := seq(100_000)
	fetch := func(_ context.Context, offset, limit int) (Page[int], error) {
		return slicePage(data, len(data), offset, limit), nil
	}
	b.ReportAllocs()
	for b.Loop() {
		p := &Offset[int]{Limit: 100, Parallel: 4, Fetch: fetch}
		n := 0
		for _, err := range p.All(context.Background()) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != len(data) {
			b.Fatalf("got %d items", n)
		}
	}
}

// Items without an id (audit logs): a page identical, item for item, to
// the page at another offset is a server that ignored offset, even under a
// steady total (real audit logs differ in times and instance ids), while
// identical items within pages and pages that differ are data.
func TestOffsetIdenticalPagesWithSteadyTotal(t *testing.T) {
	type line struct {
		Msg  *string
		Time string
	}
	msg := func(s string) *string { return &s }
	const total, limit = 500, 50
	for _, parallel := range []int{1, 3} {
		// Same message everywhere, different times: read in full.
		p := &Offset[line]{
			Limit: limit, Parallel: parallel,
			Fetch: func(ctx context.Context, offset, lim int) (Page[line], error) {
				items := make([]line, min(lim, total-offset))
				for i := range items {
					items[i] = line{Msg: msg("timer fired"), Time: strconv.Itoa(offset/lim%7 + i)}
				}
				return Page[line]{Items: items, Total: total}, nil
			},
		}
		c := collect(p.All(t.Context()))
		if c.err == nil || !errors.Is(c.err, ErrNotAdvancing) {
			// offset/lim%7: the page at offset 350 repeats the page at offset 0.
			t.Fatalf("parallel %d: a page identical to the one at offset 0 must fail, got %v", parallel, c.err)
		}
		if want := "the server ignored offset: the page repeats the items of the page at offset 0 (page at offset 350)"; c.err.Error() != want {
			t.Errorf("error %q, want %q", c.err, want)
		}
		if len(c.items) != 350 {
			t.Errorf("got %d items before the error, want 350", len(c.items))
		}
		// Every page different (fresh pointers, same content within a page): read in full.
		p.Fetch = func(ctx context.Context, offset, lim int) (Page[line], error) {
			items := make([]line, min(lim, total-offset))
			for i := range items {
				items[i] = line{Msg: msg("timer fired"), Time: strconv.Itoa(offset)}
			}
			return Page[line]{Items: items, Total: total}, nil
		}
		if c := collect(p.All(t.Context())); c.err != nil || len(c.items) != total || p.Requests() != total/limit {
			t.Fatalf("parallel %d: got %d items in %d requests, error %v; want %d in %d", parallel, len(c.items), p.Requests(), c.err, total, total/limit)
		}
	}
}

// TestOffsetChangedRecords: an id that comes back with other content on a
// later page is a record that changed while the pages were read: the copy
// fetched last wins (reported as a Change at the first copy's position),
// identical repeats are dropped silently.
func TestOffsetChangedRecords(t *testing.T) {
	type rec struct{ ID, Status string }
	var page0, page1 []rec
	for i := range 4 {
		page0 = append(page0, rec{"rec-" + strconv.Itoa(i), "SUCCESS"})
	}
	// Page 2 repeats rec-0 identical, rec-1 and rec-3 FAILED, then new records.
	page1 = []rec{page0[0], {"rec-1", "FAILED"}, {"rec-3", "FAILED"}, {"rec-4", "SUCCESS"}}
	page2 := []rec{{"rec-1", "RUNNING"}, {"rec-5", "SUCCESS"}}
	pages := map[int][]rec{0: page0, 4: page1, 8: page2}
	for _, parallel := range []int{1, 4} {
		p := &Offset[rec]{Limit: 4, Parallel: parallel, ID: func(r rec) string { return r.ID },
			Fetch: func(_ context.Context, offset, _ int) (Page[rec], error) {
				return Page[rec]{Items: pages[offset], Total: 10}, nil
			}}
		c := collect(p.All(t.Context()))
		if c.err != nil {
			t.Fatal(c.err)
		}
		want := []rec{page0[0], page0[1], page0[2], page0[3], {"rec-4", "SUCCESS"}, {"rec-5", "SUCCESS"}}
		if !slices.Equal(c.items, want) {
			t.Fatalf("parallel %d: items %v, want %v", parallel, c.items, want)
		}
		wantChanges := []Change[rec]{
			{Index: 1, Old: rec{"rec-1", "SUCCESS"}, New: rec{"rec-1", "RUNNING"}}, // fetched last
			{Index: 3, Old: rec{"rec-3", "SUCCESS"}, New: rec{"rec-3", "FAILED"}},
		}
		got := slices.Clone(p.Changes())
		slices.SortFunc(got, func(a, b Change[rec]) int { return a.Index - b.Index })
		if !slices.Equal(got, wantChanges) || p.Changed() != 2 || p.Dropped() != 1 {
			t.Fatalf("parallel %d: changes %v (changed %d), dropped %d; want %v, 2, 1", parallel, got, p.Changed(), p.Dropped(), wantChanges)
		}
	}
}

// A page whose ids were all yielded before, with the same content, is a
// server that ignored offset; the same ids with other content are changes.
// They pushed as many items past the planned pages: the read asks for one
// page more (empty here), and ends there.
func TestOffsetRepeatedIDsChangedIsNotAnError(t *testing.T) {
	type rec struct{ ID, Status string }
	mk := func(status string) []rec {
		out := make([]rec, 3)
		for i := range out {
			out[i] = rec{"r" + strconv.Itoa(i), status}
		}
		return out
	}
	p := &Offset[rec]{Limit: 3, ID: func(r rec) string { return r.ID },
		Fetch: func(_ context.Context, offset, _ int) (Page[rec], error) {
			switch offset {
			case 0:
				return Page[rec]{Items: mk("SUCCESS"), Total: 6}, nil
			case 3:
				return Page[rec]{Items: mk("FAILED"), Total: 6}, nil
			}
			return Page[rec]{Total: 6}, nil
		}}
	c := collect(p.All(t.Context()))
	if c.err != nil || len(c.items) != 3 || p.Changed() != 3 || p.Requests() != 3 {
		t.Fatalf("items %d, changed %d, %d requests, error %v; want 3, 3, 3, none", len(c.items), p.Changed(), p.Requests(), c.err)
	}
}

// windowAPI serves data like an API with a paging window: a request with
// offset + limit >= window fails the test (and the read).
func windowAPI(t *testing.T, data []int, window int) (*fake, *[]int) {
	t.Helper()
	var mu sync.Mutex
	limits := &[]int{}
	f := &fake{}
	f.serve = func(_ context.Context, _, offset, limit int) (Page[int], error) {
		mu.Lock()
		*limits = append(*limits, limit)
		mu.Unlock()
		if offset+limit >= window {
			t.Errorf("request past the window: offset %d + limit %d >= %d", offset, limit, window)
			return Page[int]{}, errors.New("past the window")
		}
		return slicePage(data, len(data), offset, limit), nil
	}
	return f, limits
}

// TestOffsetWindow: no request goes past the window; the last page's
// limit shrinks; a total the window cannot reach fails at the first page
// unless max_items keeps the read inside, naming the total.
func TestOffsetWindow(t *testing.T) {
	const window = 100 // the API serves offset + limit < 100: 99 items
	t.Run("total within the window", func(t *testing.T) {
		f, limits := windowAPI(t, seq(99), window)
		p := &Offset[int]{Limit: 10, Window: window, Parallel: 3, Fetch: f.fetch}
		c := collect(p.All(context.Background()))
		if c.err != nil || !slices.Equal(c.items, seq(99)) {
			t.Fatalf("err %v, %d items", c.err, len(c.items))
		}
		calls := f.calls()
		slices.Sort(calls)
		if !slices.Equal(calls, offsetsUpTo(99, 10)) {
			t.Errorf("offsets %v", calls)
		}
		// The page at offset 90 asks for 9, not 10.
		if !slices.Contains(*limits, 9) || slices.Max(*limits) != 10 {
			t.Errorf("limits %v, want the last one 9", *limits)
		}
	})
	t.Run("total beyond the window", func(t *testing.T) {
		f, _ := windowAPI(t, seq(250), window)
		p := &Offset[int]{Limit: 10, Window: window, Parallel: 4, Fetch: f.fetch}
		c := collect(p.All(context.Background()))
		var we *WindowError
		if !errors.Is(c.err, ErrWindow) || !errors.As(c.err, &we) || we.Total != 250 || we.Reachable != 99 {
			t.Fatalf("err %v, want a WindowError for 250 of 99", c.err)
		}
		if !strings.Contains(c.err.Error(), "250 items match, more than the 99 one query can reach") {
			t.Errorf("message %q", c.err)
		}
		// It fails before fetching the rest: the first page alone was read.
		if calls := f.calls(); len(calls) != 1 || len(c.items) != 0 || c.afterError != 0 {
			t.Errorf("calls %v, %d items yielded, %d after the error", calls, len(c.items), c.afterError)
		}
	})
	t.Run("max_items inside the window", func(t *testing.T) {
		for _, maxItems := range []int{1, 42, 99} {
			f, _ := windowAPI(t, seq(250), window)
			p := &Offset[int]{Limit: 10, Window: window, MaxItems: maxItems, Parallel: 4, Fetch: f.fetch}
			c := collect(p.All(context.Background()))
			if c.err != nil || !slices.Equal(c.items, seq(maxItems)) {
				t.Fatalf("max_items %d: err %v, %d items", maxItems, c.err, len(c.items))
			}
		}
	})
	t.Run("max_items beyond the window", func(t *testing.T) {
		f, _ := windowAPI(t, seq(250), window)
		p := &Offset[int]{Limit: 10, Window: window, MaxItems: 100, Fetch: f.fetch}
		if c := collect(p.All(context.Background())); !errors.Is(c.err, ErrWindow) {
			t.Fatalf("max_items 100 of a 99 window: err %v", c.err)
		}
	})
	t.Run("total grows past the window while reading", func(t *testing.T) {
		data := seq(99)
		f := &fake{}
		f.serve = func(_ context.Context, _, offset, limit int) (Page[int], error) {
			total := len(data)
			if offset > 0 {
				total = 150
			}
			p := slicePage(data, total, offset, limit)
			return p, nil
		}
		p := &Offset[int]{Limit: 10, Window: window, Fetch: f.fetch}
		if c := collect(p.All(context.Background())); !errors.Is(c.err, ErrWindow) {
			t.Fatalf("err %v, want ErrWindow", c.err)
		}
	})
	t.Run("bad window", func(t *testing.T) {
		for _, w := range []int{-1, 1} {
			p := &Offset[int]{Limit: 10, Window: w, Fetch: (&fake{}).fetch}
			if c := collect(p.All(context.Background())); c.err == nil || !strings.Contains(c.err.Error(), "Window") {
				t.Errorf("Window %d: err %v", w, c.err)
			}
		}
	})
}
