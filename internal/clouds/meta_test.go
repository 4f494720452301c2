package clouds

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
)

// An API error's diagnostic gives each fact once: the operation with the
// read's context, then status, code, message, request id (and host id),
// then the client's hint. The one-line form of the error (which holds the
// same facts) is not repeated.
func TestAddErrorGivesEachFactOnce(t *testing.T) {
	hw := &apierror.APIError{Service: "workspace", Operation: "ListScriptExecutionRecords", Status: 401, Code: "APIG.0301",
		Message: "Incorrect IAM authentication information: verify aksk signature fail", RequestID: "req-hw-1",
		Hint: "Huawei Cloud refused the request's signature: check access_key from the environment variable HW_ACCESS_KEY."}
	ali := &apierror.APIError{Operation: "ListExecutionLogs", Status: 400, Code: "SignatureDoesNotMatch",
		Message: "Specified signature does not match our calculation.", RequestID: "req-ali-1", HostID: "oos.cn-hangzhou.aliyuncs.com"}
	cases := []struct {
		name  string
		err   error
		want  string
		facts []string
	}{
		{"huawei", fmt.Errorf("reading page at offset 0: %w", hw),
			"ListScriptExecutionRecords failed (reading page at offset 0):\n\nHTTP status: 401 Unauthorized\nError code: APIG.0301\n" +
				"Error message: Incorrect IAM authentication information: verify aksk signature fail\nRequest ID: req-hw-1\n\n" +
				"Huawei Cloud refused the request's signature: check access_key from the environment variable HW_ACCESS_KEY.",
			[]string{"401", "APIG.0301", "verify aksk signature fail", "req-hw-1", "HW_ACCESS_KEY"}},
		{"alibaba", fmt.Errorf("reading page 1: %w", ali),
			"ListExecutionLogs failed (reading page 1):\n\nHTTP status: 400 Bad Request\nError code: SignatureDoesNotMatch\n" +
				"Error message: Specified signature does not match our calculation.\nRequest ID: req-ali-1\nHost ID: oos.cn-hangzhou.aliyuncs.com",
			[]string{"400", "SignatureDoesNotMatch", "does not match our calculation", "req-ali-1", "oos.cn-hangzhou.aliyuncs.com"}},
		{"unwrapped, no code", &apierror.APIError{Operation: "Op", Status: 502, Message: "<html>bad gateway</html>"},
			"Op failed:\n\nHTTP status: 502 Bad Gateway\nError code: (none)\nError message: <html>bad gateway</html>\nRequest ID: (none)",
			[]string{"502", "bad gateway"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			(*Meta)(nil).AddError(&diags, "Unable to list things", tc.err)
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics, want 1", len(diags))
			}
			got := diags[0].Detail()
			if got != tc.want {
				t.Errorf("detail:\n%s\nwant:\n%s", got, tc.want)
			}
			for _, f := range tc.facts {
				if n := strings.Count(got, f); n != 1 {
					t.Errorf("%q appears %d times, want once", f, n)
				}
			}
		})
	}
}
