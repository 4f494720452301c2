package listread

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Args are a configuration's values by attribute name.
type Args map[string]tftypes.Value

// String returns a string (or RFC 3339 time) argument's value, "" when it
// is null or unknown.
func (a Args) String(name string) string {
	s, _ := a.string(name)
	return s
}

func (a Args) string(name string) (string, bool) {
	v, ok := a[name]
	if !ok || v.IsNull() || !v.IsKnown() {
		return "", false
	}
	var s string
	if err := v.As(&s); err != nil {
		return "", false
	}
	return s, true
}

// Int64 returns a whole-number argument's value, 0 when it is null.
func (a Args) Int64(name string) int64 {
	v, ok := a[name]
	if !ok || v.IsNull() || !v.IsKnown() {
		return 0
	}
	var f big.Float
	if err := v.As(&f); err != nil {
		return 0
	}
	n, _ := f.Int64()
	return n
}

// Request is a read's request, built once from the configuration: the
// query parameters and the JSON body the arguments map to (paging aside),
// and the arguments themselves for what the fetch builds itself (a path).
type Request struct {
	Args Args
	// Query holds the arguments mapped to query parameters; PageQuery
	// copies it for one page.
	Query url.Values
	// Body is the JSON object of the set arguments mapped to body fields,
	// in declaration order; nil when the API has no body field.
	Body []byte
	// Path holds the arguments mapped to path parameters, by parameter
	// (a fetch fills {name} in its path with them).
	Path map[string]string
}

// PageQuery returns a copy of Query for one page's request, with room for
// the paging parameters.
func (r *Request) PageQuery() url.Values {
	out := make(url.Values, len(r.Query)+2)
	for k, vs := range r.Query {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Request builds the request of a read from the configuration's values.
func (a *API) Request(args Args) (*Request, error) {
	r := &Request{Args: args, Query: url.Values{}, Path: map[string]string{}}
	attrs := a.Args
	var body bytes.Buffer
	hasBody := false
	for _, at := range attrs {
		if at.Body != "" {
			if !hasBody {
				body.WriteByte('{')
				hasBody = true
			}
			if s, ok := args.string(at.Name); ok {
				if err := bodyField(&body, at.Body, s); err != nil {
					return nil, fmt.Errorf("encoding the request body: %w", err)
				}
			}
		}
		if at.Path != "" {
			r.Path[at.Path] = args.String(at.Name)
		}
		if at.Query != "" {
			if err := addQuery(r.Query, at, args[at.Name]); err != nil {
				return nil, fmt.Errorf("argument %s: %w", at.Name, err)
			}
		}
	}
	if hasBody {
		body.WriteByte('}')
		r.Body = body.Bytes()
	}
	return r, nil
}

// bodyField appends "key":"value" to an open JSON object, with a comma
// when a field precedes it. "&" and "<" go as they are: both are valid
// JSON, and the API gets the text the user wrote.
func bodyField(b *bytes.Buffer, key, value string) error {
	if b.Len() > 1 {
		b.WriteByte(',')
	}
	if err := jsonString(b, key); err != nil {
		return err
	}
	b.WriteByte(':')
	return jsonString(b, value)
}

// jsonString appends s as a JSON string.
func jsonString(b *bytes.Buffer, s string) error {
	var e bytes.Buffer
	enc := json.NewEncoder(&e)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return err
	}
	b.Write(bytes.TrimSuffix(e.Bytes(), []byte("\n")))
	return nil
}

// addQuery adds an argument's value to q under its query key: a string or
// time as it is, a bool as "true" or "false", a list as one parameter per
// element. Null (unset) arguments add nothing.
func addQuery(q url.Values, a Attribute, v tftypes.Value) error {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	switch a.Kind {
	case String, Time:
		var s string
		if err := v.As(&s); err != nil {
			return err
		}
		q.Set(a.Query, s)
	case Bool:
		var b bool
		if err := v.As(&b); err != nil {
			return err
		}
		q.Set(a.Query, fmt.Sprint(b))
	case StringList:
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return err
		}
		for _, e := range elems {
			var s string
			if err := e.As(&s); err != nil {
				return err
			}
			q.Add(a.Query, s)
		}
	default:
		return fmt.Errorf("kind %d cannot be a query parameter", a.Kind)
	}
	return nil
}
