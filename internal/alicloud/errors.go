package alicloud

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// errorBody is Alibaba Cloud's error shape.
type errorBody struct {
	Code      apierror.FlexString `json:"Code"`
	Message   apierror.FlexString `json:"Message"`
	RequestID apierror.FlexString `json:"RequestId"`
	HostID    apierror.FlexString `json:"HostId"`
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

// DecodeError turns a non-2xx response into a *apierror.APIError from a
// {"Code","Message","RequestId","HostId"} body; the request id falls back
// to the x-acs-request-id header (any case). Any other body becomes a
// sanitised excerpt in Message. It never panics.
func DecodeError(operation string, status int, header http.Header, body []byte) *apierror.APIError {
	e := &apierror.APIError{Operation: operation, Status: status}
	if eb, ok := decodeBody(body); ok {
		e.Code = apierror.Sanitize(string(eb.Code), apierror.ErrorFieldMaxBytes)
		e.Message = apierror.Sanitize(string(eb.Message), apierror.ErrorFieldMaxBytes)
		e.RequestID = apierror.Sanitize(string(eb.RequestID), apierror.ErrorFieldMaxBytes)
		e.HostID = apierror.Sanitize(string(eb.HostID), apierror.ErrorFieldMaxBytes)
	}
	if e.Code == "" && e.Message == "" {
		e.Message = apierror.Sanitize(string(body), apierror.ErrorBodyExcerptBytes)
	}
	if e.RequestID == "" {
		e.RequestID = apierror.Sanitize(apierror.HeaderValue(header, "X-Acs-Request-Id"), apierror.ErrorFieldMaxBytes)
	}
	return e
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

// Mask masks every secret the client's transport knows in text (see
// transport.Client.Mask), for diagnostics built from this client's errors.
func (c *Client) Mask(text string) string {
	if c == nil {
		return text
	}
	return c.tr.Mask(text)
}
