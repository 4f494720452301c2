package clouds

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

func answer(body string) *transport.Response {
	return &transport.Response{StatusCode: 200, Header: http.Header{"X-Request-Id": {"rid-7"}}, Body: []byte(body)}
}

// TestDecodeMembers: the named members decode from their place in the
// body, whatever surrounds them; the rest fail closed.
func TestDecodeMembers(t *testing.T) {
	type item struct {
		ID *string `json:"id"`
	}
	for _, tc := range []struct {
		body  string
		total *int64
		ids   []string // nil: no items member
		err   string   // "": decodes
	}{
		{body: `{"count":2,"script_records":[{"id":"a"},{"id":"b"}]}`, total: ptr(int64(2)), ids: []string{"a", "b"}},
		{body: " \n{ \"script_records\" : [ ] , \"count\" : 0 }\t", total: ptr(int64(0)), ids: []string{}},
		// Other members, however nested or quoted, are skipped.
		{body: `{"x":{"count":9,"script_records":[{"id":"z"}]},"y":["}","\"count\":",{"a":[1,{}]}],"z":-1.5e3,` +
			`"n":null,"t":true,"count":1,"script_records":[{"id":"a","count":7}]}`, total: ptr(int64(1)), ids: []string{"a"}},
		// A key written with escapes is the name it stands for.
		{body: `{"\u0063ount":3,"script_records":[]}`, total: ptr(int64(3)), ids: []string{}},
		// Names match exactly: "Count" is not "count".
		{body: `{"Count":3,"script_records":[]}`, ids: []string{}},
		{body: `{"count":null,"script_records":null}`},
		{body: `{"count":1,"script_records":[],"count":1}`, err: `HTTP 200 refused: count: given twice`},
		{body: `{"script_records":[{"id":"a"}],"script_records":[]}`, err: `script_records: given twice`},
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
		err := decodeMembers("ListThings", answer(tc.body),
			[]member{{name: "count", into: &total}, {name: "script_records", into: &items}})
		if tc.err != "" {
			var de *DecodeError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.err) ||
				!strings.Contains(err.Error(), "ListThings: HTTP 200") || !strings.Contains(err.Error(), "request id: rid-7") {
				t.Errorf("%s: error %v, want a DecodeError with %q", tc.body, err, tc.err)
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

// FuzzDecodeMembers: on any body, decodeMembers agrees with
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
		err := decodeMembers("Op", &transport.Response{StatusCode: 200, Body: body},
			[]member{{name: "a", into: &a}, {name: "b", into: &b}})
		var whole map[string]json.RawMessage
		wholeErr := json.Unmarshal(body, &whole)
		if wholeErr != nil || whole == nil { // not an object (or null)
			if err == nil {
				t.Fatalf("%q: decoded, but it is no JSON object (%v)", body, wholeErr)
			}
			return
		}
		if err != nil {
			if strings.Contains(err.Error(), "given twice") {
				return
			}
			t.Fatalf("%q: %v", body, err)
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
