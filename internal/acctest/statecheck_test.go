package acctest

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

func TestCompareValueIsKindStrict(t *testing.T) {
	cases := []struct {
		name      string
		got, want any
		equal     bool
	}{
		{"number", json.Number("16"), 16, true},
		{"int64", json.Number("16"), int64(16), true},
		{"number differs", json.Number("17"), 16, false},
		{"digits in a string are not a number", "16", 16, false},
		{"string", "a & b", "a & b", true},
		{"string differs", "a", "b", false},
		{"number is not a string", json.Number("0"), "0", false},
		{"null", nil, nil, true},
		{"empty string is not null", "", nil, false},
		{"null is not an empty string", nil, "", false},
		{"bool", true, true, true},
		{"large int", json.Number("9007199254740993"), int64(9007199254740993), true},
		{"large int differs", json.Number("9007199254740992"), int64(9007199254740993), false},
		{"object", map[string]any{"code": "E1", "n": json.Number("2"), "ok": nil}, map[string]any{"code": "E1", "n": float64(2), "ok": nil}, true},
		{"object member differs", map[string]any{"code": "E1"}, map[string]any{"code": "E2"}, false},
		{"object with another member", map[string]any{"code": "E1", "x": nil}, map[string]any{"code": "E1", "y": nil}, false},
		{"object of fewer members", map[string]any{"code": "E1"}, map[string]any{"code": "E1", "n": nil}, false},
		{"null is not an object", nil, map[string]any{}, false},
	}
	for _, c := range cases {
		if msg := compareValue(c.got, c.want); (msg == "") != c.equal {
			t.Errorf("%s: compareValue(%#v, %#v) = %q, want equal=%v", c.name, c.got, c.want, msg, c.equal)
		}
	}
}

// TestObjectsOfEveryKind: a nested object is an object of its attributes
// (matched without case and underscores), a JSON-text field its compact
// JSON text, a JSON null nil.
func TestObjectsOfEveryKind(t *testing.T) {
	fields := []listread.Attribute{
		{Name: "name", Kind: listread.String},
		{Name: "detail", Kind: listread.Object, Nested: []listread.Attribute{{Name: "error_code", Kind: listread.String}, {Name: "ok", Kind: listread.Bool}}},
		{Name: "params", Kind: listread.JSONText},
		{Name: "gone", Kind: listread.Object},
	}
	got, err := object(fields, map[string]json.RawMessage{
		"Name": json.RawMessage(`"a"`), "Detail": json.RawMessage(`{"ErrorCode":"E1","ok":true}`),
		"params": json.RawMessage(`{ "b" : [1, 2] }`), "gone": json.RawMessage(`null`),
	})
	want := map[string]any{"name": "a", "detail": map[string]any{"error_code": "E1", "ok": true}, "params": `{"b":[1,2]}`, "gone": nil}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("object: %#v (%v), want %#v", got, err, want)
	}
	if _, err := object(fields, map[string]json.RawMessage{"name": json.RawMessage(`"a"`)}); err == nil {
		t.Error("a field the emulator's item lacks must be an error")
	}
}
