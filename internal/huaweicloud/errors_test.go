package huaweicloud

import (
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

func TestDecodeError(t *testing.T) {
	long := "<html>" + strings.Repeat("x", 600) + "</html>"
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   transport.APIError
		text   string
	}{
		{
			name:   "error_code shape with X-Request-Id",
			status: 404,
			header: http.Header{"X-Request-Id": {"abc"}},
			body:   `{"error_code":"WKS.0404","error_msg":"The screen record does not exist"}`,
			want:   transport.APIError{Operation: "Op", Status: 404, Code: "WKS.0404", Message: "The screen record does not exist", RequestID: "abc"},
			text:   "Op: HTTP 404 WKS.0404: The screen record does not exist (request id: abc)",
		},
		{
			name:   "code/message shape with lower-case X-request-id key",
			status: 400,
			header: http.Header{"X-request-id": {"sm-1"}},
			body:   `{"code":"SecMaster.20010001","message":"invalid limit"}`,
			want:   transport.APIError{Operation: "Op", Status: 400, Code: "SecMaster.20010001", Message: "invalid limit", RequestID: "sm-1"},
			text:   "Op: HTTP 400 SecMaster.20010001: invalid limit (request id: sm-1)",
		},
		{
			name:   "request_id from the body",
			status: 401,
			body:   `{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information","request_id":"r-9"}`,
			want:   transport.APIError{Operation: "Op", Status: 401, Code: "APIG.0301", Message: "Incorrect IAM authentication information", RequestID: "r-9"},
		},
		{
			name:   "header id wins over body id",
			status: 429,
			header: http.Header{"X-Request-Id": {"hdr"}},
			body:   `{"error_code":"APIG.0308","error_msg":"throttled","request_id":"body"}`,
			want:   transport.APIError{Operation: "Op", Status: 429, Code: "APIG.0308", Message: "throttled", RequestID: "hdr"},
		},
		{
			name:   "keystone nesting with a numeric code",
			status: 401,
			body:   `{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`,
			want:   transport.APIError{Operation: "Op", Status: 401, Code: "401", Message: "The request you have made requires authentication."},
		},
		{
			name:   "message only",
			status: 500,
			body:   `{"error_msg":"boom"}`,
			want:   transport.APIError{Operation: "Op", Status: 500, Message: "boom"},
			text:   "Op: HTTP 500: boom",
		},
		{
			name:   "empty body",
			status: 502,
			want:   transport.APIError{Operation: "Op", Status: 502},
			text:   "Op: HTTP 502 Bad Gateway",
		},
		{
			name:   "unknown JSON shape becomes an excerpt",
			status: 503,
			body:   `{"foo":"bar"}`,
			want:   transport.APIError{Operation: "Op", Status: 503, Message: `{"foo":"bar"}`},
		},
		{
			name:   "HTML with control characters",
			status: 502,
			body:   "<html>\n\tbad\x1b[31m gateway\r\n</html>",
			want:   transport.APIError{Operation: "Op", Status: 502, Message: "<html>  bad [31m gateway  </html>"},
		},
		{
			name:   "long body cut at 512 bytes",
			status: 500,
			body:   long,
			want:   transport.APIError{Operation: "Op", Status: 500, Message: long[:512] + "..."},
		},
		{
			name:   "control characters in fields",
			status: 400,
			body:   `{"error_code":"A\nB","error_msg":"line1\nline2"}`,
			want:   transport.APIError{Operation: "Op", Status: 400, Code: "A B", Message: "line1 line2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DecodeError("Op", tt.status, tt.header, []byte(tt.body))
			if *got != tt.want {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
			if tt.text != "" && got.Error() != tt.text {
				t.Errorf("Error() = %q, want %q", got.Error(), tt.text)
			}
		})
	}
}

func TestAPIErrorWithoutOperation(t *testing.T) {
	e := &transport.APIError{Status: 404, Code: "X"}
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
	f.Fuzz(func(t *testing.T, status int, hk, hv string, body []byte) {
		h := http.Header{}
		if hk != "" {
			h[hk] = []string{hv}
		}
		e := DecodeError("Op", status, h, body)
		if e == nil || e.Status != status || e.Operation != "Op" {
			t.Fatalf("DecodeError = %+v", e)
		}
		msg := e.Error()
		if !strings.HasPrefix(msg, "Op: HTTP ") {
			t.Fatalf("Error() = %q", msg)
		}
		for _, r := range e.Code + e.Message {
			if unicode.IsControl(r) {
				t.Fatalf("control character %q in %q", r, msg)
			}
		}
		if len(e.Message) > transport.ErrorFieldMaxBytes+3 {
			t.Fatalf("message of %d bytes", len(e.Message))
		}
	})
}
