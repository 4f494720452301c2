package alicloud

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
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

// TestRefreshWarningIsMasked: a refresh that fails while the current
// credentials are still valid is logged (credchain's WARN line) with its
// error; a credentials_uri whose refusal echoes the current secret
// (server text the transport's error decoding never saw: a 200 whose Code
// is not Success) must not put that secret in the log line.
func TestRefreshWarningIsMasked(t *testing.T) {
	f := newFakeSTS(t)
	c := f.client(credchain.Config{Top: credchain.Written{"credentials_uri": clienttest.Str(f.Srv.URL + "/uri")}}, nil)
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &logs)
	if _, err := c.RPC(ctx, RPCCall{Product: "oos", Action: "ListExecutionLogs", Version: "2019-06-01", Region: "cn-hangzhou"}); err != nil {
		t.Fatal(err)
	}
	const secret = "sts-secret-1" // the fake's first issued secret, the current one
	f.Mu.Lock()
	f.uriCode = "refused for " + secret
	f.Mu.Unlock()
	f.Advance(56 * time.Minute) // due for refresh, still valid
	if _, err := c.RPC(ctx, RPCCall{Product: "oos", Action: "ListExecutionLogs", Version: "2019-06-01", Region: "cn-hangzhou"}); err != nil {
		t.Fatalf("a failed refresh with valid credentials: %v", err)
	}
	if f.seen()[2] != "GET /uri -" {
		t.Fatalf("requests %q: no refresh was tried", f.seen())
	}
	out := logs.String()
	if !strings.Contains(out, "Refreshing temporary credentials failed") || !strings.Contains(out, "GetCredentialsURI") {
		t.Fatalf("no WARN line with the refresh's error:\n%s", out)
	}
	if strings.Contains(out, secret) {
		t.Errorf("the log carries the current secret:\n%s", out)
	}
}
