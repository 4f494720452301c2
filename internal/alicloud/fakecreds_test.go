package alicloud

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// fakeSTS is a fake of the Alibaba credential services (STS, the instance
// metadata service, a credentials_uri) and of an RPC data API: it issues
// numbered STS keys expiring an hour after its clock's time, and records
// every request.
type fakeSTS struct {
	clienttest.Fake
	reqs []stsReq
	// expiry, when set, replaces the Expiration of the answers.
	expiry *string
	// tokenStatus, when set, answers the IMDSv2 token PUT with it.
	tokenStatus int
	// uriCode, when set, is the Code of the credentials_uri's answer,
	// which then has no credentials (a refusal, with a 200).
	uriCode string
}

// stsReq is one request as the fake saw it.
type stsReq struct {
	method, path, action string
	query, form          url.Values
	header               http.Header
	signer               string
}

func newFakeSTS(t *testing.T) *fakeSTS {
	f := &fakeSTS{}
	f.Start(t, f)
	return f
}

// seen lists the requests as "action-or-path signer" lines ("-": unsigned).
func (f *fakeSTS) seen() []string {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	var out []string
	for _, r := range f.reqs {
		what := r.action
		if what == "" {
			what = r.method + " " + r.path
		}
		s := r.signer
		if s == "" {
			s = "-"
		}
		out = append(out, what+" "+s)
	}
	return out
}

func (f *fakeSTS) first(action string) stsReq {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	for _, r := range f.reqs {
		if r.action == action {
			return r
		}
	}
	f.T.Fatalf("no %s request", action)
	return stsReq{}
}

// client is a Client of f with the settings resolved from cfg and env,
// every endpoint at f.
func (f *fakeSTS) client(cfg credchain.Config, env map[string]string) *Client {
	f.T.Helper()
	c := NewClient(Config{Region: "cn-hangzhou", Credentials: clienttest.Resolve(f.T, Settings, cfg, env),
		Endpoints: map[string]string{"oos": f.Srv.URL, "sts": f.Srv.URL, "imds": f.Srv.URL}}, f.Transport())
	c.now = f.Now
	return c
}

// read sends one data call through c.
func (f *fakeSTS) read(c *Client) error {
	_, err := c.RPC(f.T.Context(), RPCCall{Product: "oos", Action: "ListExecutionLogs", Version: "2019-06-01", Region: "cn-hangzhou"})
	return err
}

func (f *fakeSTS) creds() map[string]string {
	f.Issued++
	exp := f.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z")
	if f.expiry != nil {
		exp = *f.expiry
	}
	return map[string]string{"AccessKeyId": "STS.AK" + strconv.Itoa(f.Issued), "AccessKeySecret": fmt.Sprintf("sts-secret-%d", f.Issued),
		"SecurityToken": fmt.Sprintf("sts-token-%d", f.Issued), "Expiration": exp}
}

func (f *fakeSTS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.Mu.Lock()
	defer f.Mu.Unlock()
	form, _ := url.ParseQuery(string(body))
	rec := stsReq{method: r.Method, path: r.URL.Path, query: r.URL.Query(), form: form, header: r.Header.Clone()}
	rec.action = r.Header.Get("x-acs-action")
	if rec.action == "" {
		rec.action = r.URL.Query().Get("Action")
	}
	if _, rest, ok := strings.Cut(r.Header.Get("Authorization"), "Credential="); ok {
		rec.signer, _, _ = strings.Cut(rest, ",")
	} else if q := r.URL.Query(); q.Get("Signature") != "" {
		// SignatureVersion 1.0: the key is a parameter, and the signature
		// covers the query and the form body.
		all := url.Values{}
		for k, v := range q {
			all[k] = v
		}
		for k, v := range form {
			all[k] = append(all[k], v...)
		}
		rec.signer = q.Get("AccessKeyId") + rpcSigned(all)
	}
	f.reqs = append(f.reqs, rec)
	enc := json.NewEncoder(w)
	switch {
	case rec.action == "AssumeRole" || rec.action == "AssumeRoleWithOIDC":
		_ = enc.Encode(map[string]any{"RequestId": "r1", "Credentials": f.creds()})
	case r.URL.Path == "/latest/api/token":
		if f.tokenStatus != 0 {
			w.WriteHeader(f.tokenStatus)
			return
		}
		fmt.Fprint(w, "imds-session-token")
	case r.URL.Path == "/latest/meta-data/ram/security-credentials/":
		fmt.Fprint(w, "discovered-role\n")
	case r.URL.Path == "/uri" && f.uriCode != "":
		_ = enc.Encode(map[string]string{"Code": f.uriCode})
	case strings.HasPrefix(r.URL.Path, "/latest/meta-data/ram/security-credentials/"), r.URL.Path == "/uri":
		c := f.creds()
		c["Code"] = "Success"
		_ = enc.Encode(c)
	default:
		fmt.Fprint(w, `{"ExecutionLogs":[]}`)
	}
}

// rpcSigned is "" when the SignatureVersion 1.0 signature of the
// parameters verifies with the secret of their AccessKeyId (the fake's
// issued keys' and the tests' static ones), else " (bad signature)".
func rpcSigned(all url.Values) string {
	secret := map[string]string{"AK1": "SK1", "AK3": "SK3", "INIAK2": "s", "BASEAK": "base-sk"}[all.Get("AccessKeyId")]
	if n, ok := strings.CutPrefix(all.Get("AccessKeyId"), "STS.AK"); ok {
		secret = "sts-secret-" + n
	}
	if RPCSignature(http.MethodPost, all, secret) != all.Get("Signature") {
		return " (bad signature)"
	}
	return ""
}
