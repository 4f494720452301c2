package huaweicloud

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// A hostile or careless server echoes the request's credentials into its
// error answer, JSON-escaped and with bidi controls: the APIError must
// carry none of them.
func TestAPIErrorTextIsMaskedAndClean(t *testing.T) {
	const dynamic = "temporary-secret-from-a-credential-source"
	srv := signedServer(t, func(w http.ResponseWriter, rc received) {
		w.Header().Set("X-Request-Id", "rid-"+rc.R.Header.Get("X-Security-Token"))
		w.WriteHeader(http.StatusForbidden)
		// \u002d is '-': the secret key arrives JSON-escaped.
		sk := strings.ReplaceAll(testSK, "-", `\u002d`)
		fmt.Fprintf(w, `{"error_code":"APIGW.0301","error_msg":"bad %s %s %s %s \u202Egnp.exe"}`,
			rc.R.Header.Get("Authorization"), rc.R.Header.Get("X-Security-Token"), sk, dynamic)
	})
	tr := newTransport(0)
	tr.AddSecret(dynamic)
	c := NewClient(testConfig(srv.URL), tr)
	_, err := c.Do(t.Context(), Call{Operation: "ListThings", Service: "workspace", Region: "cn-north-4", Method: "GET", Path: "/v2/p/things"})
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	for _, leak := range []string{testSK, testToken, dynamic, "\u202E"} {
		if strings.Contains(msg, leak) {
			t.Errorf("error carries %q: %s", leak, msg)
		}
	}
	if !strings.Contains(msg, "Signature=***") || !strings.Contains(msg, "APIGW.0301") || !strings.Contains(msg, "rid-***") {
		t.Errorf("error lost its shape: %s", msg)
	}
}
