package emulator

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
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
)

// HostileModes lists the Hostile values, for the -fault flag.
func HostileModes() []Hostile {
	return []Hostile{HostileOOSNoLogs, HostileOOSErrorCode, HostileChangedRecords, HostileCountZero,
		HostileCountNoList, HostileCountNegative, HostileIgnoreOffset, HostileTruncatedNoToken,
		HostileEchoSecrets, HostileGzipBomb, HostileIAMProject, HostileTwinField, HostileFoldedField, HostileBidiError}
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
)

// hostileBefore adjusts the request before it is answered.
func (c *call) hostileBefore() {
	if c.faults.Hostile == HostileIgnoreOffset && c.query.Has("offset") {
		c.query.Set("offset", "0")
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
	}
	return nil
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
		resp.body = mustJSON(aliErrorBody{Code: "InternalError", Message: "gateway", RequestID: c.reqID})
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
	}
	return resp
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
		m[list] = mustJSON(items)
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
	extra := mustJSON(name)
	extra = append(append(extra, ':'), mustJSON(field[1])...)
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
	return mustJSON(items)
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
	resp.body = mustJSON(m)
	return resp
}

func mustJSON(v any) []byte { return marshal(v) }

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
