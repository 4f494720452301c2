package strictjson

import (
	"bytes"
	"encoding/json"
)

// The scanning below runs on a body json.Valid accepted, so it only has to
// find where each value ends, not check it.

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

// kind names the JSON value that starts with c.
func kind(c byte) string {
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
