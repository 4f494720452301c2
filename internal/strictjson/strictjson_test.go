package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestDecode: the named members decode from their place in the body,
// whatever surrounds them; the rest fail closed, what could be read two
// ways as a *Refusal naming the field.
func TestDecode(t *testing.T) {
	type item struct {
		ID     *string `json:"id"`
		Status *string `json:"status"`
	}
	for _, tc := range []struct {
		body  string
		total *int64
		ids   []string // nil: no items member
		err   string   // "": decodes
		// refused: the error is a *Refusal (else encoding/json's or the
		// scanner's own).
		refused bool
	}{
		{body: `{"count":2,"script_records":[{"id":"a"},{"id":"b"}]}`, total: ptr(int64(2)), ids: []string{"a", "b"}},
		{body: " \n{ \"script_records\" : [ ] , \"count\" : 0 }\t", total: ptr(int64(0)), ids: []string{}},
		// Other members, however nested or quoted, are skipped.
		{body: `{"x":{"count":9,"script_records":[{"id":"z"}]},"y":["}","\"count\":",{"a":[1,{}]}],"z":-1.5e3,` +
			`"n":null,"t":true,"count":1,"script_records":[{"id":"a","count":7}]}`, total: ptr(int64(1)), ids: []string{"a"}},
		// A key written with escapes is the name it stands for.
		{body: `{"\u0063ount":3,"script_records":[]}`, total: ptr(int64(3)), ids: []string{}},
		// Names match exactly: "Count" is not "count", and an answer that
		// has one beside (or instead of) the other is refused.
		{body: `{"Count":3,"script_records":[]}`, err: `count: the answer also has a member "Count", which differs from it only in case`, refused: true},
		{body: `{"count":3,"COUNT":0,"script_records":[]}`, err: `count: the answer also has a member "COUNT"`, refused: true},
		{body: `{"count":1,"script_records":[],"Script_Records":[{"id":"x"}]}`, err: `script_records: the answer also has a member "Script_Records"`, refused: true},
		// Items: each an object, no field of the item type twice or under
		// another case (encoding/json would read the last or the folded
		// one), whatever their values; other members are free.
		{body: `{"count":1,"script_records":[{"id":"a","status":"FAILED","ids":1,"x":{"id":"b","id":"c"}}]}`,
			total: ptr(int64(1)), ids: []string{"a"}},
		{body: `{"count":2,"script_records":[{"id":"a"},{"id":"b","status":"FAILED","status":"SUCCESS"}]}`,
			err: `script_records[1].status: given twice in one item`, refused: true},
		{body: `{"count":1,"script_records":[{"status":"FAILED","st\u0061tus":"SUCCESS"}]}`,
			err: `script_records[0].status: given twice in one item`, refused: true},
		{body: `{"count":1,"script_records":[{"status":"FAILED","STATUS":"SUCCESS"}]}`,
			err: `script_records[0].status: the item also has a member "STATUS", which differs from it only in case`, refused: true},
		{body: `{"count":1,"script_records":[{"Id":"a"}]}`, err: `script_records[0].id: the item also has a member "Id"`, refused: true},
		// U+017F (long s) folds to s, U+212A (Kelvin) to k: encoding/json
		// reads them as status and id alike.
		{body: `{"count":1,"script_records":[{"status":"FAILED","\u017Ftatus":"SUCCESS"}]}`, err: `script_records[0].status: the item also has a member "ſtatus"`, refused: true},
		{body: `{"count":1,"script_records":[{"ſtatus":"SUCCESS"}]}`, err: `script_records[0].status: the item also has a member "ſtatus"`, refused: true},
		{body: `{"count":2,"script_records":[{"id":"a"} , null]}`, err: `script_records[1]: null, where the API gives an object`, refused: true},
		{body: `{"count":1,"script_records":["a"]}`, err: `script_records: json: cannot unmarshal string`},
		{body: `{"count":null,"script_records":null}`},
		{body: `{"count":1,"script_records":[],"count":1}`, err: `count: given twice`, refused: true},
		{body: `{"script_records":[{"id":"a"}],"script_records":[]}`, err: `script_records: given twice`, refused: true},
		{body: `{"count":"1","script_records":[]}`, err: `count: json: cannot unmarshal string`},
		{body: `{"count":1.5,"script_records":[]}`, err: `count: json: cannot unmarshal number 1.5`},
		{body: `{"count":1,"script_records":{}}`, err: `script_records: json: cannot unmarshal object`},
		{body: `[{"count":1}]`, err: `the answer is a JSON array, not a JSON object`},
		{body: `null`, err: `the answer is null, not a JSON object`},
		{body: `"count"`, err: `the answer is a JSON string`},
		{body: `{"count":1,"script_records":[]`, err: `unexpected end of JSON input`},
		{body: `{"count":1,"script_records":[]} {}`, err: `invalid character '{' after top-level value`},
		{body: ``, err: `unexpected end of JSON input`},
	} {
		var total *int64
		var items []item
		err := Decode([]byte(tc.body),
			[]Member{{Name: "count", Into: &total}, {Name: "script_records", Into: &items, Items: Names[item]()}})
		if tc.err != "" {
			var r *Refusal
			if err == nil || !strings.Contains(err.Error(), tc.err) || errors.As(err, &r) != tc.refused {
				t.Errorf("%s: error %v, want one with %q (a refusal: %v)", tc.body, err, tc.err, tc.refused)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.body, err)
			continue
		}
		if !reflect.DeepEqual(total, tc.total) {
			t.Errorf("%s: total %v, want %v", tc.body, deref(total), deref(tc.total))
		}
		var ids []string
		if items != nil {
			ids = []string{}
			for _, it := range items {
				ids = append(ids, *it.ID)
			}
		}
		if !reflect.DeepEqual(ids, tc.ids) {
			t.Errorf("%s: items %q, want %q", tc.body, ids, tc.ids)
		}
	}
}

// FuzzDecodeMembers: on any body, Decode agrees with
// encoding/json's own reading of the object (a map of raw members): it
// fails where that fails, and otherwise gives each named member's value,
// unless the body repeats a named member, which it refuses.
func FuzzDecodeMembers(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":[1,"x\"]"]}`, `{"b":{"a":2},"a":[{"}":"{"}]}`, `{"a":1,"a":2}`, `{}`, `[]`,
		`{"\u0061":true, "c" : null }`, `{"a":"\\","b":"\\\""}`, `{"a":1}x`, `{"a":1e5,"b":-0.0}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var a, b json.RawMessage
		err := Decode(body, []Member{{Name: "a", Into: &a}, {Name: "b", Into: &b}})
		var whole map[string]json.RawMessage
		wholeErr := json.Unmarshal(body, &whole)
		if wholeErr != nil || whole == nil { // not an object (or null)
			if err == nil {
				t.Fatalf("%q: decoded, but it is no JSON object (%v)", body, wholeErr)
			}
			return
		}
		folded := ""
		for k := range whole {
			for _, name := range []string{"a", "b"} {
				if k != name && strings.EqualFold(k, name) {
					folded = k
				}
			}
		}
		if err != nil {
			if strings.Contains(err.Error(), "given twice") ||
				folded != "" && strings.Contains(err.Error(), "differs from it only in case") {
				return
			}
			t.Fatalf("%q: %v", body, err)
		}
		if folded != "" {
			t.Fatalf("%q: decoded, but it has a member %q that differs from a named one only in case", body, folded)
		}
		for name, got := range map[string]json.RawMessage{"a": a, "b": b} {
			want, ok := whole[name]
			if !ok {
				// Absent, or only under a key that differs but for case
				// (encoding/json's maps keep keys as written).
				if got != nil {
					t.Fatalf("%q: %s = %s, but the object has no %s", body, name, got, name)
				}
				continue
			}
			if !bytes.Equal(compact(t, got), compact(t, want)) {
				t.Fatalf("%q: %s = %s, want %s", body, name, got, want)
			}
		}
	})
}

// FuzzDecodeItems: on any item list, Decode reads each item as
// encoding/json reads it, and refuses exactly the lists that a reader
// could take two ways: the first item that is null, or that gives a field
// of the item type twice or under a name that differs only in case.
func FuzzDecodeItems(f *testing.F) {
	for _, s := range []string{`[{"a":"x","b":1}]`, `[]`, `[{"a":"x","a":"y"}]`, `[{"A":"x"}]`, `[null]`, `[{},{"b":2,"c":{"a":1,"a":2}}]`,
		`[{"\u017F":1,"\u0061":"z"}]`, `{}`, `null`, `[1]`, `[{"a":1}]`, `[{"b":1.5}]`, "[{\"\u212a\":1}]"} {
		f.Add([]byte(s))
	}
	type item struct {
		A *string `json:"a"`
		B *int64  `json:"b"`
		k *string //nolint:unused // unexported, so no JSON name: Names must leave it out
	}
	if names := Names[item](); !slices.Equal(names, []string{"a", "b"}) {
		f.Fatalf("Names = %q", names)
	}
	f.Fuzz(func(t *testing.T, list []byte) {
		body := append(append([]byte(`{"l":`), list...), '}')
		var got []item
		err := Decode(body, []Member{{Name: "l", Into: &got, Items: Names[item]()}})
		var raws []json.RawMessage
		if !json.Valid(body) || json.Unmarshal(list, &raws) != nil || raws == nil {
			return // not an array: no item to check (TestDecodeMembers covers what fails)
		}
		bad := -1
		for n, raw := range raws {
			if twoWays(t, raw) {
				bad = n
				break
			}
		}
		if bad >= 0 {
			var r *Refusal
			if !errors.As(err, &r) || !strings.HasPrefix(r.Field, fmt.Sprintf("l[%d]", bad)) {
				t.Fatalf("%s: item %d can be read two ways, but got %v", list, bad, err)
			}
			return
		}
		var want []item
		wantErr := json.Unmarshal(list, &want)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%s: error %v, encoding/json's %v", list, err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: items %+v, encoding/json's %+v", list, got, want)
		}
	})
}

// twoWays reports whether an item (a JSON value) is null, or an object
// that gives "a" or "b" twice or under another case.
func twoWays(t *testing.T, raw json.RawMessage) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // a number too large for float64 is still a value
	tok, err := dec.Token()
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	if tok == nil {
		return true
	}
	if tok != json.Delim('{') {
		return false
	}
	seen := map[string]bool{}
	for dec.More() {
		k, _ := dec.Token()
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		for _, name := range []string{"a", "b"} {
			switch {
			case k == name && seen[name]:
				return true
			case k == name:
				seen[name] = true
			case strings.EqualFold(k.(string), name):
				return true
			}
		}
	}
	return false
}

func compact(t *testing.T, raw json.RawMessage) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("%q: %v", raw, err)
	}
	return b.Bytes()
}

func ptr[T any](v T) *T { return &v }

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
