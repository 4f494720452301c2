package alicloud

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// A server echoing the request's credentials in its error answer: the
// APIError must carry none of them, nor a bidi control.
func TestAPIErrorTextIsMaskedAndClean(t *testing.T) {
	srv := oosServer(t, func(w http.ResponseWriter, rc received) {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"Code":      "InvalidParameter",
			"Message":   "echo " + rc.R.Header.Get("Authorization") + " " + rc.R.Header.Get("X-Acs-Security-Token") + " " + testSK + " \u202Eevil",
			"RequestId": "r-" + testToken,
		})
	})
	c := NewClient(testConfig(srv.URL), newTransport(0))
	_, err := c.RPC(t.Context(), RPCCall{Product: "oos", Action: "ListExecutionLogs", Version: "2019-06-01", Region: "cn-hangzhou"})
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	for _, leak := range []string{testSK, testToken, "\u202E"} {
		if strings.Contains(msg, leak) {
			t.Errorf("error carries %q: %s", leak, msg)
		}
	}
	if !strings.Contains(msg, "Signature=***") || !strings.Contains(msg, "InvalidParameter") {
		t.Errorf("error lost its shape: %s", msg)
	}
}
