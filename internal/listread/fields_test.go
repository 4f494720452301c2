package listread

import (
	"context"
	"encoding/json"
	"testing"

	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	ephschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// every is an item with a field of every kind.
type every struct {
	name   *string
	n      *int64
	ok     *bool
	detail *detail
	params json.RawMessage
}

type detail struct {
	code  *string
	retry *bool
}

var detailFields = Fields[detail]{
	Text("code", "the code", func(d *detail) *string { return d.code }),
	Flag("retry", "retried", func(d *detail) *bool { return d.retry }),
}

var everyFields = Fields[every]{
	Text("name", "the name", func(i *every) *string { return i.name }),
	Number("n", "a number", func(i *every) *int64 { return i.n }),
	Flag("ok", "a flag", func(i *every) *bool { return i.ok }),
	Nested("detail", "an object", func(i *every) *detail { return i.detail }, detailFields),
	JSON("params", "free-form", func(i *every) json.RawMessage { return i.params }),
}

// TestFieldKinds: each kind gives its attribute kind, its type and its
// value; what the API left out (or sent as JSON null) is null.
func TestFieldKinds(t *testing.T) {
	name, n, yes, no, code := "x", int64(3), true, false, "E1"
	typ := everyFields.Type()
	detailType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"code": tftypes.String, "retry": tftypes.Bool}}
	want := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"name": tftypes.String, "n": tftypes.Number, "ok": tftypes.Bool, "detail": detailType, "params": tftypes.String,
	}}
	if !typ.Equal(want) {
		t.Fatalf("type %s, want %s", typ, want)
	}

	full := everyFields.Value(typ, &every{name: &name, n: &n, ok: &yes, detail: &detail{code: &code, retry: &no},
		params: json.RawMessage(` { "b" : [1, 2], "a": "&<x>" } `)})
	wantFull := tftypes.NewValue(typ, map[string]tftypes.Value{
		"name": tftypes.NewValue(tftypes.String, "x"), "n": tftypes.NewValue(tftypes.Number, 3),
		"ok": tftypes.NewValue(tftypes.Bool, true),
		"detail": tftypes.NewValue(detailType, map[string]tftypes.Value{
			"code": tftypes.NewValue(tftypes.String, "E1"), "retry": tftypes.NewValue(tftypes.Bool, false)}),
		"params": tftypes.NewValue(tftypes.String, `{"b":[1,2],"a":"&<x>"}`),
	})
	if !full.Equal(wantFull) {
		t.Errorf("value %v, want %v", full, wantFull)
	}

	for _, absent := range []every{{}, {detail: &detail{}, params: json.RawMessage(" null ")}} {
		var m map[string]tftypes.Value
		if err := everyFields.Value(typ, &absent).As(&m); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"name", "n", "ok", "params"} {
			if !m[f].IsNull() {
				t.Errorf("%+v: %s = %v, want null", absent, f, m[f])
			}
		}
		var d map[string]tftypes.Value
		switch err := m["detail"].As(&d); {
		case err != nil:
			t.Fatal(err)
		case absent.detail == nil && !m["detail"].IsNull():
			t.Errorf("an object left out must be null: %v", m["detail"])
		case absent.detail != nil && (m["detail"].IsNull() || !d["code"].IsNull() || !d["retry"].IsNull()):
			t.Errorf("an object without its fields: %v, want an object of nulls", m["detail"])
		}
	}

	attrs := everyFields.Attributes()
	kinds := []Kind{String, Int64, Bool, Object, JSONText}
	for i, a := range attrs {
		if a.Kind != kinds[i] || !a.Computed || a.Description == "" {
			t.Errorf("attribute %s: %+v, want kind %d, computed, described", a.Name, a, kinds[i])
		}
	}
	if len(attrs[3].Nested) != 2 || attrs[3].Nested[1].Kind != Bool || attrs[3].Nested[0].Name != "code" {
		t.Errorf("the object's attributes: %+v", attrs[3].Nested)
	}
}

// TestFieldKindsRender: the new kinds render as the framework's computed
// bool, single nested and string attributes, in the data source's schema
// and its ephemeral twin's, and the schema's type is the converter's.
func TestFieldKindsRender(t *testing.T) {
	d := &Offset[every, struct{}]{API: API{TypeName: "test_every", Description: "d", List: "items",
		ListDescription: "items", Items: "items"}, Fields: everyFields}
	ds := DataSourceSchema(d)
	items, ok := ds.Attributes["items"].(dsschema.ListNestedAttribute)
	if !ok {
		t.Fatalf("items: %T", ds.Attributes["items"])
	}
	got := items.NestedObject.Attributes
	if a, ok := got["ok"].(dsschema.BoolAttribute); !ok || !a.Computed || a.MarkdownDescription != "a flag" {
		t.Errorf("ok: %#v", got["ok"])
	}
	if a, ok := got["params"].(dsschema.StringAttribute); !ok || !a.Computed || a.CustomType != nil {
		t.Errorf("params: %#v (a plain string: a type with semantic equality would end direct reads)", got["params"])
	}
	obj, ok := got["detail"].(dsschema.SingleNestedAttribute)
	if !ok || !obj.Computed || obj.MarkdownDescription != "an object" {
		t.Fatalf("detail: %#v", got["detail"])
	}
	if a, ok := obj.Attributes["retry"].(dsschema.BoolAttribute); !ok || !a.Computed {
		t.Errorf("detail.retry: %#v", obj.Attributes["retry"])
	}
	ctx := context.Background()
	elem := ds.Type().TerraformType(ctx).(tftypes.Object).AttributeTypes["items"].(tftypes.List).ElementType
	if !elem.Equal(everyFields.Type()) {
		t.Errorf("schema's item type %s, converter's %s", elem, everyFields.Type())
	}
	eph := EphemeralSchema(d)
	eItems := eph.Attributes["items"].(ephschema.ListNestedAttribute).NestedObject.Attributes
	if _, ok := eItems["detail"].(ephschema.SingleNestedAttribute); !ok {
		t.Errorf("ephemeral detail: %T", eItems["detail"])
	}
	if !eph.Type().TerraformType(ctx).Equal(ds.Type().TerraformType(ctx)) {
		t.Error("the ephemeral twin's type differs from the data source's")
	}
}

// TestItemBytesOfEveryKind: the memory budget counts every kind: a
// string's bytes, 8 for a number, 1 for a bool, a nested object's fields
// (each with FieldBytes), a JSON text's bytes, and FieldBytes per field.
func TestItemBytesOfEveryKind(t *testing.T) {
	name, n, yes, code := "abc", int64(3), true, "E1"
	full := every{name: &name, n: &n, ok: &yes, detail: &detail{code: &code, retry: &yes}, params: json.RawMessage(`{"a":1}`)}
	want := 5*FieldBytes + 3 + 8 + 1 + (2*FieldBytes + 2 + 1) + 7
	if got := everyFields.ItemBytes(&full); got != int64(want) {
		t.Errorf("ItemBytes %d, want %d", got, want)
	}
	// Numbers and bools are counted whether set or not, as their values
	// take the same room.
	if got := everyFields.ItemBytes(&every{}); got != 5*FieldBytes+8+1 {
		t.Errorf("an item of nothing: ItemBytes %d, want %d", got, 5*FieldBytes+8+1)
	}
}
