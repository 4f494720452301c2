package listread

import (
	"bytes"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/tfvalue"
)

// fieldKind is what a Field holds, and so its attribute's kind and type.
type fieldKind uint8

const (
	textField   fieldKind = iota // a string (Text)
	numberField                  // a whole number (Number)
	flagField                    // a bool (Flag)
	objectField                  // an object of a declared shape (Nested)
	jsonField                    // a value of a free shape, as JSON text (JSON)
)

// Field is one attribute of a result item: its name, its description and
// its getter. A declaration's list of fields is both the item schema and
// the converter, so a value cannot land under another field's name.
//
// A getter's result is read at once and never kept: the read converts
// every item from one variable (collect).
//
// The kinds are the framework's: Text, Number and Flag are string, int64
// and bool attributes; Nested is a nested attribute (an object whose
// attributes are fields of their own); JSON is a string attribute holding
// the JSON text of a value whose shape the API does not fix.
type Field[T any] struct {
	Name        string
	Description string
	kind        fieldKind
	str         func(*T) *string
	num         func(*T) *int64
	flag        func(*T) *bool
	raw         func(*T) json.RawMessage
	// A Nested field's value (null when the API left it out), type,
	// attributes and what its value holds (ItemBytes).
	obj      func(*T) tftypes.Value
	objType  tftypes.Object
	nested   []Attribute
	objBytes func(*T) int64
}

// Text is a string field; get returns nil for a field the API left out
// (null in state).
func Text[T any](name, description string, get func(*T) *string) Field[T] {
	return Field[T]{Name: name, Description: description, kind: textField, str: get}
}

// Number is a whole-number field; get returns nil for a field the API
// left out (null in state).
func Number[T any](name, description string, get func(*T) *int64) Field[T] {
	return Field[T]{Name: name, Description: description, kind: numberField, num: get}
}

// Flag is a bool field; get returns nil for a field the API left out
// (null in state).
func Flag[T any](name, description string, get func(*T) *bool) Field[T] {
	return Field[T]{Name: name, Description: description, kind: flagField, flag: get}
}

// Nested is a field holding an object of a shape the API declares (its
// SDK model names the object's fields): a nested attribute whose
// attributes are fields, read from U. get returns nil for an object the
// API left out (null in state); fields the object leaves out are null.
func Nested[T, U any](name, description string, get func(*T) *U, fields Fields[U]) Field[T] {
	typ := fields.Type()
	null := tftypes.NewValue(typ, nil)
	return Field[T]{Name: name, Description: description, kind: objectField, objType: typ, nested: fields.Attributes(),
		obj: func(item *T) tftypes.Value {
			u := get(item)
			if u == nil {
				return null
			}
			return fields.Value(typ, u)
		},
		objBytes: func(item *T) int64 {
			if u := get(item); u != nil {
				return fields.ItemBytes(u)
			}
			return 0
		}}
}

// JSON is a field holding a value whose shape the API does not fix (a map
// of parameters of its own): a string attribute with the value's JSON
// text, compacted (jsondecode() reads it). get returns the value as
// answered (a json.RawMessage field of the item struct); nil, empty or
// JSON null is null in state.
func JSON[T any](name, description string, get func(*T) json.RawMessage) Field[T] {
	return Field[T]{Name: name, Description: description, kind: jsonField, raw: get}
}

// value is the field's value for item.
func (f *Field[T]) value(item *T) tftypes.Value {
	switch f.kind {
	case numberField:
		return tfvalue.Int(f.num(item))
	case flagField:
		return tfvalue.Bool(f.flag(item))
	case objectField:
		return f.obj(item)
	case jsonField:
		return jsonText(f.raw(item))
	}
	return tfvalue.Str(f.str(item))
}

// jsonText is raw's JSON text, compacted; null for nothing or JSON null.
// The decoder has checked raw, so compacting cannot fail; if it did, the
// text is kept as answered.
func jsonText(raw json.RawMessage) tftypes.Value {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return tfvalue.Str(nil)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return tfvalue.String(string(raw))
	}
	return tfvalue.String(b.String())
}

// Fields is the item type's fields, in the order the documentation lists
// them.
type Fields[T any] []Field[T]

// Attributes are the fields as computed attributes of the item object.
func (fs Fields[T]) Attributes() []Attribute {
	out := make([]Attribute, len(fs))
	for i, f := range fs {
		out[i] = Attribute{Name: f.Name, Kind: String, Computed: true, Description: f.Description}
		switch f.kind {
		case numberField:
			out[i].Kind = Int64
		case flagField:
			out[i].Kind = Bool
		case objectField:
			out[i].Kind, out[i].Nested = Object, f.nested
		case jsonField:
			out[i].Kind = JSONText
		}
	}
	return out
}

// Type is the object type of an item.
func (fs Fields[T]) Type() tftypes.Object {
	m := make(map[string]tftypes.Type, len(fs))
	for _, f := range fs {
		switch f.kind {
		case numberField:
			m[f.Name] = tftypes.Number
		case flagField:
			m[f.Name] = tftypes.Bool
		case objectField:
			m[f.Name] = f.objType
		default:
			m[f.Name] = tftypes.String
		}
	}
	return tftypes.Object{AttributeTypes: m}
}

// ItemBytes is the memory estimate of one collected item, which the read's
// budget (max_read_bytes) counts: the bytes of its strings (and of its
// JSON texts), 8 for each number, 1 for each bool, what a nested object's
// fields hold, and FieldBytes for each field. The strings are what grows
// with what a server sends (an 80 KB log message); the per-field part is
// what holding any value costs, so that a read of many small items is
// counted near what it holds too (2.1 KB for a 13-field item of 130 bytes
// of strings). The bytes of the item's JSON would count escapes and
// punctuation the read does not hold, and the Go struct only pointers.
func (fs Fields[T]) ItemBytes(item *T) int64 {
	var n int64
	for i := range fs {
		f := &fs[i]
		n += FieldBytes
		switch f.kind {
		case numberField:
			n += 8
		case flagField:
			n++
		case objectField:
			n += f.objBytes(item)
		case jsonField:
			n += int64(len(f.raw(item)))
		default:
			if s := f.str(item); s != nil {
				n += int64(len(*s))
			}
		}
	}
	return n
}

// Value converts an item to its object value of type t (Type()).
func (fs Fields[T]) Value(t tftypes.Object, item *T) tftypes.Value {
	m := make(map[string]tftypes.Value, len(fs))
	for i := range fs {
		m[fs[i].Name] = fs[i].value(item)
	}
	return tftypes.NewValue(t, m)
}
