package paginate

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"reflect"
)

// fingerprintSeed is fixed for the process: fingerprints are only compared
// within one read.
var fingerprintSeed = maphash.MakeSeed()

// pageKey hashes a page by its length and the content of its first,
// middle and last items (pointers followed, so two decodes of the same
// JSON hash alike). The offset pager files the pages of items without an
// id by it and compares a page in full only with the earlier pages of the
// same key: hashing three items costs a few microseconds per page, where
// hashing every item by reflection costs about 2 µs per item.
func pageKey[T any](items []T) uint64 {
	var h maphash.Hash
	h.SetSeed(fingerprintSeed)
	n := len(items)
	writeLen(&h, n)
	if n > 0 {
		for _, i := range []int{0, n / 2, n - 1} {
			hashValue(&h, reflect.ValueOf(&items[i]).Elem())
		}
	}
	return h.Sum64()
}

func writeUint(h *maphash.Hash, u uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], u)
	_, _ = h.Write(b[:])
}

// writeLen writes a length (never negative).
func writeLen(h *maphash.Hash, n int) {
	writeUint(h, uint64(n)) //nolint:gosec // a length is never negative
}

// hashValue writes v's content: its kind, then its value; pointers and
// interfaces by what they point to (a nil one by a marker), strings and
// sequences with their length so that adjacent values cannot run into
// each other, maps independently of their order.
func hashValue(h *maphash.Hash, v reflect.Value) {
	_ = h.WriteByte(byte(v.Kind())) //nolint:gosec // reflect.Kind has fewer than 256 values
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			_ = h.WriteByte(0)
			return
		}
		_ = h.WriteByte(1)
		hashValue(h, v.Elem())
	case reflect.String:
		writeLen(h, v.Len())
		_, _ = h.WriteString(v.String())
	case reflect.Bool:
		if v.Bool() {
			_ = h.WriteByte(1)
		} else {
			_ = h.WriteByte(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		writeUint(h, uint64(v.Int())) //nolint:gosec // the bits, not the value
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		writeUint(h, v.Uint())
	case reflect.Float32, reflect.Float64:
		writeUint(h, math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		writeUint(h, math.Float64bits(real(c)))
		writeUint(h, math.Float64bits(imag(c)))
	case reflect.Struct:
		for i := range v.NumField() {
			hashValue(h, v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		writeLen(h, v.Len())
		for i := range v.Len() {
			hashValue(h, v.Index(i))
		}
	case reflect.Map:
		writeLen(h, v.Len())
		var sum uint64
		it := v.MapRange()
		for it.Next() {
			var e maphash.Hash
			e.SetSeed(fingerprintSeed)
			hashValue(&e, it.Key())
			hashValue(&e, it.Value())
			sum += e.Sum64()
		}
		writeUint(h, sum)
	default:
		// Channels, functions, unsafe pointers: no content to compare.
	}
}
