package emulator

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Hostile is an answer the real APIs would never give, but a broken or
// hostile server (or a man in the middle) could: each one is a case the
// provider must refuse, warn about or mask rather than pass a policy check
// on. Set Faults.Hostile (or the emulator's -fault flag); like the other
// faults it applies to the APIs in Faults.APIs (HostileIAMProject needs
// APIIAM there).
type Hostile string

// The hostile answers.
const (
	// HostileOOSNoLogs: OOS answers 200 with the body {} (no ExecutionLogs).
	HostileOOSNoLogs Hostile = "oos-no-logs"
	// HostileOOSErrorCode: OOS answers 200 with an error body
	// {"Code":"InternalError","Message":"gateway","RequestId":...}.
	HostileOOSErrorCode Hostile = "oos-error-code"
	// HostileChangedRecords: every page after the first starts with the
	// first half of the previous page's items (same ids) with other
	// content (script records FAILED, desktop events ERROR), in place of
	// as many of its own; the count stays.
	HostileChangedRecords Hostile = "changed-records"
	// HostileCountZero: count / total_count is 0 while items are returned.
	HostileCountZero Hostile = "count-zero"
	// HostileCountNoList: the count is given, the item list left out.
	HostileCountNoList Hostile = "count-no-list"
	// HostileCountNegative: count / total_count is -5.
	HostileCountNegative Hostile = "count-negative"
	// HostileIgnoreOffset: offset APIs answer every page with the first
	// page (the count steady).
	HostileIgnoreOffset Hostile = "ignore-offset"
	// HostileTruncatedNoToken: OOS says IsTruncated true on its first page
	// but gives no NextToken.
	HostileTruncatedNoToken Hostile = "truncated-no-token"
	// HostileEchoSecrets: every request is refused with an error whose
	// text echoes the request's Authorization and security token headers
	// and the account's secret key, and whose request id header echoes the
	// security token.
	HostileEchoSecrets Hostile = "echo-secrets"
	// HostileGzipBomb: 200 answers (after the first page of an offset
	// API) are gzip bodies of GzipBombBytes zero bytes (about 300 KB on the
	// wire).
	HostileGzipBomb Hostile = "gzip-bomb"
	// HostileIAMProject: IAM answers the project lookup with the id
	// IAMHostileProjectID (needs APIIAM in Faults.APIs).
	HostileIAMProject Hostile = "iam-path-project"
	// HostileTwinField: every item of a list answer gives a field a
	// policy check looks at twice, its own value first and then a passing
	// one (TwinField: "status": "SUCCESS" for script records, "FINISHED"
	// for audit logs; "event_level": "INFO"; "LogType": "Info"):
	// encoding/json would read the second, another reader the first.
	HostileTwinField Hostile = "twin-field"
	// HostileFoldedField: the same, the passing copy named in upper case
	// ("STATUS", "EVENT_LEVEL", "LOGTYPE"), which encoding/json reads as
	// the field when it decodes into a struct.
	HostileFoldedField Hostile = "folded-field"
	// HostileBidiError: every request is refused with an error message
	// holding Unicode bidirectional controls (U+202E, U+2066).
	HostileBidiError Hostile = "bidi-error"
	// HostileUnstableStarts: offset-paged answers after the first page
	// start one item early (the page at offset o is the one at o-1, the
	// count steady), as a list whose head moved between requests: the
	// second page repeats the first page's last item, each later page
	// starts with the item the page before left out, and the last item
	// comes only on a page at offset count. A reader that plans its pages
	// from the count alone misses it.
	HostileUnstableStarts Hostile = "unstable-starts"
	// HostileEchoForms: every request is refused with an error whose
	// message sends back the request's security token and the account's
	// secret key in every form a server might (EchoForms): cut, a run
	// from its middle, JSON-escaped, HTML character references,
	// URL-encoded and one inside another; the request id header sends the
	// token URL-encoded.
	HostileEchoForms Hostile = "echo-forms"
	// HostileHugeItems: every item of a list answer carries
	// HugeItemBytes in one of its text fields (hostileFields.huge: a
	// script record's reason, an event's event_data, an audit log's
	// input, an OOS log's Message), far more than the APIs document.
	HostileHugeItems Hostile = "huge-items"
	// HostileIAMEcho: IAM answers the project lookup with an id that sends
	// back the request's security token ("p1/" and the token: not a path
	// segment, so the provider refuses it quoting it; needs APIIAM in
	// Faults.APIs).
	HostileIAMEcho Hostile = "iam-echo-project"
)

// HostileModes lists the Hostile values, for the -fault flag.
func HostileModes() []Hostile {
	return []Hostile{HostileOOSNoLogs, HostileOOSErrorCode, HostileChangedRecords, HostileCountZero,
		HostileCountNoList, HostileCountNegative, HostileIgnoreOffset, HostileTruncatedNoToken,
		HostileEchoSecrets, HostileGzipBomb, HostileIAMProject, HostileTwinField, HostileFoldedField, HostileBidiError,
		HostileUnstableStarts, HostileEchoForms, HostileHugeItems, HostileIAMEcho}
}

// Values the hostile answers use.
const (
	// IAMHostileProjectID is the project id HostileIAMProject returns: it
	// would add path segments, a query and a fragment to every request.
	IAMHostileProjectID = "p1/extra?x=1#f"
	// GzipBombBytes is what a HostileGzipBomb body inflates to.
	GzipBombBytes = 300 << 20
	// BidiMessage is the error message of HostileBidiError: it displays
	// as "Access denied to script txt.exe" but reads otherwise.
	BidiMessage = "Access denied to script \u202Eexe.txt\u202C \u2066(isolated)\u2069"
	// HugeItemBytes is the text HostileHugeItems puts in every item: 64
	// KiB, so that a page of 100 items stays under the provider's body
	// limit of 8 MiB and only the items' number makes a read large.
	HugeItemBytes = 64 << 10
)

// hostileBefore adjusts the request before it is answered.
func (c *call) hostileBefore() {
	switch c.faults.Hostile {
	case HostileIgnoreOffset:
		if c.query.Has("offset") {
			c.query.Set("offset", "0")
		}
	case HostileUnstableStarts:
		if o, err := strconv.Atoi(c.query.Get("offset")); err == nil && o > 0 && c.api.paging == offsetPaged {
			c.query.Set("offset", strconv.Itoa(o-1))
		}
	}
}

// hostileRefusal answers the hostile modes that refuse every request, or
// returns nil.
func (s *Server) hostileRefusal(c *call) *response {
	sh, cl := c.api.shape, c.api.cloud
	switch c.faults.Hostile {
	case HostileEchoSecrets:
		resp := c.errorOf(sh.echoStatus, sh.echoCode, cl.echoSecrets(s, c))
		resp.header[sh.requestIDHeader] = []string{"rid-" + c.r.Header.Get(cl.tokenHeader)}
		return resp
	case HostileBidiError:
		return c.errorOf(http.StatusForbidden, sh.forbiddenCode, BidiMessage)
	case HostileEchoForms:
		token := c.r.Header.Get(cl.tokenHeader)
		resp := c.errorOf(sh.echoStatus, sh.echoCode, "The request was refused. "+EchoForms(token, cl.secretKey(s)))
		resp.header[sh.requestIDHeader] = []string{"rid-" + url.QueryEscape(token)}
		return resp
	}
	return nil
}

// EchoForms is the text HostileEchoForms sends back for the secrets: each
// in every form a server might echo it in, labelled. It is written here
// with the standard library alone, not with the provider's code, so that
// the provider's masking is tested against forms it did not make.
func EchoForms(secrets ...string) string {
	var b strings.Builder
	for i, s := range secrets {
		if s == "" {
			continue
		}
		third := len(s) / 3
		run := s[third : third+max(min(len(s)-third, 16), len(s)/3)]
		fmt.Fprintf(&b, "[secret %d] cut: %s... run: ...%s... json: %s html: %s html-named: %s url: %s url-every-byte: %s "+
			"html-in-json: %s url-in-url: %s ",
			i+1, s[:max(len(s)/2, min(len(s), 16))], run, jsonEscapeEvery(s), htmlReferences(s), htmlNamed(s),
			url.QueryEscape(s), percentEvery(s), jsonEscapeEvery(htmlReferences(s)), url.QueryEscape(url.QueryEscape(s)))
	}
	return strings.TrimSpace(b.String())
}

// jsonEscapeEvery escapes s as a JSON string's content would be if the
// writer escaped every character that is not a letter or a digit: "/" as
// \/, every other as \u00XX (hex digits upper case for "+", lower for
// the rest).
func jsonEscapeEvery(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '/':
			b.WriteString(`\/`)
		case r == '+':
			b.WriteString(`\u002B`)
		case r < 0x80 && !isAlnum(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// htmlReferences writes every character that is not a letter or a digit
// as a numeric character reference, decimal and hexadecimal in turn
// (&#43; &#x2F;).
func htmlReferences(s string) string {
	var b strings.Builder
	hex := false
	for _, r := range s {
		switch {
		case r < 0x80 && isAlnum(r):
			b.WriteRune(r)
		case hex:
			fmt.Fprintf(&b, "&#x%X;", r)
		default:
			fmt.Fprintf(&b, "&#%d;", r)
		}
		hex = !hex
	}
	return b.String()
}

// htmlNamed writes the characters that have an HTML name by name (&amp;
// &sol; &plus; &equals; ...) and the rest as html.EscapeString does.
func htmlNamed(s string) string {
	return strings.NewReplacer("/", "&sol;", "+", "&plus;", "=", "&equals;", "%", "&percnt;").Replace(html.EscapeString(s))
}

// percentEvery writes every byte as %XX.
func percentEvery(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

func isAlnum(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
}

// hostileFields are the fields of an API's answer the hostile modes
// rewrite; list and count are also the fields of an offset-paged answer
// (offsetAnswer).
type hostileFields struct {
	// list and count are the answer's item list and count fields (count
	// "" when it has none).
	list, count string
	// twin is the field HostileTwinField gives twice and the passing
	// value of its second copy.
	twin [2]string
	// changed is the field HostileChangedRecords changes in the items it
	// repeats, and the value it gives them (none when the items have no
	// id to be repeated by).
	changed [2]string
	// huge is the text field HostileHugeItems fills.
	huge string
}

// hostileAfter rewrites a successful answer for the hostile modes.
func (s *Server) hostileAfter(c *call, resp *response) *response {
	h := c.faults.Hostile
	if h == "" || resp == nil || resp.status != http.StatusOK {
		return resp
	}
	if c.api.hostileAnswer != nil {
		return c.api.hostileAnswer(c, h, resp)
	}
	list, count := c.api.hostile.list, c.api.hostile.count
	if list == "" {
		return resp
	}
	offset, _ := strconv.Atoi(c.query.Get("offset"))
	switch {
	case h == HostileOOSNoLogs && c.ali():
		resp.body = []byte(`{}`)
	case h == HostileOOSErrorCode && c.ali():
		resp.body = marshal(aliErrorBody{Code: "InternalError", Message: "gateway", RequestID: c.reqID})
	case h == HostileTruncatedNoToken && c.ali() && c.query.Get("NextToken") == "":
		return rewrite(resp, func(m map[string]json.RawMessage) {
			delete(m, "NextToken")
			m["IsTruncated"] = json.RawMessage("true")
		})
	case h == HostileCountZero && count != "":
		return rewrite(resp, func(m map[string]json.RawMessage) { m[count] = json.RawMessage("0") })
	case h == HostileCountNegative && count != "":
		return rewrite(resp, func(m map[string]json.RawMessage) { m[count] = json.RawMessage("-5") })
	case h == HostileCountNoList:
		return rewrite(resp, func(m map[string]json.RawMessage) { delete(m, list) })
	case h == HostileChangedRecords && offset > 0:
		return s.changedRecords(c, resp, list, offset)
	case h == HostileTwinField || h == HostileFoldedField:
		return rewrite(resp, func(m map[string]json.RawMessage) {
			m[list] = twinFields(c.api.hostile.twin, m[list], h == HostileFoldedField)
		})
	case h == HostileGzipBomb && (offset > 0 || c.api.paging == tokenPaged):
		resp.body = gzipBomb()
		resp.header["Content-Encoding"] = []string{"gzip"}
	case h == HostileHugeItems && c.api.hostile.huge != "":
		return rewrite(resp, func(m map[string]json.RawMessage) { m[list] = hugeItems(c.api.hostile.huge, m[list]) })
	}
	return resp
}

// hugeItems sets field of every item of list to HugeItemBytes of text.
func hugeItems(field string, list json.RawMessage) json.RawMessage {
	var items []map[string]json.RawMessage
	if json.Unmarshal(list, &items) != nil {
		return list
	}
	huge := hugeText()
	for _, it := range items {
		if it != nil {
			it[field] = huge
		}
	}
	return marshal(items)
}

var (
	hugeOnce sync.Once
	huge     json.RawMessage
)

// hugeText is a JSON string of HugeItemBytes, made once.
func hugeText() json.RawMessage {
	hugeOnce.Do(func() {
		huge = marshal(strings.Repeat("huge item text ", HugeItemBytes/15+1)[:HugeItemBytes])
	})
	return huge
}

// changedRecords puts the first half of the previous page's items, with
// other content, at the start of this page.
func (s *Server) changedRecords(c *call, resp *response, list string, offset int) *response {
	field := c.api.hostile.changed
	if field[0] == "" {
		return resp // items without an id
	}
	limit, err := strconv.Atoi(c.query.Get("limit"))
	if err != nil || limit < 2 {
		return resp
	}
	prev := *c
	prev.query = cloneQuery(c.query)
	prev.query.Set("offset", strconv.Itoa(max(offset-limit, 0)))
	prevResp := s.answer(&prev)
	var before map[string]json.RawMessage
	var prevItems []map[string]any
	if prevResp == nil || json.Unmarshal(prevResp.body, &before) != nil || json.Unmarshal(before[list], &prevItems) != nil {
		return resp
	}
	repeat := prevItems[:len(prevItems)/2]
	for _, it := range repeat {
		it[field[0]] = field[1]
	}
	return rewrite(resp, func(m map[string]json.RawMessage) {
		var items []map[string]any
		if json.Unmarshal(m[list], &items) != nil {
			return
		}
		n := min(len(repeat), len(items))
		items = append(slices.Clone(repeat[:n]), items[n:]...)
		m[list] = marshal(items)
	})
}

// TwinField is the field HostileTwinField gives twice, per API, and the
// passing value of its second copy (filled in as the plug-ins register).
var TwinField = map[string][2]string{}

// twinFields appends to each item of list a second copy of field with its
// passing value, named in upper case when folded.
func twinFields(field [2]string, list json.RawMessage, folded bool) json.RawMessage {
	var items []json.RawMessage
	if json.Unmarshal(list, &items) != nil {
		return list
	}
	name := field[0]
	if folded {
		name = strings.ToUpper(name)
	}
	extra := marshal(name)
	extra = append(append(extra, ':'), marshal(field[1])...)
	for i, it := range items {
		it = bytes.TrimSpace(it)
		if len(it) < 2 || it[0] != '{' {
			continue
		}
		body := it[:len(it)-1] // without the closing brace
		sep := []byte(",")
		if len(bytes.TrimSpace(body)) == 1 {
			sep = nil // an empty object
		}
		items[i] = slices.Concat(body, sep, extra, []byte("}"))
	}
	return marshal(items)
}

func cloneQuery(q map[string][]string) map[string][]string {
	out := make(map[string][]string, len(q))
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

// rewrite decodes the answer's JSON object, lets edit change it and
// encodes it again.
func rewrite(resp *response, edit func(map[string]json.RawMessage)) *response {
	var m map[string]json.RawMessage
	if json.Unmarshal(resp.body, &m) != nil {
		return resp
	}
	edit(m)
	resp.body = marshal(m)
	return resp
}

var (
	bombOnce sync.Once
	bomb     []byte
)

// gzipBomb returns a gzip stream of GzipBombBytes zero bytes, made once:
// one member of 10 MiB compressed, repeated (a gzip stream may hold
// several members, RFC 1952 section 2.2).
func gzipBomb() []byte {
	bombOnce.Do(func() {
		const member = 10 << 20
		var one bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&one, gzip.BestCompression)
		_, _ = io.CopyN(zw, zeroReader{}, member)
		_ = zw.Close()
		bomb = bytes.Repeat(one.Bytes(), GzipBombBytes/member)
	})
	return bomb
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }
