package clouds

import (
	"encoding/json"
	"fmt"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// member is a member of a list answer's top-level JSON object that a
// declaration names (its total, its items, its next token) and the value
// it decodes into.
type member struct {
	name string
	into any // a pointer
	seen bool
}

// decodeMembers decodes a successful answer, which must be one JSON
// object: each of its members named in ms is decoded into its target, the
// others are skipped (they are still checked to be valid JSON). Names
// match exactly, case included: a member the API does not document under
// that name is not read as it. A named member given twice is refused,
// since the answer could then be read two ways. A body that is not a
// JSON object fails as a *DecodeError.
//
// The names come from the declaration (HuaweiList.TotalField, ...), so
// the fields an answer is read from and the fields its errors name are
// one and the same, and no declaration keeps an answer struct naming them
// again. The body is not copied: each named value is decoded from its
// place in it.
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
	i = skipSpace(body, i+1)
	for body[i] != '}' {
		if body[i] == ',' {
			i = skipSpace(body, i+1)
		}
		keyEnd := valueEnd(body, i)
		key := body[i:keyEnd]
		i = skipSpace(body, skipSpace(body, keyEnd)+1) // past the colon
		end := valueEnd(body, i)
		if m := named(ms, key); m != nil {
			if m.seen {
				return Refused(operation, resp, m.name, "given twice in one answer, which can be read two ways")
			}
			m.seen = true
			if err := json.Unmarshal(body[i:end], m.into); err != nil {
				return fail(fmt.Errorf("%s: %w", m.name, err))
			}
		}
		i = skipSpace(body, end)
	}
	return nil
}

// named returns the member of ms whose name is the quoted JSON string key.
func named(ms []member, key []byte) *member {
	raw := key[1 : len(key)-1]
	for i := range ms {
		if string(raw) == ms[i].name {
			return &ms[i]
		}
	}
	for _, c := range raw {
		if c == '\\' { // escapes: compare the string the key stands for
			var s string
			if json.Unmarshal(key, &s) != nil {
				return nil
			}
			for i := range ms {
				if s == ms[i].name {
					return &ms[i]
				}
			}
			return nil
		}
	}
	return nil
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
