package listread

import (
	"context"
	"errors"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

type item struct {
	name   *string
	n      *int64
	status *string
}

var itemFields = Fields[item]{
	Text("name", "the name", func(i *item) *string { return i.name }),
	Number("n", "a number", func(i *item) *int64 { return i.n }),
}

func TestFieldsAreTheConverter(t *testing.T) {
	name, n := "x", int64(3)
	typ := itemFields.Type()
	v := itemFields.Value(typ, &item{name: &name, n: &n})
	want := tftypes.NewValue(typ, map[string]tftypes.Value{
		"name": tftypes.NewValue(tftypes.String, "x"), "n": tftypes.NewValue(tftypes.Number, 3),
	})
	if !v.Equal(want) {
		t.Fatalf("value %v, want %v", v, want)
	}
	empty := itemFields.Value(typ, &item{})
	var m map[string]tftypes.Value
	if err := empty.As(&m); err != nil || !m["name"].IsNull() || !m["n"].IsNull() {
		t.Fatalf("absent fields must be null: %v %v", m, err)
	}
	attrs := itemFields.Attributes()
	if len(attrs) != 2 || attrs[0].Kind != String || attrs[1].Kind != Int64 || !attrs[0].Computed || attrs[1].Description != "a number" {
		t.Fatalf("attributes %+v", attrs)
	}
}

func TestCollect(t *testing.T) {
	failed, ok := "FAILED", "SUCCESS"
	seq := func(items []item, errAt int) func(func(item, error) bool) {
		return func(yield func(item, error) bool) {
			for i, it := range items {
				if i == errAt {
					yield(item{}, errors.New("page 2 failed"))
					return
				}
				if !yield(it, nil) {
					return
				}
			}
		}
	}
	items := []item{{status: &failed}, {status: &ok}, {}, {status: &failed}}
	typ := itemFields.Type()
	status := func(it *item) *string { return it.status }
	vals, counts, err := collect(seq(items, -1), typ, itemFields, status, 0)
	if err != nil || len(vals) != 4 || counts["FAILED"] != 2 || counts["SUCCESS"] != 1 || len(counts) != 2 {
		t.Fatalf("vals %v counts %v err %v", vals, counts, err)
	}
	if _, counts, _ := collect(seq(items, -1), typ, itemFields, nil, 0); counts != nil {
		t.Fatalf("no status function, yet counts %v", counts)
	}
	vals, counts, err = collect(seq(items, 2), typ, itemFields, status, 0)
	if err == nil || vals != nil || counts != nil {
		t.Fatalf("an error must leave no partial result: %v %v %v", vals, counts, err)
	}
}

func TestRequest(t *testing.T) {
	api := &API{Args: []Attribute{
		{Name: "s", Query: "S"},
		{Name: "b", Kind: Bool, Query: "B"},
		{Name: "f", Kind: Bool, Query: "F"},
		{Name: "l", Kind: StringList, Query: "L"},
		{Name: "t", Kind: Time, Query: "T"},
		{Name: "unset", Query: "U"},
		{Name: "path"},
		{Name: "x", Body: "x"},
		{Name: "y", Body: "why"},
		{Name: "z", Body: "z"},
	}}
	str := func(v any) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	list := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("a"), str("b&c")})
	r, err := api.Request(Args{
		"s": str("v"), "b": tftypes.NewValue(tftypes.Bool, true), "f": tftypes.NewValue(tftypes.Bool, false),
		"l": list, "t": str("2026-11-20T00:00:00Z"), "unset": str(nil), "path": str("p"),
		"x": str(`<&"`), "y": str("2"), "z": str(tftypes.UnknownValue),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"S": {"v"}, "B": {"true"}, "F": {"false"}, "L": {"a", "b&c"}, "T": {"2026-11-20T00:00:00Z"}}
	if r.Query.Encode() != want.Encode() {
		t.Errorf("query %v, want %v", r.Query, want)
	}
	if got := string(r.Body); got != `{"x":"<&\"","why":"2"}` {
		t.Errorf("body %s", got)
	}
	if r.Args.String("path") != "p" || r.Args.String("unset") != "" || r.Args.String("missing") != "" {
		t.Error("Args.String")
	}
	q := r.PageQuery()
	q.Add("L", "more")
	if len(r.Query["L"]) != 2 {
		t.Error("PageQuery must copy")
	}
	none, err := (&API{Args: []Attribute{{Name: "s", Query: "S"}}}).Request(Args{"s": str(nil)})
	if err != nil || none.Body != nil || len(none.Query) != 0 {
		t.Errorf("no body field, no body: %q %v %v", none.Body, none.Query, err)
	}
}

type drift struct {
	first, last int
	drifted     bool
	dedup       bool
}

func (d drift) Drift() (int, int, bool) { return d.first, d.last, d.drifted }
func (d drift) Deduplicates() bool      { return d.dedup }

func TestWarnDrift(t *testing.T) {
	var diags diag.Diagnostics
	if WarnDrift(&diags, "logs", drift{}, true) || len(diags) != 0 {
		t.Fatalf("no drift, no diagnostic: %v", diags)
	}
	if WarnDrift(&diags, "logs", drift{first: 10, last: 12, drifted: true}, false) || diags.HasError() || diags.WarningsCount() != 1 ||
		!strings.Contains(diags[0].Detail(), "changed from 10 to 12") || !strings.Contains(diags[0].Detail(), "carry no id") {
		t.Fatalf("drift: %v", diags)
	}
	diags = nil
	if !WarnDrift(&diags, "logs", drift{first: 10, last: 9, drifted: true, dedup: true}, true) || !diags.HasError() ||
		!strings.Contains(diags[0].Detail(), `on_drift = "fail"`) || !strings.Contains(diags[0].Detail(), "No item appears twice") {
		t.Fatalf("on_drift = fail: %v", diags)
	}
}

func TestReadTimeout(t *testing.T) {
	ctx := context.Background()
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"read": tftypes.String}}
	for _, tc := range []struct {
		v    tftypes.Value
		want time.Duration
		fail bool
	}{
		{tftypes.NewValue(typ, nil), DefaultReadTimeout, false},
		{tftypes.NewValue(typ, map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, nil)}), DefaultReadTimeout, false},
		{tftypes.NewValue(typ, map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, "90s")}), 90 * time.Second, false},
		{tftypes.NewValue(typ, map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, "soon")}), 0, true},
		{tftypes.NewValue(typ, map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, "0s")}), 0, true},
	} {
		got, err := readTimeout(ctx, Args{"timeouts": tc.v})
		if (err != nil) != tc.fail || got != tc.want {
			t.Errorf("%v: %v %v, want %v (fails: %v)", tc.v, got, err, tc.want, tc.fail)
		}
	}
	if DefaultReadTimeout != 20*time.Minute {
		t.Errorf("the documented default is 20m, not %s", DefaultReadTimeout)
	}
	if got, err := readTimeout(ctx, Args{}); err != nil || got != DefaultReadTimeout {
		t.Errorf("no timeouts attribute: %v %v", got, err)
	}
}

func TestCodeAndOrList(t *testing.T) {
	if got := CodeList([]string{"A", "B", "C"}); got != "`A`, `B`, `C`" {
		t.Errorf("CodeList: %s", got)
	}
	for _, tc := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"A"}, "`A`"}, {[]string{"A", "B"}, "`A` or `B`"}, {[]string{"A", "B", "C"}, "`A`, `B` or `C`"}} {
		if got := OrList(tc.in); got != tc.want {
			t.Errorf("OrList(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestCountBetween: whole numbers in the range pass; anything else, a
// value no int64 holds and fractions included, gives the range and the
// value.
func TestCountBetween(t *testing.T) {
	v := countBetween{lo: 1, hi: 9999, why: "why"}
	for in, want := range map[string]string{
		"1": "", "9999": "", "9.999e3": "",
		"0":                   "must be a whole number from 1 to 9,999, got 0: why",
		"10000":               "got 10000",
		"1.5":                 "got 1.5",
		"-1":                  "got -1",
		"9223372036854775807": "got 9223372036854775807",
		"9223372036854775808": "got 9223372036854775808",
		"1e300":               "got 1e+300",
	} {
		f, _, err := big.ParseFloat(in, 10, 256, big.ToNearestEven)
		if err != nil {
			t.Fatal(err)
		}
		got := v.check(f)
		switch {
		case want == "" && got != nil:
			t.Errorf("%s: %v", in, got)
		case want != "" && (got == nil || !strings.Contains(got.Error(), want)):
			t.Errorf("%s: %v, want %q", in, got, want)
		}
	}
}

// TestCollectBudget: collect counts what each item holds as the items
// arrive and stops at the first one that passes the budget, without
// ranging further over the items (the pager then cancels its pages).
func TestCollectBudget(t *testing.T) {
	type item struct{ S *string }
	fields := Fields[item]{Text("s", "", func(i *item) *string { return i.S })}
	big := strings.Repeat("x", 1000)
	per := FieldBytes + int64(len(big))
	pulled := 0
	items := func(yield func(item, error) bool) {
		for range 100 {
			pulled++
			if !yield(item{&big}, nil) {
				return
			}
		}
	}
	if got := fields.ItemBytes(&item{&big}); got != per {
		t.Fatalf("ItemBytes %d, want %d", got, per)
	}
	if got := fields.ItemBytes(&item{}); got != FieldBytes {
		t.Fatalf("ItemBytes of a null field %d, want %d", got, FieldBytes)
	}
	_, _, err := collect(items, fields.Type(), fields, nil, 10*per)
	var be *BudgetError
	if !errors.As(err, &be) || be.Items != 11 || be.Held != 11*per || be.Budget != 10*per || pulled != 11 {
		t.Fatalf("error %v (%+v), %d items pulled; want a BudgetError at the 11th item", err, be, pulled)
	}
	if msg := err.Error(); !strings.Contains(msg, "max_read_bytes = 11600") || !strings.Contains(msg, "the 11 items read so far hold about 12760 bytes") {
		t.Fatalf("error %q does not name max_read_bytes and what was held", msg)
	}
	pulled = 0
	vals, _, err := collect(items, fields.Type(), fields, nil, 100*per)
	if err != nil || len(vals) != 100 {
		t.Fatalf("within the budget: %d items, error %v", len(vals), err)
	}
}
