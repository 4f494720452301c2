package framework

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
	args := []string{"name", "ids", "flag", "limit"}
	id := func(v tftypes.Value, extra ...string) string {
		t.Helper()
		s, err := ID("opsaudit_x", v, args, extra...)
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
	other, err := ID("opsaudit_y", base, args, "r1")
	if err != nil || other == id(base, "r1") {
		t.Errorf("the type name must count (%v)", err)
	}
	unknown := tftypes.NewValue(argsType, map[string]tftypes.Value{
		"name": tftypes.NewValue(tftypes.String, tftypes.UnknownValue), "ids": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil),
		"flag": tftypes.NewValue(tftypes.Bool, nil), "limit": tftypes.NewValue(tftypes.Number, nil),
	})
	if _, err := ID("opsaudit_x", unknown, args); err == nil {
		t.Error("an unknown argument cannot give an id")
	}
}

func testResponse() *datasource.ReadResponse {
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"name":  schema.StringAttribute{Optional: true},
		"id":    schema.StringAttribute{Computed: true},
		"items": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{Attributes: ItemSchema([]ItemAttribute{{Name: "a"}, {Name: "n", Number: true}})}},
	}}
	return &datasource.ReadResponse{State: tfsdk.State{Schema: s}}
}

func TestSetStateAndItemType(t *testing.T) {
	ctx := context.Background()
	resp := testResponse()
	cfgType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"name": tftypes.String, "id": tftypes.String,
		"items": tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String, "n": tftypes.Number}}},
	}}
	cfg := tftypes.NewValue(cfgType, map[string]tftypes.Value{
		"name":  tftypes.NewValue(tftypes.String, "given"),
		"id":    tftypes.NewValue(tftypes.String, nil),
		"items": tftypes.NewValue(cfgType.AttributeTypes["items"], nil),
	})
	item, err := ItemType(ctx, resp, "items")
	if err != nil {
		t.Fatal(err)
	}
	a, n := "x", int64(3)
	attrs := []ItemAttribute{{Name: "a"}, {Name: "n", Number: true}}
	err = SetState(ctx, cfg, resp, map[string]tftypes.Value{
		"id":    String("the-id"),
		"items": List(item, []tftypes.Value{Object(item, attrs, Str(&a), Int(&n)), Object(item, attrs, Str(nil), Int(nil))}),
	})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Name  types.String `tfsdk:"name"`
		ID    types.String `tfsdk:"id"`
		Items []struct {
			A types.String `tfsdk:"a"`
			N types.Int64  `tfsdk:"n"`
		} `tfsdk:"items"`
	}
	if diags := resp.State.Get(ctx, &got); diags.HasError() {
		t.Fatal(diags)
	}
	if got.Name.ValueString() != "given" || got.ID.ValueString() != "the-id" || len(got.Items) != 2 ||
		got.Items[0].A.ValueString() != "x" || got.Items[0].N.ValueInt64() != 3 ||
		!got.Items[1].A.IsNull() || !got.Items[1].N.IsNull() {
		t.Fatalf("state: %+v", got)
	}

	if err := SetState(ctx, cfg, testResponse(), map[string]tftypes.Value{"nope": String("x")}); err == nil ||
		!strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("a computed value outside the schema must be refused, got %v", err)
	}
	if err := SetState(ctx, cfg, testResponse(), map[string]tftypes.Value{"id": Int64(1)}); err == nil {
		t.Error("a value of the wrong type must be refused")
	}
	if _, err := ItemType(ctx, resp, "name"); err == nil {
		t.Error("ItemType of a string attribute must fail")
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

func TestCollect(t *testing.T) {
	type item struct{ status *string }
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
	items := []item{{&failed}, {&ok}, {nil}, {&failed}}
	conv := func(it *item) tftypes.Value { return Str(it.status) }
	vals, counts, err := Collect(seq(items, -1), conv, func(it *item) *string { return it.status })
	if err != nil || len(vals) != 4 || counts["FAILED"] != 2 || counts["SUCCESS"] != 1 || len(counts) != 2 || !vals[2].IsNull() {
		t.Fatalf("vals %v counts %v err %v", vals, counts, err)
	}
	if _, counts, _ := Collect(seq(items, -1), conv, nil); counts != nil {
		t.Fatalf("no status function, yet counts %v", counts)
	}
	vals, counts, err = Collect(seq(items, 2), conv, func(it *item) *string { return it.status })
	if err == nil || vals != nil || counts != nil {
		t.Fatalf("an error must leave no partial result: %v %v %v", vals, counts, err)
	}
}
