package clouds

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// member is a member of a list answer's top-level JSON object that a
// declaration names (its total, its items, its next token) and the value
// it decodes into.
type member struct {
	name string
	into any // a pointer
	seen bool
	// items, for the item list: the JSON names of the item type's fields
	// (itemNames). Each item must then be a JSON object in which none of
	// them is given twice or under a name that differs only in case.
	items []string
}

// decodeMembers decodes a successful answer, which must be one JSON
// object: each of its members named in ms is decoded into its target, the
// others are skipped (they are still checked to be valid JSON). Names
// match exactly, case included: a member the API does not document under
// that name is not read as it. A named member given twice, or a member
// whose name differs from a named one only in case, is refused, since the
// answer could then be read two ways (encoding/json, for one, matches
// names regardless of case and keeps the last of two). A body that is not
// a JSON object fails as a *DecodeError.
//
// The names come from the declaration (HuaweiList.TotalField, ...), so
// the fields an answer is read from and the fields its errors name are
// one and the same, and no declaration keeps an answer struct naming them
// again. The body is not copied: each named value is decoded from its
// place in the body.
func decodeMembers(operation string, resp *transport.Response, ms []member) error {
	body := resp.Body
	fail := func(err error) error {
		return &DecodeError{Operation: operation, Status: resp.StatusCode, RequestID: resp.RequestID(), Err: err}
	}
	if !json.Valid(body) {
		// Unmarshal says what is wrong and where (an offset, not the body).
		return fail(json.Unmarshal(body, new(struct{})))
	}
	i := skipSpace(body, 0)
	if body[i] != '{' {
		return fail(fmt.Errorf("the answer is %s, not a JSON object", jsonKind(body[i])))
	}
	_, err := eachMember(body, i, func(key []byte, at int) (int, error) {
		k := unquote(key)
		m := slices.IndexFunc(ms, func(m member) bool { return string(k) == m.name })
		if m < 0 {
			if f := slices.IndexFunc(ms, func(m member) bool { return bytes.EqualFold(k, []byte(m.name)) }); f >= 0 {
				return 0, Refused(operation, resp, ms[f].name, "the answer also has a member %q, which differs from it only in case "+
					"and can be read as it", k)
			}
			return valueEnd(body, at), nil
		}
		if ms[m].seen {
			return 0, Refused(operation, resp, ms[m].name, "given twice in one answer, which can be read two ways")
		}
		ms[m].seen = true
		end, err := 0, error(nil)
		if ms[m].items != nil && body[at] == '[' {
			end, err = checkItems(operation, resp, ms[m].name, body, at, ms[m].items)
		} else {
			end = valueEnd(body, at)
		}
		if err != nil {
			return 0, err
		}
		if err := json.Unmarshal(body[at:end], ms[m].into); err != nil {
			return 0, fail(fmt.Errorf("%s: %w", ms[m].name, err))
		}
		return end, nil
	})
	return err
}

// checkItems refuses an item list (the array at b[i], valid JSON) that
// encoding/json would read otherwise than by the API's documented names:
// an item that is null rather than an object, or an item in which one of
// the field names is given twice or appears under a name that differs
// from it only in case (encoding/json would take the last copy, or fill
// the field from the other name; other readers would not). Items that
// are neither are left to encoding/json, which refuses them. It returns
// the index just past the array.
func checkItems(operation string, resp *transport.Response, listName string, b []byte, i int, names []string) (int, error) {
	seen := make([]bool, len(names)) // the names an item has given
	i = skipSpace(b, i+1)
	for n := 0; b[i] != ']'; n++ {
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		switch b[i] {
		case 'n':
			return 0, Refused(operation, resp, fmt.Sprintf("%s[%d]", listName, n), "null, where the API gives an object")
		case '{':
			clear(seen)
			next := 0 // where the next name likely is: items list their fields in one order
			end, err := eachMember(b, i, func(key []byte, at int) (int, error) {
				k := unquote(key)
				j := next
				if j >= len(names) || string(k) != names[j] {
					j = index(names, k)
				}
				next = j + 1
				if j < 0 {
					if f := slices.IndexFunc(names, func(name string) bool { return bytes.EqualFold(k, []byte(name)) }); f >= 0 {
						return 0, Refused(operation, resp, fmt.Sprintf("%s[%d].%s", listName, n, names[f]),
							"the item also has a member %q, which differs from it only in case and can be read as it", k)
					}
				} else {
					if seen[j] {
						return 0, Refused(operation, resp, fmt.Sprintf("%s[%d].%s", listName, n, names[j]),
							"given twice in one item, which can be read two ways")
					}
					seen[j] = true
				}
				return valueEnd(b, at), nil
			})
			if err != nil {
				return 0, err
			}
			i = end
		default:
			i = valueEnd(b, i)
		}
		i = skipSpace(b, i)
	}
	return i + 1, nil
}

// index returns the index of the name k in names, or -1.
func index(names []string, k []byte) int {
	for j, name := range names {
		if string(k) == name {
			return j
		}
	}
	return -1
}

// itemNames returns the JSON names of the fields of T, a struct: the
// names encoding/json fills it from (a field's json tag, or its Go name
// when it has none; an embedded struct's fields as its own). Computed
// once per type.
func itemNames[T any]() []string {
	t := reflect.TypeFor[T]()
	if v, ok := itemNameCache.Load(t); ok {
		if names, ok := v.([]string); ok {
			return names
		}
	}
	names := appendFieldNames(nil, t)
	itemNameCache.Store(t, names)
	return names
}

var itemNameCache sync.Map // reflect.Type -> []string

func appendFieldNames(names []string, t reflect.Type) []string {
	if t.Kind() != reflect.Struct {
		return names
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			names = appendFieldNames(names, ft)
			continue
		}
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}

// eachMember calls f for each member of the JSON object at b[i] (valid
// JSON) with its key, quoted as written, and the index of its value; f
// returns the index just past the value, or an error that ends the walk.
// eachMember returns the index just past the object. One pass over the
// bytes: f finds the value's end as it reads it.
func eachMember(b []byte, i int, f func(key []byte, at int) (int, error)) (int, error) {
	i = skipSpace(b, i+1) // past the brace
	for b[i] != '}' {
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		keyEnd := stringEnd(b, i)
		at := skipSpace(b, skipSpace(b, keyEnd)+1) // past the colon
		end, err := f(b[i:keyEnd], at)
		if err != nil {
			return 0, err
		}
		i = skipSpace(b, end)
	}
	return i + 1, nil
}

// unquote returns the name a quoted JSON key stands for: the bytes
// between the quotes when it has no escapes (no copy), else the decoded
// string.
func unquote(key []byte) []byte {
	raw := key[1 : len(key)-1]
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw
	}
	var s string
	if json.Unmarshal(key, &s) != nil { // cannot happen in valid JSON
		return raw
	}
	return []byte(s)
}

// The scanning below runs on a body json.Valid accepted, so it only has to
// find where each value ends, not check it.

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the index just past the JSON value starting at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = stringEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return i
	default: // a number, true, false or null
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' &&
			b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
			i++
		}
		return i
	}
}

// stringEnd returns the index just past the JSON string starting at b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

func jsonKind(c byte) string {
	switch c {
	case '[':
		return "a JSON array"
	case '"':
		return "a JSON string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a JSON boolean"
	default:
		return "a JSON number"
	}
}
