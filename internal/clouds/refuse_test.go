package clouds

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

func TestErrorInSuccess(t *testing.T) {
	resp := func(body string) *transport.Response {
		return &transport.Response{StatusCode: 200, Header: http.Header{"X-Request-Id": {"rid-1"}}, Body: []byte(body)}
	}
	for body, refused := range map[string]bool{
		`{"count":1,"script_records":[{"result_code":"code","reason":"\"code\""}]}`: false, // "code" only inside items
		`{"count":1,"code":""}`: false, // an empty code is no error
		`{"error_code":"WKS.0001","error_msg":"busy","count":0,"script_records":[]}`: true,
		`{"code":500,"message":"x"}`: true,
	} {
		err := errorInSuccess("ListThings", resp(body), "error_code", "code")
		if (err != nil) != refused {
			t.Errorf("%s: %v", body, err)
			continue
		}
		var de *DecodeError
		if refused && (!errors.As(err, &de) || !strings.Contains(err.Error(), "ListThings: HTTP 200 refused") ||
			!strings.Contains(err.Error(), "request id: rid-1") || !strings.Contains(err.Error(), "No partial result")) {
			t.Errorf("%s: error %q does not name operation, field and request id", body, err)
		}
	}
}
