package huaweicloud

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// fakeCreds is a fake of every Huawei credential service (IAM v3 security
// tokens and id tokens, IAM v5 agencies, ECS metadata) and of a data API:
// it issues numbered temporary keys expiring life after its clock's
// time, and records every request.
type fakeCreds struct {
	clienttest.Fake
	life time.Duration
	reqs []fakeReq
	// expiry, when set, replaces the expiry of the answers.
	expiry *string
	// noTokenPath answers the metadata token PUT with this status.
	noTokenPath int
}

// fakeReq is one request as the fake saw it.
type fakeReq struct {
	method, path string
	header       http.Header
	body         string
	signer       string // the access key of the Authorization header
}

func newFakeCreds(t *testing.T) *fakeCreds {
	f := &fakeCreds{life: time.Hour}
	f.Start(t, f)
	return f
}

func (f *fakeCreds) requests(path string) []fakeReq {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	var out []fakeReq
	for _, r := range f.reqs {
		if r.path == path {
			out = append(out, r)
		}
	}
	return out
}

// client is a Client of f with the settings resolved from written and
// env, every endpoint at f.
func (f *fakeCreds) client(cfg credchain.Config, env map[string]string) *Client {
	f.T.Helper()
	eps := map[string]string{}
	for _, k := range EndpointKeys {
		eps[k] = f.Srv.URL
	}
	c := NewClient(Config{Region: "cn-north-4", Endpoints: eps, Credentials: clienttest.Resolve(f.T, Settings, cfg, env)}, f.Transport())
	c.now = f.Now
	return c
}

func (f *fakeCreds) issue() (string, string, string, string) {
	f.Issued++
	exp := f.Now().Add(f.life).UTC().Format("2006-01-02T15:04:05.000000Z")
	if f.expiry != nil {
		exp = *f.expiry
	}
	return fmt.Sprintf("TEMPAK%d", f.Issued), fmt.Sprintf("temp-secret-%d", f.Issued), fmt.Sprintf("temp-token-%d", f.Issued), exp
}

func (f *fakeCreds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.Mu.Lock()
	defer f.Mu.Unlock()
	_, rest, _ := strings.Cut(r.Header.Get("Authorization"), "Access=")
	signer, _, _ := strings.Cut(rest, ",")
	f.reqs = append(f.reqs, fakeReq{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), body: string(body), signer: signer})
	w.Header().Set("X-Request-Id", "req-1")
	switch r.URL.Path {
	case "/v3.0/OS-AUTH/id-token/tokens":
		w.Header().Set("X-Subject-Token", "subject-token-value")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"token":{"expires_at":"2026-12-02T12:00:00.000000Z","methods":["mapped"]}}`)
	case "/v3.0/OS-CREDENTIAL/securitytokens", "/openstack/latest/securitykey":
		ak, sk, tok, exp := f.issue()
		if r.URL.Path == "/v3.0/OS-CREDENTIAL/securitytokens" {
			w.WriteHeader(http.StatusCreated)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"credential": map[string]string{"access": ak, "secret": sk, "securitytoken": tok, "expires_at": exp}})
	case "/v5/agencies/assume":
		ak, sk, tok, exp := f.issue()
		_ = json.NewEncoder(w).Encode(map[string]any{"credentials": map[string]string{
			"access_key_id": ak, "secret_access_key": sk, "security_token": tok, "expiration": exp}})
	case "/meta-data/latest/api/token":
		if f.noTokenPath != 0 {
			w.WriteHeader(f.noTokenPath)
			return
		}
		fmt.Fprint(w, "metadata-session-token")
	default:
		fmt.Fprint(w, `{"count":0}`)
	}
}
