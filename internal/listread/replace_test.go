package listread

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/paginate"
)

// TestReplaceChanged: an item that came back with other content on a later
// page is replaced, at its index, by the copy fetched last, and its status
// count moves from the old copy's status to the new one's; a count that
// drops to zero leaves the map. Items that did not change stay as they are.
func TestReplaceChanged(t *testing.T) {
	str := func(s string) *string { return &s }
	typ := itemFields.Type()
	status := func(it *item) *string { return it.status }
	items := []item{
		{name: str("a"), status: str("RUNNING")},
		{name: str("b"), status: str("RUNNING")},
		{name: str("c"), status: str("WAITING")},
	}
	vals, counts, err := collect(func(yield func(item, error) bool) {
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
	}, typ, itemFields, status, 0)
	if err != nil {
		t.Fatal(err)
	}
	newB := item{name: str("b2"), status: str("FAILED")}
	newC := item{name: str("c2"), status: str("SUCCESS")}
	replaceChanged(vals, counts, []paginate.Change[item]{
		{Index: 1, Old: items[1], New: newB},
		{Index: 2, Old: items[2], New: newC},
	}, typ, itemFields, status)

	for i, want := range []item{items[0], newB, newC} {
		if w := itemFields.Value(typ, &want); !vals[i].Equal(w) {
			t.Errorf("item %d: %v, want the copy fetched last %v", i, vals[i], w)
		}
	}
	wantCounts := map[string]int64{"RUNNING": 1, "FAILED": 1, "SUCCESS": 1}
	if len(counts) != len(wantCounts) {
		t.Errorf("counts %v, want %v (a status counted zero times leaves the map)", counts, wantCounts)
	}
	for k, n := range wantCounts {
		if counts[k] != n {
			t.Errorf("counts[%s] = %d, want %d (all: %v)", k, counts[k], n, counts)
		}
	}

	// Without a status function only the items change.
	plain := []tftypes.Value{itemFields.Value(typ, &items[0])}
	replaceChanged(plain, nil, []paginate.Change[item]{{Index: 0, Old: items[0], New: newB}}, typ, itemFields, nil)
	if w := itemFields.Value(typ, &newB); !plain[0].Equal(w) {
		t.Errorf("without status counts: %v, want %v", plain[0], w)
	}
}
