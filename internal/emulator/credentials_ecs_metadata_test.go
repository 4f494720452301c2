package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHuaweiMetadata: a session token asked with its TTL, then the
// agency's credentials with it, in the securitykey shape the SDK reads;
// they sign the data APIs. Without a valid token, with a bad TTL or the
// wrong method, nothing is given.
func TestHuaweiMetadata(t *testing.T) {
	e := newEnv(t, Options{})
	put := e.newReq(http.MethodPut, huaweiMetadataTokenPath, nil, nil)
	put.Header.Set("X-Metadata-Token-Ttl-Seconds", "21600")
	r := e.send(put)
	if r.status != 200 || len(r.body) < 16 {
		t.Fatalf("token: %d %s", r.status, r.body)
	}
	token := string(r.body)
	get := func(tok string) result {
		req := e.newReq(http.MethodGet, huaweiSecurityKeyPath, nil, nil)
		if tok != "" {
			req.Header.Set("X-Metadata-Token", tok)
		}
		return e.send(req)
	}
	r = get(token)
	if r.status != 200 {
		t.Fatalf("securitykey: %d %s", r.status, r.body)
	}
	var a struct {
		Credential hwCredential `json:"credential"`
	}
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatal(err)
	}
	if issuer, _ := e.s.IssuedBy(a.Credential.Access); issuer != IssuerHuaweiMetadata {
		t.Fatalf("issued by %q", issuer)
	}
	if exp, err := time.Parse(time.RFC3339Nano, a.Credential.ExpiresAt); err != nil || time.Until(exp) < 50*time.Minute {
		t.Fatalf("expires_at %q", a.Credential.ExpiresAt)
	}
	e2 := *e
	e2.hw = hwCreds{a.Credential.Access, a.Credential.Secret, a.Credential.SecurityToken}
	wantOK(t, e2.send(e2.hwReq("GET", "/v3/projects", nil, nil)))

	for name, r := range map[string]result{
		"no token":    get(""),
		"wrong token": get("emu-not-a-token"),
	} {
		if r.status != http.StatusUnauthorized {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	bad := e.newReq(http.MethodPut, huaweiMetadataTokenPath, nil, nil)
	bad.Header.Set("X-Metadata-Token-Ttl-Seconds", "999999")
	if r := e.send(bad); r.status != http.StatusBadRequest {
		t.Errorf("bad TTL: %d", r.status)
	}
	if r := e.send(e.newReq(http.MethodGet, huaweiMetadataTokenPath, nil, nil)); r.status != http.StatusMethodNotAllowed {
		t.Errorf("GET token: %d", r.status)
	}
	if n := e.s.Requests(APIHuaweiMetadata); n != 6 || !strings.HasPrefix(e.s.Recorded(APIHuaweiMetadata)[0].Path, "/meta-data/") {
		t.Errorf("%d requests recorded", n)
	}
}
