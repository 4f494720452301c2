package catalog_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// The fast path to state (the declaration's fields as the converter,
// tfvalue.State) against the framework's reflection path (tagged structs,
// tfsdk.State.Set: acctest.Reflection), for every data source of the
// catalog and for a declaration with a field of every kind: the two states
// must be equal, value for value.

// variants are items with every shape an item of the API can take:
// the emulator's items as they are, then, for each item field in turn,
// one with its member left out and one with it JSON null.
func variants(t *testing.T, d listread.Declaration, items []byte) []byte {
	t.Helper()
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(items, &raw); err != nil {
		t.Fatal(err)
	}
	fields := itemFields(d)
	if len(raw) < 2*len(fields) {
		t.Fatalf("%d items for %d fields: too few to vary each", len(raw), len(fields))
	}
	for i, f := range fields {
		for j, null := range []bool{false, true} {
			item := raw[2*i+j]
			k := member(item, f.Name)
			if k == "" {
				t.Fatalf("the emulator's items have no member for %s", f.Name)
			}
			if null {
				item[k] = json.RawMessage("null")
			} else {
				delete(item, k)
			}
		}
	}
	out, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// itemFields are the item attributes of d.
func itemFields(d listread.Declaration) []listread.Attribute {
	for _, a := range d.Attributes() {
		if a.Name == d.Spec().List {
			return a.Nested
		}
	}
	return nil
}

// member is the member of item that attribute name is read from.
func member(item map[string]json.RawMessage, name string) string {
	fold := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
	for k := range item {
		if fold(k) == fold(name) {
			return k
		}
	}
	return ""
}

// compareStates reads items with d both ways for config and fails on
// the first difference.
func compareStates(t *testing.T, d listread.Declaration, config tftypes.Value, items []byte) {
	t.Helper()
	p, err := acctest.NewPaths(d, config, items)
	if err != nil {
		t.Fatal(err)
	}
	fast, err := p.FastState(config, "0123abcd")
	if err != nil {
		t.Fatalf("fast path: %v", err)
	}
	slow, err := p.SlowState("0123abcd")
	if err != nil {
		t.Fatalf("reflection path: %v", err)
	}
	if fast.Equal(slow) {
		return
	}
	diffs, err := fast.Diff(slow)
	if err != nil {
		t.Fatalf("the fast and reflection paths differ, and diffing failed: %v", err)
	}
	for i, df := range diffs {
		if i == 5 {
			t.Errorf("... %d differences in all", len(diffs))
			break
		}
		t.Errorf("at %s: fast %s, reflection %s", df.Path, df.Value1, df.Value2)
	}
	t.FailNow()
}

// configs are configurations of d: its fixture's arguments alone, and
// every argument set (sample).
func configs(d listread.Declaration, args map[string]tftypes.Value) map[string]tftypes.Value {
	typ := listread.DataSourceSchema(d).Type().TerraformType(context.Background()).(tftypes.Object)
	all := map[string]tftypes.Value{}
	for k, v := range args {
		all[k] = v
	}
	for _, a := range d.Attributes() {
		if _, set := all[a.Name]; !set && !a.Computed {
			all[a.Name] = sample(a)
		}
	}
	return map[string]tftypes.Value{"fixture arguments": acctest.Object(typ, args), "every argument": acctest.Object(typ, all)}
}

func TestFastPathEqualsReflection(t *testing.T) {
	for _, f := range acctest.Fixtures() {
		d := catalog.ByTypeName(f.TypeName)
		t.Run(f.Name, func(t *testing.T) {
			items, err := acctest.ItemsJSON(f, emulator.DefaultSeed, 60)
			if err != nil {
				t.Fatal(err)
			}
			for name, config := range configs(d, acctest.StringValues(f.Args)) {
				t.Run(name, func(t *testing.T) {
					t.Run("every item shape", func(t *testing.T) { compareStates(t, d, config, variants(t, d, items)) })
					// No items: an empty list (and an empty status_counts
					// map), not null, so that policies can use length()
					// without a null check.
					t.Run("no items", func(t *testing.T) { compareStates(t, d, config, []byte(`[]`)) })
				})
			}
		})
	}
}

// kinds is a declaration with an item field of every kind; none of the
// catalog's APIs answers a bool or an object today.
type kindsItem struct {
	Name   *string         `json:"name"`
	Count  *int64          `json:"count"`
	Done   *bool           `json:"done"`
	Detail *kindsDetail    `json:"detail"`
	Params json.RawMessage `json:"params"`
	Status *string         `json:"status"`
}

type kindsDetail struct {
	Code  *string `json:"code"`
	Retry *bool   `json:"retry"`
	Tries *int64  `json:"tries"`
}

var kinds = &listread.Offset[kindsItem, struct{}]{
	API: listread.API{TypeName: "opsaudit_test_kinds", Description: "Every field kind.", What: "test items", Items: "items",
		Args: []listread.Attribute{{Name: "flag", Kind: listread.Bool, Query: "flag", Description: "A flag (`flag`)."}},
		List: "items", ListDescription: "The items.", TotalCount: "All matches.", StatusCounts: "By status."},
	Fields: listread.Fields[kindsItem]{
		listread.Text("name", "(`name`)", func(i *kindsItem) *string { return i.Name }),
		listread.Number("count", "(`count`)", func(i *kindsItem) *int64 { return i.Count }),
		listread.Flag("done", "(`done`)", func(i *kindsItem) *bool { return i.Done }),
		listread.Nested("detail", "(`detail`)", func(i *kindsItem) *kindsDetail { return i.Detail }, listread.Fields[kindsDetail]{
			listread.Text("code", "(`code`)", func(d *kindsDetail) *string { return d.Code }),
			listread.Flag("retry", "(`retry`)", func(d *kindsDetail) *bool { return d.Retry }),
			listread.Number("tries", "(`tries`)", func(d *kindsDetail) *int64 { return d.Tries }),
		}),
		listread.JSON("params", "(`params`)", func(i *kindsItem) json.RawMessage { return i.Params }),
		listread.Text("status", "(`status`)", func(i *kindsItem) *string { return i.Status }),
	},
	Status: func(i *kindsItem) *string { return i.Status },
}

func TestFastPathEqualsReflectionEveryKind(t *testing.T) {
	items := []byte(`[
	  {"name":"a","count":1,"done":true,"detail":{"code":"E1","retry":false,"tries":3},"params":{"b":[1,2],"a":"&<x>"},"status":"OK"},
	  {"name":"b","count":-2,"done":false,"detail":{"code":"E2"},"params":[ "x" , 2 ],"status":"FAILED"},
	  {"name":"c","detail":null,"params":"text","status":"OK"},
	  {"Name":"d","Done":null,"Detail":{},"Params":null},
	  {"params":7.5, "detail":{"retry":true,"tries":null}},
	  {}
	]`)
	typ := listread.DataSourceSchema(kinds).Type().TerraformType(context.Background()).(tftypes.Object)
	for name, flag := range map[string]any{"flag unset": nil, "flag set": true} {
		t.Run(name, func(t *testing.T) {
			compareStates(t, kinds, acctest.Object(typ, map[string]tftypes.Value{"flag": tftypes.NewValue(tftypes.Bool, flag)}), items)
		})
	}
	// Not equal by chance: the fast path holds every kind's value.
	dec, err := kinds.Decode(items)
	if err != nil {
		t.Fatal(err)
	}
	state, err := dec.State(acctest.Object(typ, nil), "x")
	if err != nil {
		t.Fatal(err)
	}
	at := func(path *tftypes.AttributePath) tftypes.Value {
		v, _, err := tftypes.WalkAttributePath(state, path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return v.(tftypes.Value)
	}
	item := func(i int) *tftypes.AttributePath {
		return tftypes.NewAttributePath().WithAttributeName("items").WithElementKeyInt(i)
	}
	for _, c := range []struct {
		path *tftypes.AttributePath
		want tftypes.Value
	}{
		{item(0).WithAttributeName("done"), tftypes.NewValue(tftypes.Bool, true)},
		{item(0).WithAttributeName("detail").WithAttributeName("retry"), tftypes.NewValue(tftypes.Bool, false)},
		{item(0).WithAttributeName("params"), tftypes.NewValue(tftypes.String, `{"b":[1,2],"a":"&<x>"}`)},
		{item(1).WithAttributeName("params"), tftypes.NewValue(tftypes.String, `["x",2]`)},
		{item(2).WithAttributeName("params"), tftypes.NewValue(tftypes.String, `"text"`)},
		{item(3).WithAttributeName("detail").WithAttributeName("code"), tftypes.NewValue(tftypes.String, nil)},
		{item(4).WithAttributeName("detail").WithAttributeName("retry"), tftypes.NewValue(tftypes.Bool, true)},
	} {
		if got := at(c.path); !got.Equal(c.want) {
			t.Errorf("%s = %s, want %s", c.path, got, c.want)
		}
	}
	if v := at(item(2).WithAttributeName("detail")); !v.IsNull() {
		t.Errorf("a null object must be null: %s", v)
	}
}
