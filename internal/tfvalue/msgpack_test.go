package tfvalue

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// stateType has every type a data source's state holds: strings, numbers,
// bools, a list of objects (whose fields include bools and two objects
// of other shapes, one with an object inside), a list of strings, a map
// of numbers, a nested object.
var stateType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"id": tftypes.String, "max_items": tftypes.Number, "show": tftypes.Bool,
	"ids":           tftypes.List{ElementType: tftypes.String},
	"status_counts": tftypes.Map{ElementType: tftypes.Number},
	"timeouts":      tftypes.Object{AttributeTypes: map[string]tftypes.Type{"read": tftypes.String}},
	"records": tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"id": tftypes.String, "status": tftypes.String, "execute_order": tftypes.Number, "reason": tftypes.String,
		"done": tftypes.Bool,
		"detail": tftypes.Object{AttributeTypes: map[string]tftypes.Type{
			"code": tftypes.String, "ok": tftypes.Bool, "n": tftypes.Number,
			"inner": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String, "b": tftypes.Bool}},
		}},
		"owner": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"name": tftypes.String}},
	}}},
}}

// numbers cross every boundary of the integer forms, and beyond int64.
var numbers = []*big.Float{
	big.NewFloat(0), big.NewFloat(1), big.NewFloat(127), big.NewFloat(128), big.NewFloat(255), big.NewFloat(256),
	big.NewFloat(65535), big.NewFloat(65536), big.NewFloat(math.MaxUint32), big.NewFloat(math.MaxUint32 + 1),
	big.NewFloat(-1), big.NewFloat(-32), big.NewFloat(-33), big.NewFloat(-128), big.NewFloat(-129),
	big.NewFloat(-32768), big.NewFloat(-32769), big.NewFloat(math.MinInt32), big.NewFloat(math.MinInt32 - 1),
	new(big.Float).SetInt64(math.MaxInt64), new(big.Float).SetInt64(math.MinInt64),
	big.NewFloat(1.5), big.NewFloat(-0.25), big.NewFloat(1e300), new(big.Float).SetInf(false), new(big.Float).SetInf(true),
	new(big.Float).Mul(new(big.Float).SetInt64(math.MaxInt64), big.NewFloat(4)), // an integer beyond int64
	new(big.Float).SetPrec(200).Quo(new(big.Float).SetPrec(200).SetInt64(1), new(big.Float).SetPrec(200).SetInt64(3)),
}

func randomValue(r *rand.Rand, t tftypes.Type) tftypes.Value {
	switch r.IntN(12) {
	case 0:
		return tftypes.NewValue(t, nil)
	case 1:
		return tftypes.NewValue(t, tftypes.UnknownValue)
	}
	switch tt := t.(type) {
	case tftypes.Object:
		m := map[string]tftypes.Value{}
		for k, at := range tt.AttributeTypes {
			m[k] = randomValue(r, at)
		}
		return tftypes.NewValue(t, m)
	case tftypes.List:
		n := []int{0, 1, 2, 15, 16, 17, 40}[r.IntN(7)]
		l := make([]tftypes.Value, n)
		for i := range l {
			l[i] = randomValue(r, tt.ElementType)
		}
		return tftypes.NewValue(t, l)
	case tftypes.Map:
		m := map[string]tftypes.Value{}
		for i := range r.IntN(3) { // at most 2 keys: see the order check
			m[fmt.Sprintf("k%d", i)] = randomValue(r, tt.ElementType)
		}
		return tftypes.NewValue(t, m)
	}
	switch {
	case t.Is(tftypes.String):
		n := []int{0, 1, 31, 32, 255, 256, 65535, 65536}[r.IntN(8)]
		return tftypes.NewValue(t, strings.Repeat("é", n/2)+strings.Repeat("x", n%2))
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, r.IntN(2) == 1)
	default:
		return tftypes.NewValue(t, numbers[r.IntN(len(numbers))])
	}
}

// TestDynamicValueMatchesTftypes: for random states of every shape the
// encoder writes, its bytes are tftypes' bytes, and they decode back to
// the value; and the encoder wrote them itself, without falling back to
// tftypes (which would give the same bytes, slowly).
func TestDynamicValueMatchesTftypes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 250 {
		v := randomValue(r, stateType)
		if err := newEncoder().value(stateType, v, layoutOf(stateType)); err != nil {
			t.Fatalf("value %d: the encoder did not write it itself: %v", i, err)
		}
		got, err := DynamicValue(stateType, v)
		if err != nil {
			t.Fatal(err)
		}
		want, err := tfprotov6.NewDynamicValue(stateType, v)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(got.MsgPack, want.MsgPack) {
			continue
		}
		// Maps here have at most two keys; tftypes writes them in Go's map
		// order, this encoder sorted. Where a two-key map is in the value,
		// the bytes may differ in that order only: both decode to one value.
		gotV, err1 := got.Unmarshal(stateType)
		wantV, err2 := want.Unmarshal(stateType)
		if hasTwoKeyMap(v) && err1 == nil && err2 == nil && gotV.Equal(wantV) && len(got.MsgPack) == len(want.MsgPack) {
			continue
		}
		t.Fatalf("value %d: %d bytes differ from tftypes' %d bytes (%v)\n got %x\nwant %x", i, len(got.MsgPack), len(want.MsgPack),
			err1, head(got.MsgPack), head(want.MsgPack))
	}
}

func hasTwoKeyMap(v tftypes.Value) bool {
	found := false
	_ = tftypes.Walk(v, func(_ *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		var m map[string]tftypes.Value
		if v.Type().Is(tftypes.Map{}) && v.IsKnown() && !v.IsNull() && v.As(&m) == nil && len(m) > 1 {
			found = true
		}
		return true, nil
	})
	return found
}

func head(b []byte) []byte { return b[:min(len(b), 64)] }

// TestDynamicValueOthersGoThroughTftypes: a set (not written here) gives
// tftypes' encoding; a value that does not fit its type fails.
func TestDynamicValueOthersGoThroughTftypes(t *testing.T) {
	set := tftypes.Set{ElementType: tftypes.String}
	v := tftypes.NewValue(set, []tftypes.Value{tftypes.NewValue(tftypes.String, "a")})
	got, err := DynamicValue(set, v)
	want, _ := tfprotov6.NewDynamicValue(set, v)
	if err != nil || !bytes.Equal(got.MsgPack, want.MsgPack) {
		t.Fatalf("set: %x, %v; want %x", got.MsgPack, err, want.MsgPack)
	}
	if _, err := DynamicValue(tftypes.Number, tftypes.NewValue(tftypes.String, "x")); err == nil {
		t.Fatal("a string encoded as a number")
	}
}
