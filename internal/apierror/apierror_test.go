package apierror

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The renderer over every combination of empty and non-empty parts. Each
// part's text is spelled out below; the hint's "." comes only when the
// text before it does not end with one.
func TestAPIErrorTextEveryCombination(t *testing.T) {
	ops := []struct{ op, text string }{
		{"", ""},
		{"ListThings", "ListThings: "},
	}
	// Status 400 throughout; the status text stands only without a code
	// and a message.
	codeMessages := []struct{ code, message, text string }{
		{"", "", " Bad Request"},
		{"C.1", "", " C.1"},
		{"", "went wrong", ": went wrong"},
		{"", "went wrong.", ": went wrong."},
		{"C.1", "went wrong", " C.1: went wrong"},
		{"C.1", "went wrong.", " C.1: went wrong."},
	}
	ids := []struct{ requestID, hostID, text string }{
		{"", "", ""},
		{"r-1", "", " (request id: r-1)"},
		{"", "h.example", " (host id: h.example)"},
		{"r-1", "h.example", " (request id: r-1, host id: h.example)"},
	}
	hints := []string{"", "Check the keys."}
	n := 0
	for _, o := range ops {
		for _, cm := range codeMessages {
			for _, id := range ids {
				for _, hint := range hints {
					e := &APIError{Service: "svc", Operation: o.op, Status: 400, Code: cm.code, Message: cm.message,
						RequestID: id.requestID, HostID: id.hostID, Hint: hint}
					want := o.text + "HTTP 400" + cm.text + id.text
					if hint != "" {
						if !strings.HasSuffix(want, ".") {
							want += "."
						}
						want += " " + hint
					}
					if got := e.Error(); got != want {
						t.Errorf("%+v:\n got %q\nwant %q", *e, got, want)
					}
					n++
				}
			}
		}
	}
	if n != 2*6*4*2 {
		t.Fatalf("%d combinations", n)
	}
}

// Whole texts as each cloud's errors have them, and the status-text
// fallback for a status net/http has no text for.
func TestAPIErrorText(t *testing.T) {
	for _, tc := range []struct {
		e    APIError
		want string
	}{
		{APIError{Service: "workspace", Operation: "ListScriptExecutionRecords", Status: 401, Code: "APIG.0301",
			Message: "Incorrect IAM authentication information: verify aksk signature fail", RequestID: "req-hw-1",
			Hint: "Huawei Cloud refused the request's signature: check the keys."},
			"ListScriptExecutionRecords: HTTP 401 APIG.0301: Incorrect IAM authentication information: verify aksk signature fail " +
				"(request id: req-hw-1). Huawei Cloud refused the request's signature: check the keys."},
		{APIError{Operation: "ListExecutionLogs", Status: 400, Code: "Throttling.User", Message: "Request was denied due to user flow control.",
			RequestID: "7BD9C5E4-1", HostID: "oos.cn-hangzhou.aliyuncs.com"},
			"ListExecutionLogs: HTTP 400 Throttling.User: Request was denied due to user flow control. " +
				"(request id: 7BD9C5E4-1, host id: oos.cn-hangzhou.aliyuncs.com)"},
		{APIError{Operation: "Op", Status: 502}, "Op: HTTP 502 Bad Gateway"},
		{APIError{Status: 404, Code: "X"}, "HTTP 404 X"},
		{APIError{Status: 599}, "HTTP 599"},
		{APIError{Status: 0, Hint: "h"}, "HTTP 0. h"},
		{APIError{Status: 401, Message: "done.", Hint: "h"}, "HTTP 401: done. h"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%+v:\n got %q\nwant %q", tc.e, got, tc.want)
		}
	}
}

// Masked masks every field a server sends, and nothing the client wrote.
func TestAPIErrorMasked(t *testing.T) {
	e := &APIError{Service: "s", Operation: "op", Status: 403, Code: "c", Message: "m", RequestID: "r", HostID: "h", Hint: "hint"}
	mask := func(s string) string { return "<" + s + ">" }
	if got := e.Masked(mask); got != e {
		t.Fatalf("Masked returned %p, want e (%p)", got, e)
	}
	want := APIError{Service: "s", Operation: "op", Status: 403, Code: "<c>", Message: "<m>", RequestID: "<r>", HostID: "<h>", Hint: "hint"}
	if *e != want {
		t.Errorf("got  %+v\nwant %+v", *e, want)
	}
}

func TestHeaderValue(t *testing.T) {
	names := []string{"X-Request-Id", "X-Openstack-Request-Id"}
	for i, tc := range []struct {
		h     http.Header
		names []string
		want  string
	}{
		{nil, names, ""},
		{http.Header{}, names, ""},
		{http.Header{"X-Request-Id": {"a"}}, names, "a"},
		{http.Header{"X-Request-Id": {"a"}, "X-Openstack-Request-Id": {"b"}}, names, "a"},
		{http.Header{"X-Openstack-Request-Id": {"b"}}, names, "b"},
		// An empty value counts as none: the next name is tried.
		{http.Header{"X-Request-Id": {""}, "X-Openstack-Request-Id": {"b"}}, names, "b"},
		{http.Header{"X-Request-Id": {}, "X-Openstack-Request-Id": {"b"}}, names, "b"},
		// Only a key's first value is read.
		{http.Header{"X-Request-Id": {"", "later"}}, names, ""},
		// Keys in another case than the canonical one.
		{http.Header{"X-request-id": {"sm"}}, names, "sm"},
		{http.Header{"x-acs-request-id": {"low"}}, []string{"X-Acs-Request-Id"}, "low"},
		{http.Header{"x-acs-request-id": {"low"}}, []string{"x-acs-request-id"}, "low"},
		{http.Header{"X-Acs-Request-Id": {"canon"}}, []string{"x-acs-request-id"}, "canon"},
		// The order of names decides, not whether the case matches.
		{http.Header{"x-request-id": {"first"}, "X-Openstack-Request-Id": {"second"}}, names, "first"},
		// The exact (canonical) key is read before one in another case.
		{http.Header{"X-Request-Id": {"exact"}, "x-request-id": {"other"}}, names, "exact"},
		{http.Header{"X-Request-Id": {""}, "x-request-id": {"other"}}, names, "other"},
		{http.Header{"X-Request-Id": {"a"}}, nil, ""},
		{http.Header{"X-Request-Idx": {"a"}}, names, ""},
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if got := HeaderValue(tc.h, tc.names...); got != tc.want {
				t.Errorf("HeaderValue(%v, %q) = %q, want %q", tc.h, tc.names, got, tc.want)
			}
		})
	}
}
