package paginate

import (
	"context"
	"strconv"
	"testing"
)

// logLine has the shape of an audit log: 13 optional strings.
type logLine struct {
	A, B, C, D, E, F, G, H, I, J, K, L, M *string
}

func logPage(n, seed int) []logLine {
	out := make([]logLine, n)
	for i := range out {
		s := strconv.Itoa(seed*1000+i) + "-2026-11-20T03:00:00.000Z some text of a typical length"
		out[i] = logLine{&s, &s, &s, &s, &s, &s, &s, &s, &s, &s, &s, &s, &s}
	}
	return out
}

func TestPageKey(t *testing.T) {
	a, b := logPage(50, 1), logPage(50, 1) // equal content, other pointers
	if pageKey(a) != pageKey(b) {
		t.Fatal("equal pages hash differently")
	}
	c := logPage(50, 1)
	x := "other"
	c[49].M = &x
	if pageKey(a) == pageKey(c) {
		t.Fatal("pages differing in one field of the last item hash alike")
	}
	c[49].M = nil
	if pageKey(a) == pageKey(c) {
		t.Fatal("a nil field hashes like a set one")
	}
	if pageKey(a[:49]) == pageKey(a) {
		t.Fatal("a shorter page hashes alike")
	}
}

// A page that differs from an earlier one only between its first, middle
// and last items has the same key, but is compared in full: no error.
func TestOffsetPagesWithTheSameKey(t *testing.T) {
	p := &Offset[logLine]{Limit: 50, Parallel: 2, Fetch: func(_ context.Context, offset, limit int) (Page[logLine], error) {
		page := logPage(50, 1)
		x := "page " + strconv.Itoa(offset)
		page[7].B = &x
		return Page[logLine]{Items: page, Total: 200}, nil
	}}
	c := collect(p.All(t.Context()))
	if c.err != nil || len(c.items) != 200 {
		t.Fatalf("got %d items, error %v; want 200", len(c.items), c.err)
	}
}

// BenchmarkPageKey: the cost per item of filing pages of items without an
// id (audit logs), paid in the fetching goroutines.
func BenchmarkPageKey(b *testing.B) {
	page := logPage(50, 1)
	b.ReportAllocs()
	for b.Loop() {
		pageKey(page)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(page)), "ns/item")
}
