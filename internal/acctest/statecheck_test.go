package acctest

import (
	"encoding/json"
	"testing"
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
	}
	for _, c := range cases {
		if msg := compareValue(c.got, c.want); (msg == "") != c.equal {
			t.Errorf("%s: compareValue(%#v, %#v) = %q, want equal=%v", c.name, c.got, c.want, msg, c.equal)
		}
	}
}
