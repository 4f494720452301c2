package huaweicloud

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
)

// errorFields are the two flat error shapes Huawei Cloud services use:
// {"error_code","error_msg"} (most services, APIG) and {"code","message"}
// (SecMaster), both sometimes with "request_id".
type errorFields struct {
	ErrorCode apierror.FlexString `json:"error_code"`
	ErrorMsg  apierror.FlexString `json:"error_msg"`
	Code      apierror.FlexString `json:"code"`
	Message   apierror.FlexString `json:"message"`
	RequestID apierror.FlexString `json:"request_id"`
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

// DecodeError turns a non-2xx response into a *apierror.APIError. It
// understands {"error_code","error_msg"} and {"code","message"} bodies
// (and the Keystone {"error":{...}} nesting); the request id comes from the
// X-Request-Id header (any case; else X-Openstack-Request-Id), else the
// body's request_id. Any other body becomes a sanitised excerpt in
// Message. It never panics.
func DecodeError(operation string, status int, header http.Header, body []byte) *apierror.APIError {
	e := &apierror.APIError{Operation: operation, Status: status}
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
		e.Code, e.Message = apierror.Sanitize(code, apierror.ErrorFieldMaxBytes), apierror.Sanitize(msg, apierror.ErrorFieldMaxBytes)
	}
	if e.Code == "" && e.Message == "" {
		e.Message = apierror.Sanitize(string(body), apierror.ErrorBodyExcerptBytes)
	}
	e.RequestID = apierror.Sanitize(apierror.HeaderValue(header, requestIDHeaders...), apierror.ErrorFieldMaxBytes)
	if e.RequestID == "" {
		e.RequestID = apierror.Sanitize(bodyID, apierror.ErrorFieldMaxBytes)
	}
	return e
}

// requestIDHeaders are where Huawei Cloud puts a request id, in order of
// preference. They are matched case-insensitively (SecMaster sends
// "X-request-id").
var requestIDHeaders = []string{"X-Request-Id", "X-Openstack-Request-Id"}

// Mask masks every secret the client's transport knows in text (see
// transport.Client.Mask), for diagnostics built from this client's errors.
func (c *Client) Mask(text string) string {
	if c == nil {
		return text
	}
	return c.tr.Mask(text)
}
