package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// Reflection builds a data source's state the way a framework data
// source does it, as the baseline the fast path (listread's converter and
// tfvalue.State) is compared with and timed against: tagged structs
// (reflect.StructOf, one field per attribute, `tfsdk` tags; the items a
// slice of structs, a nested object a pointer to one), filled from the
// configuration by tfsdk.Config.Get and from the items' JSON, then
// tfsdk.State.Set. It is independent of the declaration's getters: an
// item attribute takes the item's JSON member of the same name, compared
// without case and underscores (task_execution_id is the API's
// TaskExecutionId), as Objects does; a member left out or null is null,
// and a JSON-text field (listread.JSON) holds its member's JSON text,
// compacted.
type Reflection struct {
	schema  dsschema.Schema
	model   reflect.Type // the whole state
	item    *structOf    // an item
	list    int          // the items' field in model
	counts  int          // status_counts' field in model, -1 without
	total   int          // total_count's field in model, -1 without
	id      int
	status  string // the item attribute status_counts counts
	hasList bool
}

// structOf is a struct type made from object attributes.
type structOf struct {
	typ    reflect.Type
	fields []fieldOf // in the struct's field order
}

type fieldOf struct {
	name   string
	kind   listread.Kind
	nested *structOf // a nested object (pointer to its struct)
}

// listAttribute is d's list of items.
func listAttribute(d listread.Declaration) listread.Attribute {
	for _, a := range d.Attributes() {
		if a.Name == d.Spec().List {
			return a
		}
	}
	return listread.Attribute{}
}

// NewReflection makes the reflection path of the data source d.
func NewReflection(d listread.Declaration) (*Reflection, error) {
	ctx := context.Background()
	s := listread.DataSourceSchema(d)
	spec := d.Spec()
	r := &Reflection{schema: s, counts: -1, total: -1, id: -1}
	var fields []reflect.StructField
	for i, name := range sortedNames(s.Attributes) {
		a := s.Attributes[name]
		var t reflect.Type
		switch name {
		case spec.List:
			item, err := newStructOf(listAttribute(d).Nested)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", spec.TypeName, name, err)
			}
			r.item, r.list, r.hasList, t = item, i, true, reflect.SliceOf(item.typ)
		case "status_counts":
			r.counts, t = i, reflect.TypeOf(map[string]int64(nil))
		default:
			t = reflect.TypeOf(a.GetType().ValueType(ctx))
			switch name {
			case "total_count":
				r.total = i
			case "id":
				r.id = i
			}
		}
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: t, Tag: reflect.StructTag(`tfsdk:"` + name + `"`)})
	}
	if !r.hasList || r.id < 0 {
		return nil, fmt.Errorf("%s: no id or no list %q in the schema", spec.TypeName, spec.List)
	}
	if r.counts >= 0 {
		if !slices.ContainsFunc(r.item.fields, func(f fieldOf) bool { return f.name == "status" }) {
			return nil, fmt.Errorf("%s: status_counts, but its items have no status", spec.TypeName)
		}
		r.status = "status"
	}
	r.model = reflect.StructOf(fields)
	return r, nil
}

func newStructOf(attrs []listread.Attribute) (*structOf, error) {
	attrs = slices.Clone(attrs)
	slices.SortFunc(attrs, func(a, b listread.Attribute) int { return strings.Compare(a.Name, b.Name) })
	s := &structOf{}
	var fields []reflect.StructField
	for i, a := range attrs {
		f := fieldOf{name: a.Name, kind: a.Kind}
		var t reflect.Type
		switch a.Kind {
		case listread.Object:
			nested, err := newStructOf(a.Nested)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", a.Name, err)
			}
			f.nested, t = nested, reflect.PointerTo(nested.typ)
		case listread.String, listread.JSONText:
			t = reflect.TypeOf(types.String{})
		case listread.Int64:
			t = reflect.TypeOf(types.Int64{})
		case listread.Bool:
			t = reflect.TypeOf(types.Bool{})
		default:
			return nil, fmt.Errorf("%s: no reflection form of an item field of kind %d: add one here", a.Name, a.Kind)
		}
		s.fields = append(s.fields, f)
		fields = append(fields, reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: t, Tag: reflect.StructTag(`tfsdk:"` + a.Name + `"`)})
	}
	s.typ = reflect.StructOf(fields)
	return s, nil
}

// Items are items' values in the reflection path's form, made once: the
// baseline's timed part is setting them into the model and the
// framework's conversion, as a data source that decoded into its model
// structs would do.
type Items struct {
	values   []reflect.Value // each an item struct
	statuses []*string
}

// Len is the number of items.
func (it *Items) Len() int { return len(it.values) }

// Items converts a JSON array of the API's items into item structs.
func (r *Reflection) Items(items []byte) (*Items, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(items, &raw); err != nil {
		return nil, err
	}
	out := &Items{}
	for i, m := range raw {
		v, err := r.item.value(m)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out.values = append(out.values, v.Elem())
		var status *string
		if r.status != "" {
			if s, ok := v.Elem().FieldByName(r.item.field(r.status)).Interface().(types.String); ok && !s.IsNull() {
				status = s.ValueStringPointer()
			}
		}
		out.statuses = append(out.statuses, status)
	}
	return out, nil
}

// field is the Go name of the struct field of attribute name.
func (s *structOf) field(name string) string {
	for i, f := range s.fields {
		if f.name == name {
			return s.typ.Field(i).Name
		}
	}
	return ""
}

// value is a pointer to a new struct holding the JSON object raw (nil
// for JSON null).
func (s *structOf) value(raw json.RawMessage) (reflect.Value, error) {
	if isNull(raw) {
		return reflect.Zero(reflect.PointerTo(s.typ)), nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return reflect.Value{}, err
	}
	byKey := make(map[string]json.RawMessage, len(members))
	for k, v := range members {
		byKey[fold(k)] = v
	}
	p := reflect.New(s.typ)
	for i, f := range s.fields {
		m := byKey[fold(f.name)]
		var v reflect.Value
		if f.nested != nil {
			var err error
			if v, err = f.nested.value(m); err != nil {
				return reflect.Value{}, fmt.Errorf("%s: %w", f.name, err)
			}
		} else {
			a, err := attrValue(f.kind, m)
			if err != nil {
				return reflect.Value{}, fmt.Errorf("%s: %w", f.name, err)
			}
			v = reflect.ValueOf(a)
		}
		p.Elem().Field(i).Set(v)
	}
	return p, nil
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// attrValue is the framework value of a primitive item field from its
// JSON.
func attrValue(kind listread.Kind, raw json.RawMessage) (any, error) {
	null := isNull(raw)
	switch kind {
	case listread.String:
		if null {
			return types.StringNull(), nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return types.StringValue(s), nil
	case listread.JSONText:
		if null {
			return types.StringNull(), nil
		}
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return nil, err
		}
		return types.StringValue(b.String()), nil
	case listread.Int64:
		if null {
			return types.Int64Null(), nil
		}
		var n int64
		if err := json.Unmarshal(raw, &n); err != nil {
			return nil, err
		}
		return types.Int64Value(n), nil
	case listread.Bool:
		if null {
			return types.BoolNull(), nil
		}
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, err
		}
		return types.BoolValue(b), nil
	}
	return nil, fmt.Errorf("no reflection form of an item field of kind %d", kind)
}

// Model is the configuration config read into the model struct (every
// computed attribute null): what State starts from.
func (r *Reflection) Model(config tftypes.Value) (reflect.Value, error) {
	p := reflect.New(r.model)
	if diags := (tfsdk.Config{Schema: r.schema, Raw: config}).Get(context.Background(), p.Interface()); diags.HasError() {
		return reflect.Value{}, fmt.Errorf("reading the configuration: %v", diags)
	}
	return p.Elem(), nil
}

// State is the reflection path's state: model (from Model) with id, the
// items, their count as total_count and their statuses counted, set by
// tfsdk.State.Set.
func (r *Reflection) State(model reflect.Value, id string, items *Items) (tftypes.Value, error) {
	m := reflect.New(r.model).Elem()
	m.Set(model)
	m.Field(r.id).Set(reflect.ValueOf(types.StringValue(id)))
	list := reflect.MakeSlice(reflect.SliceOf(r.item.typ), len(items.values), len(items.values))
	for i, v := range items.values {
		list.Index(i).Set(v)
	}
	m.Field(r.list).Set(list)
	if r.total >= 0 {
		m.Field(r.total).Set(reflect.ValueOf(types.Int64Value(int64(len(items.values)))))
	}
	if r.counts >= 0 {
		counts := map[string]int64{}
		for _, s := range items.statuses {
			if s != nil {
				counts[*s]++
			}
		}
		m.Field(r.counts).Set(reflect.ValueOf(counts))
	}
	st := tfsdk.State{Schema: r.schema}
	if diags := st.Set(context.Background(), m.Addr().Interface()); diags.HasError() {
		return tftypes.Value{}, fmt.Errorf("tfsdk.State.Set: %v", diags)
	}
	return st.Raw, nil
}

func sortedNames(attrs map[string]dsschema.Attribute) []string {
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Paths are items of the data source d ready for both paths to state, for
// config: decoded by the declaration (the fast path) and made into the
// reflection path's structs, each before anything is compared or timed.
type Paths struct {
	Fast  listread.Decoded
	slow  *Reflection
	items *Items
	model reflect.Value
}

// NewPaths prepares items, a JSON array of the API's items, both ways.
func NewPaths(d listread.Declaration, config tftypes.Value, items []byte) (*Paths, error) {
	fast, err := d.Decode(items)
	if err != nil {
		return nil, err
	}
	r, err := NewReflection(d)
	if err != nil {
		return nil, err
	}
	its, err := r.Items(items)
	if err != nil {
		return nil, err
	}
	if its.Len() != fast.Len() {
		return nil, fmt.Errorf("%d items by reflection, %d decoded", its.Len(), fast.Len())
	}
	model, err := r.Model(config)
	if err != nil {
		return nil, err
	}
	return &Paths{Fast: fast, slow: r, items: its, model: model}, nil
}

// FastState is the state the fast path builds, with id.
func (p *Paths) FastState(config tftypes.Value, id string) (tftypes.Value, error) {
	return p.Fast.State(config, id)
}

// SlowState is the state the reflection path builds, with id.
func (p *Paths) SlowState(id string) (tftypes.Value, error) {
	return p.slow.State(p.model, id, p.items)
}
