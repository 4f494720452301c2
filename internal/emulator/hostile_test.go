package emulator

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func asMap(t *testing.T, r result) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if r.status != http.StatusOK || json.Unmarshal(r.body, &m) != nil {
		t.Fatalf("answer %d %s", r.status, r.body)
	}
	return m
}

func TestHostileOOS(t *testing.T) {
	q := url.Values{"ExecutionId": {"exec-0001"}}
	e := newEnv(t, Options{Faults: Faults{Hostile: HostileOOSNoLogs}})
	if r := e.send(e.aliReq(q)); r.status != 200 || string(r.body) != "{}" {
		t.Fatalf("oos-no-logs: %d %s", r.status, r.body)
	}
	e.s.SetFaults(Faults{Hostile: HostileOOSErrorCode})
	m := asMap(t, e.send(e.aliReq(q)))
	if string(m["Code"]) != `"InternalError"` || m["ExecutionLogs"] != nil {
		t.Fatalf("oos-error-code: %v", m)
	}
	e.s.SetFaults(Faults{Hostile: HostileTruncatedNoToken})
	m = asMap(t, e.send(e.aliReq(q)))
	if string(m["IsTruncated"]) != "true" || m["NextToken"] != nil || m["ExecutionLogs"] == nil {
		t.Fatalf("truncated-no-token: %v", m)
	}
}

func TestHostileCounts(t *testing.T) {
	e := newEnv(t, Options{})
	for h, want := range map[Hostile]func(m map[string]json.RawMessage) bool{
		HostileCountZero: func(m map[string]json.RawMessage) bool {
			return string(m["count"]) == "0" && len(m["script_records"]) > 2
		},
		HostileCountNegative: func(m map[string]json.RawMessage) bool { return string(m["count"]) == "-5" },
		HostileCountNoList: func(m map[string]json.RawMessage) bool {
			return m["script_records"] == nil && string(m["count"]) != "0"
		},
	} {
		e.s.SetFaults(Faults{Hostile: h})
		if m := asMap(t, e.send(e.hwReq("GET", recPath(), url.Values{"limit": {"5"}}, nil))); !want(m) {
			t.Errorf("%s: %s %s", h, m["count"], m["script_records"])
		}
	}
}

func TestHostileIgnoreOffsetAndChangedRecords(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{Hostile: HostileIgnoreOffset}})
	p0 := decodeAs[tScriptRecords](t, e.send(e.hwReq("GET", recPath(), url.Values{"limit": {"4"}}, nil)))
	p1 := decodeAs[tScriptRecords](t, e.send(e.hwReq("GET", recPath(), url.Values{"limit": {"4"}, "offset": {"4"}}, nil)))
	if p0.Count != p1.Count || len(p1.ScriptRecords) != 4 || string(p0.ScriptRecords[0]) != string(p1.ScriptRecords[0]) {
		t.Fatalf("ignore-offset: pages differ")
	}
	e.s.SetFaults(Faults{Hostile: HostileChangedRecords})
	p1 = decodeAs[tScriptRecords](t, e.send(e.hwReq("GET", recPath(), url.Values{"limit": {"4"}, "offset": {"4"}}, nil)))
	var a, b ScriptRecordAnswer
	_ = json.Unmarshal(p0.ScriptRecords[0], &a)
	_ = json.Unmarshal(p1.ScriptRecords[0], &b)
	var c ScriptRecordAnswer
	_ = json.Unmarshal(p1.ScriptRecords[2], &c)
	if p1.Count != p0.Count || a.ID != b.ID || b.Status != "FAILED" || c.ID == a.ID {
		t.Fatalf("changed-records: first %+v, page 2 starts %+v then %+v", a, b, c)
	}
}

func TestHostileRefusals(t *testing.T) {
	const token = "hw-temp-token-echoed"
	e := newEnv(t, Options{HuaweiSecurityToken: token, Faults: Faults{Hostile: HostileEchoSecrets}})
	r := e.send(e.hwReq("GET", recPath(), nil, nil))
	for _, s := range []string{token, DemoHuaweiSecretKey, "Signature="} {
		if r.status != 401 || !strings.Contains(string(r.body), s) {
			t.Fatalf("echo-secrets lacks %q: %d %s", s, r.status, r.body)
		}
	}
	if r.header.Get("X-Request-Id") != "rid-"+token {
		t.Fatalf("request id header %q", r.header.Get("X-Request-Id"))
	}
	e.s.SetFaults(Faults{Hostile: HostileBidiError})
	r = e.send(e.aliReq(url.Values{"ExecutionId": {"exec-0001"}}))
	var body aliErrorBody
	if r.status != 403 || json.Unmarshal(r.body, &body) != nil || body.Message != BidiMessage {
		t.Fatalf("bidi-error: %d %s", r.status, r.body)
	}
}

func TestHostileGzipBomb(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{Hostile: HostileGzipBomb}})
	wantOK(t, e.send(e.hwReq("GET", recPath(), url.Values{"limit": {"4"}}, nil))) // the first page is whole
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := raw.Do(e.hwReq("GET", recPath(), url.Values{"limit": {"4"}, "offset": {"4"}}, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	wire, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Content-Encoding") != "gzip" || len(wire) > 1<<20 {
		t.Fatalf("bomb: %q, %d bytes on the wire", resp.Header.Get("Content-Encoding"), len(wire))
	}
	zr, err := gzip.NewReader(bytes.NewReader(wire))
	if err != nil {
		t.Fatal(err)
	}
	// Far more than any page: inflating 64 MiB of it is proof enough.
	if n, err := io.CopyN(io.Discard, zr, 64<<20); err != nil || n != 64<<20 {
		t.Fatalf("inflates to %d bytes: %v", n, err)
	}
}

// TestHostileTwinFields: each item gives its status twice, the passing
// copy last (exactly, or in upper case), and encoding/json decoding into a
// struct reads the passing one: the answer a strict client must refuse.
func TestHostileTwinFields(t *testing.T) {
	e := newEnv(t, Options{})
	for _, h := range []Hostile{HostileTwinField, HostileFoldedField} {
		e.s.SetFaults(Faults{Hostile: h})
		r := e.send(e.hwReq("GET", recPath(), url.Values{"limit": {"5"}}, nil))
		var page struct {
			Records []struct {
				Status string `json:"status"`
			} `json:"script_records"`
		}
		if err := json.Unmarshal(r.body, &page); err != nil || len(page.Records) == 0 {
			t.Fatalf("%s: %v %s", h, err, r.body)
		}
		copies := bytes.Count(r.body, []byte(`"status":`))
		if h == HostileFoldedField {
			copies = bytes.Count(r.body, []byte(`"STATUS":"SUCCESS"`))
		}
		for _, rec := range page.Records {
			if rec.Status != "SUCCESS" {
				t.Errorf("%s: encoding/json read status %q, want the passing copy", h, rec.Status)
			}
		}
		if want := len(page.Records) * map[Hostile]int{HostileTwinField: 2, HostileFoldedField: 1}[h]; copies != want {
			t.Errorf("%s: %d copies in %s, want %d", h, copies, r.body, want)
		}
	}
	e.s.SetFaults(Faults{Hostile: HostileTwinField})
	m := asMap(t, e.send(e.aliReq(url.Values{"ExecutionId": {"exec-0001"}})))
	if !bytes.Contains(m["ExecutionLogs"], []byte(`,"LogType":"Info"}`)) {
		t.Errorf("twin-field, OOS: %s", m["ExecutionLogs"])
	}
}

// TestHostileUnstableStarts: after the first page, each page starts one
// record early, the count steady: page 2 repeats page 1's last record, and
// the last record is only on the page at offset count.
func TestHostileUnstableStarts(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{Hostile: HostileUnstableStarts}})
	page := func(offset string) tScriptRecords {
		return decodeAs[tScriptRecords](t, e.send(e.hwReq("GET", recPath(), url.Values{"limit": {"4"}, "offset": {offset}}, nil)))
	}
	id := func(raw json.RawMessage) string {
		var r ScriptRecordAnswer
		_ = json.Unmarshal(raw, &r)
		return r.ID
	}
	p0, p1 := page("0"), page("4")
	if len(p0.ScriptRecords) != 4 || len(p1.ScriptRecords) != 4 || p0.Count != p1.Count ||
		id(p1.ScriptRecords[0]) != id(p0.ScriptRecords[3]) {
		t.Fatalf("page 2 does not start with page 1's last record: %s / %s", p0.ScriptRecords, p1.ScriptRecords)
	}
	last := page(strconv.Itoa(p0.Count))
	e.s.SetFaults(Faults{})
	whole := page(strconv.Itoa(p0.Count - 1))
	if len(last.ScriptRecords) != 1 || len(whole.ScriptRecords) != 1 || id(last.ScriptRecords[0]) != id(whole.ScriptRecords[0]) {
		t.Fatalf("the page at offset count (%d) does not hold the last record alone: %s", p0.Count, last.ScriptRecords)
	}
}

// TestHostileEchoForms: the refusal sends back the request's token and
// the secret key cut, escaped and encoded, never whole and plain.
func TestHostileEchoForms(t *testing.T) {
	const token = "hw/temp+token=echoed&<in>every'form\"0123456789abcdef"
	e := newEnv(t, Options{HuaweiSecurityToken: token, Faults: Faults{Hostile: HostileEchoForms}})
	r := e.send(e.hwReq("GET", recPath(), nil, nil))
	var body struct {
		Msg string `json:"error_msg"`
	}
	if r.status != 401 || json.Unmarshal(r.body, &body) != nil {
		t.Fatalf("echo-forms: %d %s", r.status, r.body)
	}
	for _, form := range []string{
		"cut: " + token[:len(token)/2] + "...",
		`json: hw\/temp\u002Btoken\u003decho`,
		"html: hw&#47;temp&#x2B;token&#x3D;",
		"html-named: hw&sol;temp&plus;token&equals;echoed&amp;",
		"url: " + url.QueryEscape(token),
		"url-every-byte: %68%77%2F",
		`html-in-json: hw\u0026\u002347\u003btemp`,
		"url-in-url: hw%252Ftemp%252Btoken",
		DemoHuaweiSecretKey[:len(DemoHuaweiSecretKey)/2],
	} {
		if !strings.Contains(body.Msg, form) {
			t.Errorf("the message lacks %q:\n%s", form, body.Msg)
		}
	}
	if strings.Contains(body.Msg, token) {
		t.Errorf("the message holds the token plain: %s", body.Msg)
	}
	if got := r.header.Get("X-Request-Id"); got != "rid-"+url.QueryEscape(token) {
		t.Errorf("request id header %q", got)
	}
}

// TestHostileHugeItems: every item of a page carries HugeItemBytes in its
// text field, and the page is still under 8 MiB.
func TestHostileHugeItems(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{Hostile: HostileHugeItems}})
	r := e.send(e.hwReq("GET", recPath(), url.Values{"limit": {"100"}}, nil))
	var page struct {
		Records []struct {
			Reason string `json:"reason"`
		} `json:"script_records"`
	}
	if err := json.Unmarshal(r.body, &page); err != nil || len(page.Records) != 100 {
		t.Fatalf("%v, %d records", err, len(page.Records))
	}
	for _, rec := range page.Records {
		if len(rec.Reason) != HugeItemBytes {
			t.Fatalf("reason of %d bytes, want %d", len(rec.Reason), HugeItemBytes)
		}
	}
	if len(r.body) >= 8<<20 {
		t.Errorf("a page of %d bytes: over the provider's body limit", len(r.body))
	}
	m := asMap(t, e.send(e.aliReq(url.Values{"ExecutionId": {"exec-0001"}})))
	if !bytes.Contains(m["ExecutionLogs"], []byte(`"Message":"huge item text huge`)) {
		t.Errorf("huge-items, OOS: %.200s", m["ExecutionLogs"])
	}
}
