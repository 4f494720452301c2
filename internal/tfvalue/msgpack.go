package tfvalue

import (
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// DynamicValue encodes v, a value of type t, as the protocol's MessagePack
// DynamicValue: the bytes tfprotov6.NewDynamicValue gives for it (the
// same encoding, byte for byte, but for the order of a map's keys, which
// tftypes leaves to Go's map order and this sorts), at a fraction of its
// cost on large lists of objects: tftypes builds an attribute path and a
// sorted key list for every object and a value for every key. Types this
// encoder does not write (sets, tuples, dynamic values) go through
// tfprotov6.NewDynamicValue.
//
// A state of 10,000 items is encoded after the last page has arrived,
// while Terraform waits: the encoding is on every large read's critical
// path (BENCHMARKS.md).
func DynamicValue(t tftypes.Type, v tftypes.Value) (tfprotov6.DynamicValue, error) {
	e := newEncoder()
	if err := e.value(t, v, layoutOf(t)); err != nil {
		if errors.Is(err, errUnsupported) {
			return tfprotov6.NewDynamicValue(t, v)
		}
		return tfprotov6.DynamicValue{}, err
	}
	return tfprotov6.DynamicValue{MsgPack: e.buf}, nil
}

// errUnsupported: a type the encoder leaves to tftypes.
var errUnsupported = errors.New("unsupported type")

func newEncoder() *encoder {
	return &encoder{buf: make([]byte, 0, 4096), s: new(string), attrs: new(map[string]tftypes.Value), n: new(*big.Float)}
}

type encoder struct {
	buf []byte
	// Targets for tftypes.Value.As, reused: As takes an interface, so a
	// pointer to a local would escape, one allocation per value.
	s     *string
	attrs *map[string]tftypes.Value
	n     **big.Float
}

// The types value compares against, boxed once: tftypes' primitive types
// are structs, and passing one where a tftypes.Type is wanted allocates a
// copy on every call (tfvalue.go does the same for the values it builds).
var (
	boolType    tftypes.Type = tftypes.Bool
	dynamicType tftypes.Type = tftypes.DynamicPseudoType
)

// layout is what the encoder needs of a type besides the type itself: an
// object type's attribute names in order, and the layouts of its
// attributes' types; a list's or map's element layout. Computed once for
// the whole value, so that the objects of a list (and the objects inside
// them) do not sort their keys again for every element.
type layout struct {
	keys  []string
	attrs []*layout // by key
	elem  *layout
}

// layoutOf is t's layout; nil for a type that needs none (a primitive).
func layoutOf(t tftypes.Type) *layout {
	switch tt := t.(type) {
	case tftypes.Object:
		l := &layout{keys: sortedKeys(tt)}
		l.attrs = make([]*layout, len(l.keys))
		for i, k := range l.keys {
			l.attrs[i] = layoutOf(tt.AttributeTypes[k])
		}
		return l
	case tftypes.List:
		if el := layoutOf(tt.ElementType); el != nil {
			return &layout{elem: el}
		}
	case tftypes.Map:
		if el := layoutOf(tt.ElementType); el != nil {
			return &layout{elem: el}
		}
	}
	return nil
}

// value writes v of type t, whose layout is l (layoutOf(t)).
func (e *encoder) value(t tftypes.Type, v tftypes.Value, l *layout) error {
	if t.Is(dynamicType) {
		return errUnsupported
	}
	if !v.IsKnown() {
		e.buf = append(e.buf, 0xd4, 0, 0) // tftypes' unknown value: fixext1, type 0
		return nil
	}
	if v.IsNull() {
		e.buf = append(e.buf, 0xc0)
		return nil
	}
	switch tt := t.(type) {
	case tftypes.Object:
		return e.object(tt, v, l)
	case tftypes.List:
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return err
		}
		e.arrayLen(len(elems))
		for _, el := range elems {
			if err := e.value(tt.ElementType, el, l.element()); err != nil {
				return err
			}
		}
		return nil
	case tftypes.Map:
		var m map[string]tftypes.Value
		if err := v.As(&m); err != nil {
			return err
		}
		e.mapLen(len(m))
		for _, k := range slices.Sorted(maps.Keys(m)) {
			e.str(k)
			if err := e.value(tt.ElementType, m[k], l.element()); err != nil {
				return err
			}
		}
		return nil
	}
	switch {
	case t.Is(stringType):
		if err := v.As(e.s); err != nil {
			return err
		}
		e.str(*e.s)
	case t.Is(boolType):
		var b bool
		if err := v.As(&b); err != nil {
			return err
		}
		if b {
			e.buf = append(e.buf, 0xc3)
		} else {
			e.buf = append(e.buf, 0xc2)
		}
	case t.Is(numberType):
		if err := v.As(e.n); err != nil {
			return err
		}
		e.number(*e.n)
	default:
		return errUnsupported
	}
	return nil
}

// element is the element layout of a list or map layout (nil for nil).
func (l *layout) element() *layout {
	if l == nil {
		return nil
	}
	return l.elem
}

func (e *encoder) object(t tftypes.Object, v tftypes.Value, l *layout) error {
	if err := v.As(e.attrs); err != nil {
		return err
	}
	attrs := *e.attrs
	if l == nil {
		l = layoutOf(t)
	}
	e.mapLen(len(l.keys))
	for i, k := range l.keys {
		a, ok := attrs[k]
		if !ok {
			return errUnsupported // tftypes reports the missing attribute with its path
		}
		e.str(k)
		if err := e.value(t.AttributeTypes[k], a, l.attrs[i]); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(t tftypes.Object) []string {
	keys := make([]string, 0, len(t.AttributeTypes))
	for k := range t.AttributeTypes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// number writes n as tftypes does: an integer when it is one that fits in
// 64 bits, a float64 when it is exactly one and not an integer, its
// decimal text otherwise; infinities as float64.
func (e *encoder) number(n *big.Float) {
	switch {
	case n.IsInf():
		e.float(math.Inf(n.Sign()))
	default:
		if i, acc := n.Int64(); acc == big.Exact {
			e.int(i)
		} else if f, acc := n.Float64(); acc == big.Exact && !n.IsInt() {
			e.float(f)
		} else {
			e.str(n.Text('f', -1))
		}
	}
}

func (e *encoder) float(f float64) {
	e.buf = binary.BigEndian.AppendUint64(append(e.buf, 0xcb), math.Float64bits(f))
}

// int writes i in the smallest form, as the msgpack library tftypes uses
// does (github.com/vmihailenco/msgpack/v5, Encoder.EncodeInt).
//
//nolint:gosec // G115: each case converts a value it has checked to fit
func (e *encoder) int(i int64) {
	switch {
	case i >= 0 && i <= math.MaxInt8:
		e.buf = append(e.buf, byte(i))
	case i >= 0 && i <= math.MaxUint8:
		e.buf = append(e.buf, 0xcc, byte(i))
	case i >= 0 && i <= math.MaxUint16:
		e.buf = binary.BigEndian.AppendUint16(append(e.buf, 0xcd), uint16(i))
	case i >= 0 && i <= math.MaxUint32:
		e.buf = binary.BigEndian.AppendUint32(append(e.buf, 0xce), uint32(i))
	case i >= 0:
		e.buf = binary.BigEndian.AppendUint64(append(e.buf, 0xcf), uint64(i))
	case i >= -32:
		e.buf = append(e.buf, byte(i))
	case i >= math.MinInt8:
		e.buf = append(e.buf, 0xd0, byte(i))
	case i >= math.MinInt16:
		e.buf = binary.BigEndian.AppendUint16(append(e.buf, 0xd1), uint16(i))
	case i >= math.MinInt32:
		e.buf = binary.BigEndian.AppendUint32(append(e.buf, 0xd2), uint32(i))
	default:
		e.buf = binary.BigEndian.AppendUint64(append(e.buf, 0xd3), uint64(i))
	}
}

//nolint:gosec // G115: each case converts a value it has checked to fit
func (e *encoder) str(s string) {
	switch n := len(s); {
	case n < 32:
		e.buf = append(e.buf, 0xa0|byte(n))
	case n < 256:
		e.buf = append(e.buf, 0xd9, byte(n))
	case n <= math.MaxUint16:
		e.buf = binary.BigEndian.AppendUint16(append(e.buf, 0xda), uint16(n))
	default:
		e.buf = binary.BigEndian.AppendUint32(append(e.buf, 0xdb), uint32(n))
	}
	e.buf = append(e.buf, s...)
}

func (e *encoder) arrayLen(n int) { e.length(n, 0x90, 0xdc, 0xdd) }
func (e *encoder) mapLen(n int)   { e.length(n, 0x80, 0xde, 0xdf) }

//nolint:gosec // G115: each case converts a value it has checked to fit
func (e *encoder) length(n int, fix, b16, b32 byte) {
	switch {
	case n < 16:
		e.buf = append(e.buf, fix|byte(n))
	case n <= math.MaxUint16:
		e.buf = binary.BigEndian.AppendUint16(append(e.buf, b16), uint16(n))
	default:
		e.buf = binary.BigEndian.AppendUint32(append(e.buf, b32), uint32(n))
	}
}
