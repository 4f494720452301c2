package alicloud

import (
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

func TestDecodeError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   transport.APIError
		text   string
	}{
		{
			name:   "full shape",
			status: 400,
			body:   `{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"7BD9C5E4-1","HostId":"oos.cn-hangzhou.aliyuncs.com","Recommend":"https://api.aliyun.com/troubleshoot?q=Throttling.User"}`,
			want:   transport.APIError{Operation: "ListExecutionLogs", Status: 400, Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestID: "7BD9C5E4-1", HostID: "oos.cn-hangzhou.aliyuncs.com"},
			text:   "ListExecutionLogs: HTTP 400 Throttling.User: Request was denied due to user flow control. (request id: 7BD9C5E4-1, host id: oos.cn-hangzhou.aliyuncs.com)",
		},
		{
			name:   "request id from the header when the body has none",
			status: 404,
			header: http.Header{"X-Acs-Request-Id": {"hdr-1"}},
			body:   `{"Code":"EntityNotExists.Execution","Message":"The execution does not exist."}`,
			want:   transport.APIError{Operation: "ListExecutionLogs", Status: 404, Code: "EntityNotExists.Execution", Message: "The execution does not exist.", RequestID: "hdr-1"},
			text:   "ListExecutionLogs: HTTP 404 EntityNotExists.Execution: The execution does not exist. (request id: hdr-1)",
		},
		{
			name:   "body id wins over header id",
			status: 403,
			header: http.Header{"x-acs-request-id": {"hdr"}},
			body:   `{"Code":"Forbidden.RAM","Message":"no","RequestId":"body"}`,
			want:   transport.APIError{Operation: "ListExecutionLogs", Status: 403, Code: "Forbidden.RAM", Message: "no", RequestID: "body"},
		},
		{
			name:   "lower-case header key",
			status: 500,
			header: http.Header{"x-acs-request-id": {"low"}},
			want:   transport.APIError{Operation: "ListExecutionLogs", Status: 500, RequestID: "low"},
			text:   "ListExecutionLogs: HTTP 500 Internal Server Error (request id: low)",
		},
		{
			name:   "not JSON",
			status: 502,
			body:   "<html>\r\nBad\tGateway</html>",
			want:   transport.APIError{Operation: "ListExecutionLogs", Status: 502, Message: "<html>  Bad Gateway</html>"},
		},
		{
			name:   "long body",
			status: 500,
			body:   strings.Repeat("z", 1000),
			want:   transport.APIError{Operation: "ListExecutionLogs", Status: 500, Message: strings.Repeat("z", 512) + "..."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DecodeError("ListExecutionLogs", tt.status, tt.header, []byte(tt.body))
			if *got != tt.want {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
			if tt.text != "" && got.Error() != tt.text {
				t.Errorf("Error() = %q\n     want %q", got.Error(), tt.text)
			}
		})
	}
}

func TestIsThrottling(t *testing.T) {
	for code, want := range map[string]bool{
		"Throttling": true, "Throttling.User": true, "Throttling.Api": true, "Throttling.Concurrent": true,
		"Rejected.Throttling": true, "ServiceUnavailable": true,
		"": false, "Throttlings": false, "throttling": false, "InvalidNextTokenQuery": false,
		"Forbidden.RAM": false, "ServiceUnavailable.Foo": false, "Rejected": false,
	} {
		if got := IsThrottling(code); got != want {
			t.Errorf("IsThrottling(%q) = %v", code, got)
		}
	}
}

func TestRetryable(t *testing.T) {
	for body, want := range map[string]bool{
		`{"Code":"Throttling.User","Message":"x"}`: true,
		`{"Code":"Rejected.Throttling"}`:           true,
		`{"Code":"InvalidParameter"}`:              false,
		`not json`:                                 false,
		``:                                         false,
		`{"Code":5}`:                               false,
	} {
		if got := Retryable(&transport.Response{StatusCode: 400, Body: []byte(body)}); got != want {
			t.Errorf("Retryable(%s) = %v", body, got)
		}
	}
	if Retryable(nil) {
		t.Error("Retryable(nil)")
	}
}

func FuzzDecodeError(f *testing.F) {
	f.Add(400, "x-acs-request-id", "r", []byte(`{"Code":"Throttling","Message":"m","RequestId":"x","HostId":"h"}`))
	f.Add(500, "", "", []byte(`{"Code":{"a":1},"Message":7}`))
	f.Add(503, "A", "\n", []byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, status int, hk, hv string, body []byte) {
		h := http.Header{}
		if hk != "" {
			h[hk] = []string{hv}
		}
		e := DecodeError("Op", status, h, body)
		if e == nil || e.Status != status {
			t.Fatalf("%+v", e)
		}
		if !strings.HasPrefix(e.Error(), "Op: HTTP ") {
			t.Fatalf("Error() = %q", e.Error())
		}
		for _, r := range e.Error() {
			if unicode.IsControl(r) {
				t.Fatalf("control character in %q", e.Error())
			}
		}
		_ = Retryable(&transport.Response{StatusCode: status, Body: body})
	})
}
