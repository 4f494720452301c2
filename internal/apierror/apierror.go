// Package apierror holds what both clouds' clients make of an error
// answer: the one API error type (APIError: its one-line text, the masking
// of its server-sent fields), the header lookup and the size limits their
// DecodeError use, the lenient fields of error bodies (FlexString) and the
// making of server text safe for a diagnostic (Sanitize, StripFormat).
package apierror

import (
	"net/http"
	"strconv"
	"strings"
)

// Limits on what an API error carries from a response; both clouds'
// DecodeError (internal/huaweicloud, internal/alicloud) use them.
const (
	// ErrorBodyExcerptBytes is how much of an unrecognised error body is
	// kept (APIError.Message).
	ErrorBodyExcerptBytes = 512
	// ErrorFieldMaxBytes bounds a code, message or id taken from an error
	// body or header.
	ErrorFieldMaxBytes = 2048
)

// APIError is an error answer (non-2xx) from a cloud API, built by the
// cloud's DecodeError from the answer's status, headers and body. Every
// field a server sent has been through Sanitize; the clients mask it
// (Masked) before returning it.
type APIError struct {
	// Service is the endpoint key the call went to ("workspace", "iam",
	// ...). Huawei Cloud's client sets it; Alibaba Cloud's leaves it
	// empty. It is not part of Error's text.
	Service string
	// Operation is the API operation, e.g. "ListScriptExecutionRecords"
	// (Huawei Cloud) or "ListExecutionLogs" (Alibaba Cloud).
	Operation string
	// Status is the HTTP status code.
	Status int
	// Code and Message are the error code and message of the body: Huawei
	// Cloud's error_code/error_msg or code/message (also nested under
	// Keystone's "error"), Alibaba Cloud's Code/Message. When the body is
	// not a known error shape, Code is empty and Message is an excerpt of
	// the body (its first ErrorBodyExcerptBytes, control characters
	// replaced).
	Code, Message string
	// RequestID is the request id, when there is one: Huawei Cloud's
	// X-Request-Id header (else X-Openstack-Request-Id), else the body's
	// request_id; Alibaba Cloud's body RequestId, else the
	// x-acs-request-id header.
	RequestID string
	// HostID is Alibaba Cloud's HostId from the body (the endpoint that
	// answered). Huawei Cloud errors leave it empty.
	HostID string
	// Hint, when set, says what to check. It is written by the client,
	// never taken from the answer: Huawei Cloud's client sets it on a 401
	// to a signed request (which settings the keys come from, and the lock
	// after five failed signatures). Alibaba Cloud's leaves it empty.
	Hint string
}

// Error renders e as
//
//	Operation: HTTP 400 CODE: message (request id: abc, host id: h). Hint
//
// leaving out the parts that are empty: without a code and a message the
// status text follows the status ("HTTP 502 Bad Gateway"); the hint comes
// after a "." unless the text already ends with one.
func (e *APIError) Error() string {
	var b strings.Builder
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	b.WriteString("HTTP ")
	b.WriteString(strconv.Itoa(e.Status))
	if e.Code == "" && e.Message == "" {
		if t := http.StatusText(e.Status); t != "" {
			b.WriteByte(' ')
			b.WriteString(t)
		}
	}
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	var ids []string
	if e.RequestID != "" {
		ids = append(ids, "request id: "+e.RequestID)
	}
	if e.HostID != "" {
		ids = append(ids, "host id: "+e.HostID)
	}
	if len(ids) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(ids, ", "))
		b.WriteByte(')')
	}
	if e.Hint != "" {
		if !strings.HasSuffix(b.String(), ".") {
			b.WriteByte('.')
		}
		b.WriteByte(' ')
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Masked masks e's server-sent text (Code, Message, RequestID, HostID)
// with mask (the transport's Response.Mask: every secret the client
// knows, every Signature= value), so that a server echoing a credential
// into its error answer never puts it into a diagnostic or a log line. It
// returns e. Hint is not masked: no server text reaches it (see Hint),
// and the clients set it after masking.
func (e *APIError) Masked(mask func(string) string) *APIError {
	e.Code = mask(e.Code)
	e.Message = mask(e.Message)
	e.RequestID = mask(e.RequestID)
	e.HostID = mask(e.HostID)
	return e
}

// HeaderValue returns the first value of the first of names that h has
// with a non-empty value, trying the names in order. Each name is looked
// up as http.Header.Get does (its canonical form), then among h's keys
// case-insensitively: a map not built by net/http may hold a key as a
// server sent it ("x-acs-request-id", SecMaster's "X-request-id"). It
// returns "" when none has a value.
func HeaderValue(h http.Header, names ...string) string {
	for _, name := range names {
		if v := h.Get(name); v != "" {
			return v
		}
		for k, vs := range h {
			if strings.EqualFold(k, name) && len(vs) > 0 && vs[0] != "" {
				return vs[0]
			}
		}
	}
	return ""
}
