// Package tfvalue builds Terraform protocol values (tftypes.Value)
// directly: the state of a read, its deterministic id, and the primitive,
// list and map values of items. It knows no cloud and no data source.
package tfvalue

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The fast path to state.
//
// The framework's tfsdk.State.Set walks tagged structs by reflection and
// builds attr.Values before converting them to protocol values; for ten
// thousand records that costs seconds and most of a gigabyte. Data sources
// here instead build the protocol value (tftypes.Value) of the whole state
// directly: arguments are copied from the configuration's own value,
// computed attributes come from one converter per item. Types come from the
// schema itself (ObjectType, ElementType), so the values cannot drift from
// what the schema declares; a test iterating the catalog compares the
// result with the reflection path for every data source
// (internal/catalog/state_test.go).

// ElementType returns the element type of the list (or map or set)
// attribute name of object type t. It panics when the attribute is not a
// collection: a schema and its caller out of step is a programming error.
func ElementType(t tftypes.Object, name string) tftypes.Type {
	switch at := t.AttributeTypes[name].(type) {
	case tftypes.List:
		return at.ElementType
	case tftypes.Map:
		return at.ElementType
	case tftypes.Set:
		return at.ElementType
	}
	panic(fmt.Sprintf("attribute %q is not a collection", name))
}

// State is the state of a read: the configuration with the computed
// attributes replaced by the given values. Attributes not in computed keep
// the configuration's value (null for unset optional arguments). The
// configuration's type is the schema's type, so the state's is too.
func State(config tftypes.Value, computed map[string]tftypes.Value) (tftypes.Value, error) {
	typ, ok := config.Type().(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("the configuration is not an object")
	}
	var attrs map[string]tftypes.Value
	if err := config.As(&attrs); err != nil {
		return tftypes.Value{}, fmt.Errorf("reading configuration value: %w", err)
	}
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		if v, ok := computed[name]; ok {
			vals[name] = v
			continue
		}
		if v, ok := attrs[name]; ok {
			vals[name] = v
			continue
		}
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name := range computed {
		if _, ok := typ.AttributeTypes[name]; !ok {
			return tftypes.Value{}, fmt.Errorf("computed attribute %q is not in the schema", name)
		}
	}
	if err := tftypes.ValidateValue(typ, vals); err != nil {
		return tftypes.Value{}, fmt.Errorf("state does not match the schema: %w", err)
	}
	return tftypes.NewValue(typ, vals), nil
}

// The primitive types as tftypes.Type interface values, converted once:
// tftypes.String and tftypes.Number are structs, and converting one to the
// interface tftypes.NewValue takes allocates a copy on every call (a third
// of the allocations of a string value). Null values hold nothing that can
// change, so one of each is shared.
var (
	stringType tftypes.Type = tftypes.String
	numberType tftypes.Type = tftypes.Number
	nullString              = tftypes.NewValue(stringType, nil)
	nullNumber              = tftypes.NewValue(numberType, nil)
	// A bool holds nothing that can change either: the three values are
	// shared.
	nullBool  = tftypes.NewValue(boolType, nil)
	trueBool  = tftypes.NewValue(boolType, true)
	falseBool = tftypes.NewValue(boolType, false)
)

// Str is a string value, null when p is nil.
func Str(p *string) tftypes.Value {
	if p == nil {
		return nullString
	}
	return tftypes.NewValue(stringType, *p)
}

// String is a known string value.
func String(s string) tftypes.Value { return tftypes.NewValue(stringType, s) }

// Int is a number value, null when p is nil.
func Int(p *int64) tftypes.Value {
	if p == nil {
		return nullNumber
	}
	return tftypes.NewValue(numberType, new(big.Float).SetInt64(*p))
}

// Bool is a bool value, null when p is nil.
func Bool(p *bool) tftypes.Value {
	switch {
	case p == nil:
		return nullBool
	case *p:
		return trueBool
	}
	return falseBool
}

// Int64 is a known number value.
func Int64(n int64) tftypes.Value {
	return tftypes.NewValue(numberType, new(big.Float).SetInt64(n))
}

// List is a list value of the element type.
func List(elem tftypes.Type, vals []tftypes.Value) tftypes.Value {
	if vals == nil {
		vals = []tftypes.Value{}
	}
	return tftypes.NewValue(tftypes.List{ElementType: elem}, vals)
}

// CountMap is a map(number) value from counts.
func CountMap(counts map[string]int64) tftypes.Value {
	m := make(map[string]tftypes.Value, len(counts))
	for k, n := range counts {
		m[k] = Int64(n)
	}
	return tftypes.NewValue(tftypes.Map{ElementType: tftypes.Number}, m)
}

// ID returns a deterministic id for a data source read: a hash of the type
// name, the whole configuration and the resolved scope (region, project).
// Computed attributes are null in a configuration, so every argument, and
// only the arguments, count: no list of arguments to keep in step. The same
// configuration always gives the same id; a different one a different id.
func ID(typeName string, config tftypes.Value, scope ...string) (string, error) {
	var b strings.Builder
	b.WriteString(typeName)
	b.WriteString("\x00")
	if err := canonical(&b, config); err != nil {
		return "", err
	}
	for _, e := range scope {
		b.WriteString("\x00")
		b.WriteString(strconv.Quote(e))
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:16]), nil
}

// canonical writes an unambiguous encoding of v.
func canonical(b *strings.Builder, v tftypes.Value) error {
	if !v.IsKnown() {
		return fmt.Errorf("value is not known")
	}
	if v.IsNull() {
		b.WriteString("null")
		return nil
	}
	t := v.Type()
	switch {
	case t.Is(tftypes.String):
		var s string
		if err := v.As(&s); err != nil {
			return err
		}
		b.WriteString(strconv.Quote(s))
	case t.Is(tftypes.Bool):
		var x bool
		if err := v.As(&x); err != nil {
			return err
		}
		b.WriteString(strconv.FormatBool(x))
	case t.Is(tftypes.Number):
		var f big.Float
		if err := v.As(&f); err != nil {
			return err
		}
		b.WriteString("#" + f.Text('g', -1))
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}), t.Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return err
		}
		b.WriteString("[")
		for i, e := range elems {
			if i > 0 {
				b.WriteString(",")
			}
			if err := canonical(b, e); err != nil {
				return err
			}
		}
		b.WriteString("]")
	case t.Is(tftypes.Map{}), t.Is(tftypes.Object{}):
		var m map[string]tftypes.Value
		if err := v.As(&m); err != nil {
			return err
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("{")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(strconv.Quote(k) + ":")
			if err := canonical(b, m[k]); err != nil {
				return fmt.Errorf("attribute %s: %w", k, err)
			}
		}
		b.WriteString("}")
	default:
		return fmt.Errorf("unsupported type %s", t)
	}
	return nil
}
