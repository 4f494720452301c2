package huaweicloud

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
	// fieldMaxBytes bounds a code, message or request id taken from a body.
	fieldMaxBytes = 2048
)

// APIError is an error answer (non-2xx) from a Huawei Cloud API.
type APIError struct {
	// Service is the endpoint key the call went to ("workspace", "iam", ...).
	Service string
	// Operation is the API operation, e.g. "ListScriptExecutionRecords".
	Operation string
	// Status is the HTTP status code.
	Status int
	// Code and Message are the API's error_code/error_msg (or code/message).
	// When the body is not a known error shape, Code is empty and Message
	// is an excerpt of the body (its first 512 bytes, control characters
	// replaced).
	Code, Message string
	// RequestID is the request id from the X-Request-Id header or the
	// body's request_id, when there is one.
	RequestID string
	// Hint, when set, says what to check (a refused signature: which
	// settings, and the lock after five failures). Not from the server.
	Hint string
}

// Error renders e as
// "Operation: HTTP 404 CODE: message (request id: abc)", leaving out the
// parts that are empty.
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
	if e.RequestID != "" {
		b.WriteString(" (request id: ")
		b.WriteString(e.RequestID)
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

// errorFields are the two flat error shapes Huawei Cloud services use:
// {"error_code","error_msg"} (most services, APIG) and {"code","message"}
// (SecMaster), both sometimes with "request_id".
type errorFields struct {
	ErrorCode transport.FlexString `json:"error_code"`
	ErrorMsg  transport.FlexString `json:"error_msg"`
	Code      transport.FlexString `json:"code"`
	Message   transport.FlexString `json:"message"`
	RequestID transport.FlexString `json:"request_id"`
}

func (f errorFields) codeMessage() (string, string) {
	code, msg := string(f.ErrorCode), string(f.ErrorMsg)
	if code == "" {
		code = string(f.Code)
	}
	if msg == "" {
		msg = string(f.Message)
	}
	return code, msg
}

// errorBody also accepts the Keystone (IAM) shape, which nests the fields
// under "error": {"error":{"code":401,"message":"...","title":"..."}}.
type errorBody struct {
	errorFields
	Error *errorFields `json:"error"`
}

// DecodeError turns a non-2xx response into an *APIError. It understands
// {"error_code","error_msg"} and {"code","message"} bodies (and the
// Keystone {"error":{...}} nesting); the request id comes from the
// X-Request-Id header (any case), else the body's request_id. Any other
// body becomes a sanitised excerpt in Message. It never panics.
func DecodeError(operation string, status int, header http.Header, body []byte) *APIError {
	e := &APIError{Operation: operation, Status: status}
	var eb errorBody
	var bodyID string
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &eb) == nil {
		code, msg := eb.codeMessage()
		bodyID = string(eb.RequestID)
		if eb.Error != nil {
			if code == "" && msg == "" {
				code, msg = eb.Error.codeMessage()
			}
			if bodyID == "" {
				bodyID = string(eb.Error.RequestID)
			}
		}
		e.Code, e.Message = transport.Sanitize(code, fieldMaxBytes), transport.Sanitize(msg, fieldMaxBytes)
	}
	if e.Code == "" && e.Message == "" {
		e.Message = transport.Sanitize(string(body), bodyExcerptBytes)
	}
	e.RequestID = transport.Sanitize(headerRequestID(header), fieldMaxBytes)
	if e.RequestID == "" {
		e.RequestID = transport.Sanitize(bodyID, fieldMaxBytes)
	}
	return e
}

// requestIDHeaders are where Huawei Cloud puts a request id, in order of
// preference. They are matched case-insensitively (SecMaster sends
// "X-request-id").
var requestIDHeaders = []string{"X-Request-Id", "X-Openstack-Request-Id"}

func headerRequestID(h http.Header) string {
	for _, name := range requestIDHeaders {
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

// masked masks e's server-sent text with mask (the transport's
// Response.Mask: every secret the client knows, every Signature= value),
// so that a server echoing a credential into its error answer never puts
// it into a diagnostic or a log line. It returns e.
func (e *APIError) masked(mask func(string) string) *APIError {
	e.Code = mask(e.Code)
	e.Message = mask(e.Message)
	e.RequestID = mask(e.RequestID)
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
