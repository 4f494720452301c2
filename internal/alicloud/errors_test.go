package alicloud

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

func TestDecodeError(t *testing.T) {
	clienttest.CheckDecode(t, DecodeError, "ListExecutionLogs", []clienttest.DecodeCase{
		{
			Name:   "full shape",
			Status: 400,
			Body:   `{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"7BD9C5E4-1","HostId":"oos.cn-hangzhou.aliyuncs.com","Recommend":"https://api.aliyun.com/troubleshoot?q=Throttling.User"}`,
			Want:   apierror.APIError{Operation: "ListExecutionLogs", Status: 400, Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestID: "7BD9C5E4-1", HostID: "oos.cn-hangzhou.aliyuncs.com"},
			Text:   "ListExecutionLogs: HTTP 400 Throttling.User: Request was denied due to user flow control. (request id: 7BD9C5E4-1, host id: oos.cn-hangzhou.aliyuncs.com)",
		},
		{
			Name:   "request id from the header when the body has none",
			Status: 404,
			Header: http.Header{"X-Acs-Request-Id": {"hdr-1"}},
			Body:   `{"Code":"EntityNotExists.Execution","Message":"The execution does not exist."}`,
			Want:   apierror.APIError{Operation: "ListExecutionLogs", Status: 404, Code: "EntityNotExists.Execution", Message: "The execution does not exist.", RequestID: "hdr-1"},
			Text:   "ListExecutionLogs: HTTP 404 EntityNotExists.Execution: The execution does not exist. (request id: hdr-1)",
		},
		{
			Name:   "body id wins over header id",
			Status: 403,
			Header: http.Header{"x-acs-request-id": {"hdr"}},
			Body:   `{"Code":"Forbidden.RAM","Message":"no","RequestId":"body"}`,
			Want:   apierror.APIError{Operation: "ListExecutionLogs", Status: 403, Code: "Forbidden.RAM", Message: "no", RequestID: "body"},
		},
		{
			Name:   "lower-case header key",
			Status: 500,
			Header: http.Header{"x-acs-request-id": {"low"}},
			Want:   apierror.APIError{Operation: "ListExecutionLogs", Status: 500, RequestID: "low"},
			Text:   "ListExecutionLogs: HTTP 500 Internal Server Error (request id: low)",
		},
		{
			Name:   "not JSON",
			Status: 502,
			Body:   "<html>\r\nBad\tGateway</html>",
			Want:   apierror.APIError{Operation: "ListExecutionLogs", Status: 502, Message: "<html>  Bad Gateway</html>"},
		},
		{
			Name:   "long body",
			Status: 500,
			Body:   strings.Repeat("z", 1000),
			Want:   apierror.APIError{Operation: "ListExecutionLogs", Status: 500, Message: strings.Repeat("z", 512) + "..."},
		},
	})
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
	clienttest.FuzzDecode(f, DecodeError, func(status int, _ http.Header, body []byte) {
		_ = Retryable(&transport.Response{StatusCode: status, Body: body})
	})
}
