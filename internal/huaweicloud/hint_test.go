package huaweicloud

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// resolved resolves the Settings table as the provider does, with env as
// the whole environment.
func resolved(t *testing.T, cfg credchain.Config, env map[string]string) *credchain.Resolved {
	t.Helper()
	r, err := Settings.Resolve(cfg, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A 401 (a refused signature) says which settings the keys come from and
// warns of the lock after five failed signatures; it is sent once. Other
// errors carry no hint.
func TestRefusedSignatureNamesTheKeysSource(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/missing" {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error_code":"WKS.0404","error_msg":"not found"}`)
			return
		}
		w.Header().Set("X-Request-Id", "req-401")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}`)
	}))
	defer srv.Close()

	cases := []struct {
		name    string
		written credchain.Written
		env     map[string]string
		want    string
	}{
		{"from the environment", nil, map[string]string{"HW_ACCESS_KEY": testAK, "OS_SECRET_KEY": testSK},
			"access key id and the secret key of access_key and secret_key (access_key from the environment variable HW_ACCESS_KEY with secret_key from the environment variable OS_SECRET_KEY) belong together"},
		{"in the block", credchain.Written{"access_key": {Str: testAK, Set: true}, "secret_key": {Str: testSK, Set: true}}, nil,
			"of access_key and secret_key (access_key (HW_ACCESS_KEY, OS_ACCESS_KEY, HUAWEICLOUD_SDK_AK) in the provider's huaweicloud block with secret_key (HW_SECRET_KEY, OS_SECRET_KEY, HUAWEICLOUD_SDK_SK) in the provider's huaweicloud block) belong together"},
		{"temporary", credchain.Written{"access_key": {Str: testAK, Set: true}}, map[string]string{"HUAWEICLOUD_SDK_SK": testSK, "HW_SECURITY_TOKEN": testToken},
			"with secret_key from the environment variable HUAWEICLOUD_SDK_SK and security_token from the environment variable HW_SECURITY_TOKEN (temporary credentials expire)) belong together"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(srv.URL)
			cfg.Credentials = resolved(t, credchain.Config{Top: tc.written}, tc.env)
			c := NewClient(cfg, newTransport(3))
			before := hits.Load()
			_, err := c.Do(t.Context(), Call{Operation: "Op", Service: "workspace", Region: "r", Path: "/x"})
			var ae *apierror.APIError
			if !errors.As(err, &ae) || ae.Status != 401 {
				t.Fatalf("want a 401 *APIError, got %v", err)
			}
			msg := err.Error()
			for _, want := range []string{
				"Op: HTTP 401 APIG.0301: Incorrect IAM authentication information: verify aksk signature fail (request id: req-401). ",
				tc.want,
				"locks an access key for five minutes after five failed signatures",
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q\nlacks %q", msg, want)
				}
			}
			if n := hits.Load() - before; n != 1 {
				t.Errorf("%d requests, want 1 (a 401 is not retried)", n)
			}
		})
	}

	c := NewClient(testConfig(srv.URL), newTransport(0))
	_, err := c.Do(t.Context(), Call{Operation: "Op", Service: "workspace", Region: "r", Path: "/missing"})
	var ae *apierror.APIError
	if !errors.As(err, &ae) || ae.Hint != "" || strings.Contains(err.Error(), "five") {
		t.Errorf("a 404 carries a hint: %v", err)
	}
}
