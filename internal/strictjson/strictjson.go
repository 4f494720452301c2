// Package strictjson reads the members of a JSON object one way only: a
// small scanner over a body encoding/json has accepted, that decodes the
// members a caller names, each from its place in the body (no copy, no
// struct naming them again), and refuses what another reader could take
// otherwise: a named member given twice, or a member whose name differs
// from a named one only in case (encoding/json matches names regardless
// of case and keeps the last of two copies; a console, jq or a reviewer
// may keep the first). An item list is checked the same way, item by
// item, against the JSON names of the item type's fields (Names).
//
// It knows no cloud and no answer in particular: internal/clouds reads
// the list APIs' answers with it and turns its errors into the read's.
package strictjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// Member is a member of the top-level JSON object to decode, and the
// value it decodes into.
type Member struct {
	Name string
	Into any // a pointer
	// Items, for an item list: the JSON names of the item type's fields
	// (Names). Each item must then be a JSON object in which none of them
	// is given twice or under a name that differs only in case.
	Items []string
	seen  bool
}

// Refusal is the error for a body that is valid JSON but could be read
// two ways: Field names the member or item field ("count",
// "script_records[3].status", "script_records[1]") and Reason says why.
// Reason may quote a name from the body.
type Refusal struct {
	Field, Reason string
}

func (r *Refusal) Error() string { return r.Field + ": " + r.Reason }

func refuse(field, format string, args ...any) error {
	return &Refusal{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Decode decodes body, which must be one JSON object: each of its members
// named in ms is decoded into its target, the others are skipped (they
// are still checked to be valid JSON). Names match exactly, case
// included. A named member given twice, or a member whose name differs
// from a named one only in case, is a *Refusal, and so is an item list
// (Member.Items) with an item that is null or that gives one of the
// item type's names twice or under another case. Any other failure (not
// JSON, not an object, a value of another type than its target) is an
// error from encoding/json or saying what the body is, prefixed with the
// member's name where there is one.
func Decode(body []byte, ms []Member) error {
	if !json.Valid(body) {
		// Unmarshal says what is wrong and where (an offset, not the body).
		return json.Unmarshal(body, new(struct{}))
	}
	i := skipSpace(body, 0)
	if body[i] != '{' {
		return fmt.Errorf("the answer is %s, not a JSON object", kind(body[i]))
	}
	_, err := eachMember(body, i, func(key []byte, at int) (int, error) {
		k := unquote(key)
		m := slices.IndexFunc(ms, func(m Member) bool { return string(k) == m.Name })
		if m < 0 {
			if f := slices.IndexFunc(ms, func(m Member) bool { return bytes.EqualFold(k, []byte(m.Name)) }); f >= 0 {
				return 0, refuse(ms[f].Name, "the answer also has a member %q, which differs from it only in case "+
					"and can be read as it", k)
			}
			return valueEnd(body, at), nil
		}
		if ms[m].seen {
			return 0, refuse(ms[m].Name, "given twice in one answer, which can be read two ways")
		}
		ms[m].seen = true
		end, err := 0, error(nil)
		if ms[m].Items != nil && body[at] == '[' {
			end, err = checkItems(ms[m].Name, body, at, ms[m].Items)
		} else {
			end = valueEnd(body, at)
		}
		if err != nil {
			return 0, err
		}
		if err := json.Unmarshal(body[at:end], ms[m].Into); err != nil {
			return 0, fmt.Errorf("%s: %w", ms[m].Name, err)
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
func checkItems(listName string, b []byte, i int, names []string) (int, error) {
	seen := make([]bool, len(names)) // the names an item has given
	i = skipSpace(b, i+1)
	for n := 0; b[i] != ']'; n++ {
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		switch b[i] {
		case 'n':
			return 0, refuse(fmt.Sprintf("%s[%d]", listName, n), "null, where the API gives an object")
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
						return 0, refuse(fmt.Sprintf("%s[%d].%s", listName, n, names[f]),
							"the item also has a member %q, which differs from it only in case and can be read as it", k)
					}
				} else {
					if seen[j] {
						return 0, refuse(fmt.Sprintf("%s[%d].%s", listName, n, names[j]),
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

// Names returns the JSON names of the fields of T, a struct: the names
// encoding/json fills it from (a field's json tag, or its Go name when it
// has none; an embedded struct's fields as its own). Computed once per
// type.
func Names[T any]() []string {
	t := reflect.TypeFor[T]()
	if v, ok := nameCache.Load(t); ok {
		if names, ok := v.([]string); ok {
			return names
		}
	}
	names := appendFieldNames(nil, t)
	nameCache.Store(t, names)
	return names
}

var nameCache sync.Map // reflect.Type -> []string

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
