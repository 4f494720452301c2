package alicloud

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// Limits on what an error carries from a response.
const (
	// bodyExcerptBytes is how much of an unrecognised error body is kept.
	bodyExcerptBytes = 512
	// fieldMaxBytes bounds a code, message or id taken from a body.
	fieldMaxBytes = 2048
)

// APIError is an error answer (non-2xx) from an Alibaba Cloud API.
type APIError struct {
	// Operation is the API operation, e.g. "ListExecutionLogs".
	Operation string
	// Status is the HTTP status code.
	Status int
	// Code and Message are the body's Code and Message. When the body is
	// not the known error shape, Code is empty and Message is an excerpt
	// of the body (its first 512 bytes, control characters replaced).
	Code, Message string
	// RequestID is the body's RequestId, else the x-acs-request-id header.
	RequestID string
	// HostID is the body's HostId (the endpoint that answered).
	HostID string
}

// Error renders e as "Operation: HTTP 400 CODE: message (request id: abc,
// host id: oos.cn-hangzhou.aliyuncs.com)", leaving out the empty parts.
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
	return b.String()
}

// errorBody is Alibaba Cloud's error shape.
type errorBody struct {
	Code      transport.FlexString `json:"Code"`
	Message   transport.FlexString `json:"Message"`
	RequestID transport.FlexString `json:"RequestId"`
	HostID    transport.FlexString `json:"HostId"`
}

func decodeBody(body []byte) (errorBody, bool) {
	var eb errorBody
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return eb, false
	}
	if err := json.Unmarshal(trimmed, &eb); err != nil {
		return errorBody{}, false
	}
	return eb, true
}

// DecodeError turns a non-2xx response into an *APIError from a
// {"Code","Message","RequestId","HostId"} body; the request id falls back
// to the x-acs-request-id header. Any other body becomes a sanitised
// excerpt in Message. It never panics.
func DecodeError(operation string, status int, header http.Header, body []byte) *APIError {
	e := &APIError{Operation: operation, Status: status}
	if eb, ok := decodeBody(body); ok {
		e.Code = transport.Sanitize(string(eb.Code), fieldMaxBytes)
		e.Message = transport.Sanitize(string(eb.Message), fieldMaxBytes)
		e.RequestID = transport.Sanitize(string(eb.RequestID), fieldMaxBytes)
		e.HostID = transport.Sanitize(string(eb.HostID), fieldMaxBytes)
	}
	if e.Code == "" && e.Message == "" {
		e.Message = transport.Sanitize(string(body), bodyExcerptBytes)
	}
	if e.RequestID == "" {
		e.RequestID = transport.Sanitize(headerValue(header, "X-Acs-Request-Id"), fieldMaxBytes)
	}
	return e
}

func headerValue(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 && vs[0] != "" {
			return vs[0]
		}
	}
	return ""
}

// IsThrottling reports whether an Alibaba Cloud error code is worth
// retrying: Throttling and its sub-codes (Throttling.User, Throttling.Api,
// ...), Rejected.Throttling and ServiceUnavailable.
func IsThrottling(code string) bool {
	switch {
	case code == "Throttling", strings.HasPrefix(code, "Throttling."),
		code == "Rejected.Throttling", code == "ServiceUnavailable":
		return true
	}
	return false
}

// Retryable is the transport's Retryable hook for Alibaba Cloud: it
// reports whether resp's body carries a throttling code (IsThrottling),
// which Alibaba sends with HTTP 400 as well as 429 and 503.
func Retryable(resp *transport.Response) bool {
	if resp == nil {
		return false
	}
	eb, ok := decodeBody(resp.Body)
	return ok && IsThrottling(strings.TrimSpace(string(eb.Code)))
}

// masked masks e's server-sent text with mask (the transport's
// Response.Mask: every secret the client knows, every Signature= value),
// so that a server echoing a credential into its error answer never puts
// it into a diagnostic or a log line. It returns e.
func (e *APIError) masked(mask func(string) string) *APIError {
	e.Code = mask(e.Code)
	e.Message = mask(e.Message)
	e.RequestID = mask(e.RequestID)
	e.HostID = mask(e.HostID)
	return e
}

// Mask masks every secret the client's transport knows in text (see
// transport.Client.Mask), for diagnostics built from this client's errors.
func (c *Client) Mask(text string) string {
	if c == nil {
		return text
	}
	return c.tr.Mask(text)
}
