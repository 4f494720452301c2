package tfvalue

import (
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var argsType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"name":  tftypes.String,
	"ids":   tftypes.List{ElementType: tftypes.String},
	"flag":  tftypes.Bool,
	"limit": tftypes.Number,
}}

func config(name any, ids []string, flag any, limit any) tftypes.Value {
	var list tftypes.Value
	if ids == nil {
		list = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil)
	} else {
		vals := make([]tftypes.Value, len(ids))
		for i, s := range ids {
			vals[i] = tftypes.NewValue(tftypes.String, s)
		}
		list = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vals)
	}
	return tftypes.NewValue(argsType, map[string]tftypes.Value{
		"name":  tftypes.NewValue(tftypes.String, name),
		"ids":   list,
		"flag":  tftypes.NewValue(tftypes.Bool, flag),
		"limit": tftypes.NewValue(tftypes.Number, limit),
	})
}

func TestIDIsDeterministicAndTellsArgumentsApart(t *testing.T) {
	id := func(v tftypes.Value, extra ...string) string {
		t.Helper()
		s, err := ID("opsaudit_x", v, extra...)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := config("a", []string{"x", "y"}, true, big.NewFloat(7))
	if id(base, "r1") != id(config("a", []string{"x", "y"}, true, big.NewFloat(7)), "r1") {
		t.Fatal("the same arguments must give the same id")
	}
	if len(id(base)) != 32 {
		t.Fatalf("id %q is not 32 hex digits", id(base))
	}
	different := map[string]tftypes.Value{
		"list order":      config("a", []string{"y", "x"}, true, big.NewFloat(7)),
		"null vs empty":   config("", []string{"x", "y"}, true, big.NewFloat(7)),
		"null name":       config(nil, []string{"x", "y"}, true, big.NewFloat(7)),
		"null list":       config("a", nil, true, big.NewFloat(7)),
		"empty list":      config("a", []string{}, true, big.NewFloat(7)),
		"bool":            config("a", []string{"x", "y"}, false, big.NewFloat(7)),
		"number":          config("a", []string{"x", "y"}, true, big.NewFloat(8)),
		"joined elements": config("a", []string{"x,y"}, true, big.NewFloat(7)),
	}
	seen := map[string]string{id(base, "r1"): "base"}
	for name, v := range different {
		got := id(v, "r1")
		if prev, ok := seen[got]; ok {
			t.Errorf("%s gives the same id as %s", name, prev)
		}
		seen[got] = name
	}
	if id(base, "r1") == id(base, "r2") || id(base, "r1", "p") == id(base, "r1p") {
		t.Error("the resolved region and project must count, unambiguously")
	}
	other, err := ID("opsaudit_y", base, "r1")
	if err != nil || other == id(base, "r1") {
		t.Errorf("the type name must count (%v)", err)
	}
	unknown := tftypes.NewValue(argsType, map[string]tftypes.Value{
		"name": tftypes.NewValue(tftypes.String, tftypes.UnknownValue), "ids": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil),
		"flag": tftypes.NewValue(tftypes.Bool, nil), "limit": tftypes.NewValue(tftypes.Number, nil),
	})
	if _, err := ID("opsaudit_x", unknown); err == nil {
		t.Error("an unknown argument cannot give an id")
	}
}

func TestState(t *testing.T) {
	itemType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String, "n": tftypes.Number}}
	cfgType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"name": tftypes.String, "id": tftypes.String, "items": tftypes.List{ElementType: itemType},
	}}
	cfg := tftypes.NewValue(cfgType, map[string]tftypes.Value{
		"name":  tftypes.NewValue(tftypes.String, "given"),
		"id":    tftypes.NewValue(tftypes.String, nil),
		"items": tftypes.NewValue(cfgType.AttributeTypes["items"], nil),
	})
	a, n := "x", int64(3)
	item := func(a *string, n *int64) tftypes.Value {
		return tftypes.NewValue(itemType, map[string]tftypes.Value{"a": Str(a), "n": Int(n)})
	}
	state, err := State(cfg, map[string]tftypes.Value{
		"id":    String("the-id"),
		"items": List(itemType, []tftypes.Value{item(&a, &n), item(nil, nil)}),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := tftypes.NewValue(cfgType, map[string]tftypes.Value{
		"name":  tftypes.NewValue(tftypes.String, "given"),
		"id":    tftypes.NewValue(tftypes.String, "the-id"),
		"items": tftypes.NewValue(cfgType.AttributeTypes["items"], []tftypes.Value{item(&a, &n), item(nil, nil)}),
	})
	if !state.Equal(want) {
		t.Fatalf("state %v, want %v", state, want)
	}
	if _, err := State(cfg, map[string]tftypes.Value{"nope": String("x")}); err == nil ||
		!strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("a computed value outside the schema must be refused, got %v", err)
	}
	if _, err := State(cfg, map[string]tftypes.Value{"id": Int64(1)}); err == nil {
		t.Error("a value of the wrong type must be refused")
	}
}

func TestCountMapAndList(t *testing.T) {
	m := CountMap(map[string]int64{"FAILED": 2})
	var got map[string]tftypes.Value
	if err := m.As(&got); err != nil || len(got) != 1 {
		t.Fatalf("CountMap: %v %v", got, err)
	}
	var f big.Float
	if err := got["FAILED"].As(&f); err != nil || f.Cmp(big.NewFloat(2)) != 0 {
		t.Fatalf("FAILED = %v", got["FAILED"])
	}
	empty := List(tftypes.String, nil)
	if empty.IsNull() {
		t.Fatal("an empty result is an empty list, not null")
	}
}

// TestPrimitivesOfPointers: a nil pointer is null, anything else its
// value, for every field kind a declaration's getter returns.
func TestPrimitivesOfPointers(t *testing.T) {
	yes, no, s, n := true, false, "x", int64(-3)
	for _, tc := range []struct {
		got, want tftypes.Value
	}{
		{Bool(nil), tftypes.NewValue(tftypes.Bool, nil)},
		{Bool(&yes), tftypes.NewValue(tftypes.Bool, true)},
		{Bool(&no), tftypes.NewValue(tftypes.Bool, false)},
		{Str(nil), tftypes.NewValue(tftypes.String, nil)},
		{Str(&s), tftypes.NewValue(tftypes.String, "x")},
		{Int(nil), tftypes.NewValue(tftypes.Number, nil)},
		{Int(&n), tftypes.NewValue(tftypes.Number, -3)},
	} {
		if !tc.got.Equal(tc.want) {
			t.Errorf("%v, want %v", tc.got, tc.want)
		}
	}
}
