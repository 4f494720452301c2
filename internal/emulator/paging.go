package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// What the plug-ins share: reading parameters, filtering items once per
// query, and the two ways of paging (offset and token).

// params reads a request's parameters; the first error is kept and every
// later read returns the zero value, so that a handler reads them all in
// order and then refuses the first that was wrong.
type params struct {
	q   url.Values
	err error
	// ali words the errors of a repeated parameter and of an integer
	// out of range as Alibaba's services do ("The parameter X ..."),
	// not as Huawei's ("Invalid parameter X: ...").
	ali bool
}

// fail keeps err unless an error is already kept.
func (p *params) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// single returns the only value of a parameter; a repeated parameter is
// an error.
func (p *params) single(name string) (string, bool) {
	v, ok := p.q[name]
	switch {
	case p.err != nil || !ok:
		return "", false
	case len(v) > 1:
		if p.ali {
			p.fail(fmt.Errorf("The parameter %s must not be repeated.", name))
		} else {
			p.fail(fmt.Errorf("Invalid parameter %s: it must not be repeated", name))
		}
		return "", false
	}
	return v[0], true
}

// int is an integer parameter from lo to hi (math.MaxInt32: no bound),
// def when it is not given.
func (p *params) int(name string, def, lo, hi int) int {
	v, ok := p.single(name)
	if !ok {
		if p.err != nil {
			return 0
		}
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		switch {
		case p.ali:
			p.fail(fmt.Errorf("The parameter %s %q is invalid: it must be an integer from %d to %d.", name, v, lo, hi))
		case hi == math.MaxInt32:
			p.fail(fmt.Errorf("Invalid parameter %s: %q is not an integer >= %d", name, v, lo))
		default:
			p.fail(fmt.Errorf("Invalid parameter %s: %q is not an integer from %d to %d", name, v, lo, hi))
		}
		return 0
	}
	return n
}

// bool is a true/false parameter.
func (p *params) bool(name string) (value, set bool) {
	v, ok := p.single(name)
	if !ok {
		return false, false
	}
	switch v {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	p.fail(fmt.Errorf("Invalid parameter %s: %q is not true or false", name, v))
	return false, false
}

// enum is a parameter that must be one of allowed.
func (p *params) enum(name string, allowed []string) (string, bool) {
	v, ok := p.single(name)
	if ok && !slices.Contains(allowed, v) {
		p.fail(fmt.Errorf("Invalid parameter %s: %q is not one of %s", name, v, strings.Join(allowed, ", ")))
		return "", false
	}
	return v, ok
}

// time is an RFC 3339 parameter.
func (p *params) time(name string) (time.Time, bool) {
	v, ok := p.single(name)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		p.fail(fmt.Errorf("Invalid parameter %s: %q is not an RFC 3339 time such as 2021-10-01T12:00:00Z", name, v))
		return time.Time{}, false
	}
	return t, true
}

// ParseItemTime is parseItemTime, for the tests that mirror the
// emulator's filters.
func ParseItemTime(s string) (time.Time, bool) { return parseItemTime(s) }

// parseItemTime parses a time found in data: RFC 3339 (fractions allowed) or
// "2006-01-02 15:04:05" taken as UTC.
func parseItemTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateTime, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// inRange reports whether the item time s is within [from, to], each
// bound applying when set.
func inRange(s string, from time.Time, byFrom bool, to time.Time, byTo bool) bool {
	if !byFrom && !byTo {
		return true
	}
	t, ok := parseItemTime(s)
	return ok && !(byFrom && t.Before(from)) && !(byTo && t.After(to))
}

// withoutPaging is the canonical query minus offset and limit, used as a
// cache key for the filtered result.
func withoutPaging(q url.Values) string {
	c := url.Values{}
	for k, v := range q {
		if k != "offset" && k != "limit" {
			c[k] = v
		}
	}
	return canonicalQuery(c)
}

// filter returns the indexes of the n items keep keeps, computed once per
// key (the API's name is prefixed to it).
func (s *Server) filter(c *call, key string, n int, keep func(i int) bool) []int {
	return s.cached(c.api.name+key, func() []int { return keepIndexes(n, keep) })
}

// keepIndexes are the indexes below n that keep keeps, in order.
func keepIndexes(n int, keep func(i int) bool) []int {
	out := []int{}
	for i := range n {
		if keep(i) {
			out = append(out, i)
		}
	}
	return out
}

// checkProject refuses a {project_id} path parameter that is not one of
// the dataset's projects (403, gateway shape).
func (s *Server) checkProject(c *call) *response {
	project, ok := c.rt.params["project_id"]
	if !ok {
		return nil
	}
	if _, ok := s.projects[project]; ok {
		return nil
	}
	return c.gatewayError(http.StatusForbidden, "APIG.0302",
		fmt.Sprintf("The IAM user is forbidden in the currently selected region: project %s is not a project of this account.", project))
}

// offsetAnswer is an offset-paged answer: {count: total, list: items},
// with the API's count and list fields (see offsetPage).
func offsetAnswer[T any](c *call, idx []int, offset, limit int, item func(int) T) *response {
	total, items := offsetPage(c, idx, offset, limit, item)
	f := c.api.hostile
	body := fmt.Appendf(nil, "{%s:%d,%s:", marshal(f.count), total, marshal(f.list))
	body = append(append(body, marshal(items)...), '}')
	return c.raw(http.StatusOK, body)
}

// offsetPage is an offset-paged answer's page: the items of idx from
// offset, at most limit of them (an empty list beyond the end, never
// null), and the total, every match, plus Faults.CountDrift after the
// first page.
func offsetPage[T any](c *call, idx []int, offset, limit int, item func(int) T) (total int, items []T) {
	items = []T{}
	if offset < len(idx) {
		for _, i := range idx[offset:min(len(idx), offset+limit)] {
			items = append(items, item(i))
		}
	}
	total = len(idx)
	if offset > 0 {
		total += c.faults.CountDrift
	}
	return total, items
}

// tokenKey authenticates page tokens; tokens only need to be opaque and
// tamper-evident, so a fixed key keeps them deterministic.
var tokenKey = []byte("opsaudit-emulator/next-token/v1")

// A page token carries the parameters B of the request that made it (a
// comparable struct that encodes as a JSON object) and the offset of the
// next page: base64url of a 16-byte HMAC and the JSON of B with "o", the
// offset, added.
func encodeToken[B comparable](bound B, offset int) string {
	b, _ := json.Marshal(bound)
	sep := ","
	if string(b) == "{}" {
		sep = ""
	}
	payload := fmt.Appendf(bytes.TrimSuffix(b, []byte("}")), `%s"o":%d}`, sep, offset)
	m := hmac.New(sha256.New, tokenKey)
	m.Write(payload)
	return base64.RawURLEncoding.EncodeToString(append(m.Sum(nil)[:16], payload...))
}

// tokenError is what is wrong with a page token.
type tokenError int

const (
	tokenOK tokenError = iota
	// tokenInvalid: not a token the emulator made.
	tokenInvalid
	// tokenOtherQuery: a token made for other parameters.
	tokenOtherQuery
)

// decodeToken returns the offset a token carries, when it was made for
// the parameters bound.
func decodeToken[B comparable](s string, bound B) (int, tokenError) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) <= 16 {
		return 0, tokenInvalid
	}
	mac, payload := b[:16], b[16:]
	m := hmac.New(sha256.New, tokenKey)
	m.Write(payload)
	if !hmac.Equal(mac, m.Sum(nil)[:16]) {
		return 0, tokenInvalid
	}
	var got B
	var off struct {
		Offset int `json:"o"`
	}
	if json.Unmarshal(payload, &got) != nil || json.Unmarshal(payload, &off) != nil || off.Offset < 0 {
		return 0, tokenInvalid
	}
	if got != bound {
		return 0, tokenOtherQuery
	}
	return off.Offset, tokenOK
}

// nextToken is the token of the page after the one at offset (limit
// items of total), "" on the last page; with Faults.RepeatToken, every
// page carries the first page's.
func nextToken[B comparable](c *call, bound B, offset, limit, total int) string {
	switch {
	case c.faults.RepeatToken:
		return encodeToken(bound, limit)
	case offset+limit < total:
		return encodeToken(bound, offset+limit)
	}
	return ""
}
