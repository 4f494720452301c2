package huaweicloud

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
)

func TestDecodeError(t *testing.T) {
	long := "<html>" + strings.Repeat("x", 600) + "</html>"
	clienttest.CheckDecode(t, DecodeError, "Op", []clienttest.DecodeCase{
		{
			Name:   "error_code shape with X-Request-Id",
			Status: 404,
			Header: http.Header{"X-Request-Id": {"abc"}},
			Body:   `{"error_code":"WKS.0404","error_msg":"The screen record does not exist"}`,
			Want:   apierror.APIError{Operation: "Op", Status: 404, Code: "WKS.0404", Message: "The screen record does not exist", RequestID: "abc"},
			Text:   "Op: HTTP 404 WKS.0404: The screen record does not exist (request id: abc)",
		},
		{
			Name:   "code/message shape with lower-case X-request-id key",
			Status: 400,
			Header: http.Header{"X-request-id": {"sm-1"}},
			Body:   `{"code":"SecMaster.20010001","message":"invalid limit"}`,
			Want:   apierror.APIError{Operation: "Op", Status: 400, Code: "SecMaster.20010001", Message: "invalid limit", RequestID: "sm-1"},
			Text:   "Op: HTTP 400 SecMaster.20010001: invalid limit (request id: sm-1)",
		},
		{
			Name:   "request_id from the body",
			Status: 401,
			Body:   `{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information","request_id":"r-9"}`,
			Want:   apierror.APIError{Operation: "Op", Status: 401, Code: "APIG.0301", Message: "Incorrect IAM authentication information", RequestID: "r-9"},
		},
		{
			Name:   "header id wins over body id",
			Status: 429,
			Header: http.Header{"X-Request-Id": {"hdr"}},
			Body:   `{"error_code":"APIG.0308","error_msg":"throttled","request_id":"body"}`,
			Want:   apierror.APIError{Operation: "Op", Status: 429, Code: "APIG.0308", Message: "throttled", RequestID: "hdr"},
		},
		{
			Name:   "keystone nesting with a numeric code",
			Status: 401,
			Body:   `{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`,
			Want:   apierror.APIError{Operation: "Op", Status: 401, Code: "401", Message: "The request you have made requires authentication."},
		},
		{
			Name:   "message only",
			Status: 500,
			Body:   `{"error_msg":"boom"}`,
			Want:   apierror.APIError{Operation: "Op", Status: 500, Message: "boom"},
			Text:   "Op: HTTP 500: boom",
		},
		{
			Name:   "empty body",
			Status: 502,
			Want:   apierror.APIError{Operation: "Op", Status: 502},
			Text:   "Op: HTTP 502 Bad Gateway",
		},
		{
			Name:   "unknown JSON shape becomes an excerpt",
			Status: 503,
			Body:   `{"foo":"bar"}`,
			Want:   apierror.APIError{Operation: "Op", Status: 503, Message: `{"foo":"bar"}`},
		},
		{
			Name:   "HTML with control characters",
			Status: 502,
			Body:   "<html>\n\tbad\x1b[31m gateway\r\n</html>",
			Want:   apierror.APIError{Operation: "Op", Status: 502, Message: "<html>  bad [31m gateway  </html>"},
		},
		{
			Name:   "long body cut at 512 bytes",
			Status: 500,
			Body:   long,
			Want:   apierror.APIError{Operation: "Op", Status: 500, Message: long[:512] + "..."},
		},
		{
			Name:   "control characters in fields",
			Status: 400,
			Body:   `{"error_code":"A\nB","error_msg":"line1\nline2"}`,
			Want:   apierror.APIError{Operation: "Op", Status: 400, Code: "A B", Message: "line1 line2"},
		},
	})
}

func TestAPIErrorWithoutOperation(t *testing.T) {
	e := &apierror.APIError{Status: 404, Code: "X"}
	if got := e.Error(); got != "HTTP 404 X" {
		t.Errorf("Error() = %q", got)
	}
}

func FuzzDecodeError(f *testing.F) {
	f.Add(404, "X-Request-Id", "abc", []byte(`{"error_code":"WKS.0404","error_msg":"nope"}`))
	f.Add(400, "X-request-id", "", []byte(`{"code":1,"message":["x"]}`))
	f.Add(401, "", "", []byte(`{"error":{"code":401,"message":"m"}}`))
	f.Add(500, "x", "y", []byte("\xff\x00<html>"))
	f.Add(500, "", "", []byte(`{"error":null,"request_id":{"a":1}}`))
	clienttest.FuzzDecode(f, DecodeError)
}
