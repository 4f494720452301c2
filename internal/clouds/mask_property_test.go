package clouds

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/leakcheck"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// echoServer answers every request of a test client without a network:
// instance metadata as asked, and every API call with an error answer (or
// an IAM project id) that sends back one of the secrets it knows in the
// test's form, somewhere in the answer.
type echoServer struct {
	mu      sync.Mutex
	r       *rand.Rand
	form    leakcheck.Form
	secrets []string // the configured ones; the request's tokens join them
	imds    struct{ token, ak, sk, sts string }
	issued  bool // the instance role's credentials were handed out

	echoed []string // what was sent back, for the test to check it was
}

func (s *echoServer) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
	}
	answer := func(status int, h http.Header, body string) (*http.Response, error) {
		if h == nil {
			h = http.Header{}
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)), Request: req}, nil
	}
	switch {
	case req.URL.Path == "/latest/api/token":
		return answer(200, nil, s.imds.token)
	case strings.HasPrefix(req.URL.Path, "/latest/meta-data/ram/security-credentials/"):
		s.issued = true
		body, _ := json.Marshal(map[string]string{"Code": "Success", "AccessKeyId": s.imds.ak, "AccessKeySecret": s.imds.sk,
			"SecurityToken": s.imds.sts, "Expiration": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
		return answer(200, nil, string(body))
	}
	// Any secret the client holds: configured, obtained, or in this very
	// request's headers.
	pool := append([]string(nil), s.secrets[:4]...)
	if s.issued {
		pool = append(pool, s.imds.token, s.imds.sk, s.imds.sts)
	}
	for _, k := range []string{"X-Security-Token", "X-Acs-Security-Token"} {
		if v := req.Header.Get(k); v != "" {
			pool = append(pool, v)
		}
	}
	secret := pool[s.r.IntN(len(pool))]
	echo := leakcheck.Answer(s.r, s.form.Apply(s.r, secret))
	s.echoed = append(s.echoed, secret)
	str := func(v string) string { b, _ := json.Marshal(v); return string(b) }
	if req.URL.Path == "/v3/projects" {
		return answer(200, nil, `{"projects":[{"id":`+str(echo)+`,"name":"r1"}]}`)
	}
	ali := req.Header.Get("x-acs-action") != ""
	status := []int{400, 401, 403, 404, 500, 502}[s.r.IntN(6)]
	h := http.Header{}
	switch s.r.IntN(4) {
	case 0: // in the request id header
		if ali {
			h.Set("X-Acs-Request-Id", echo)
			return answer(status, h, `{"Code":"Forbidden","Message":"no"}`)
		}
		h.Set("X-Request-Id", echo)
		return answer(status, h, `{"error_code":"APIGW.0301","error_msg":"no"}`)
	case 1: // a body that is not JSON
		return answer(status, h, echo)
	default: // one field of the error body
		fields := []string{"error_code", "error_msg", "request_id", "message"}
		if ali {
			fields = []string{"Code", "Message", "RequestId", "HostId"}
		}
		body := map[string]string{fields[0]: "E.1", fields[1]: "refused"}
		body[fields[s.r.IntN(len(fields))]] = echo
		b, _ := json.Marshal(body)
		return answer(status, h, string(b))
	}
}

// TestMaskProperty_errorsDiagnosticsLogs: for random secrets (configured
// keys and tokens of both clouds, and the temporary credentials and
// session token an instance role obtains at run time), each sent back in
// every form (cut, JSON-escaped, HTML-escaped, URL-encoded, nested) in
// some part of an error answer (a field of its body, a body that is not
// JSON, its request id header) or as the IAM project id: no run of a
// secret reaches the error, the diagnostic built from it, or the TRACE
// log of the requests.
func TestMaskProperty_errorsDiagnosticsLogs(t *testing.T) {
	t.Setenv("TF_LOG", "TRACE")
	r := rand.New(rand.NewPCG(28, 16))
	rounds := 4
	if testing.Short() {
		rounds = 1
	}
	for round := range rounds {
		for _, form := range leakcheck.Forms {
			secret := func() string { return leakcheck.Secret(r, 16+r.IntN(1500)) }
			srv := &echoServer{r: r, form: form}
			hwSK, hwToken, aliSK, aliToken := secret(), secret(), secret(), secret()
			srv.imds.token, srv.imds.ak, srv.imds.sk, srv.imds.sts = secret(), "STS.AK"+secret()[:8], secret(), secret()
			srv.secrets = []string{hwSK, hwToken, aliSK, aliToken, srv.imds.token, srv.imds.sk, srv.imds.sts}

			tr := transport.New(transport.Options{Secrets: []string{hwSK, hwToken, aliSK, aliToken},
				HTTPClient: &http.Client{Transport: srv}})
			const ep = "http://127.0.0.1:9"
			hw := huaweicloud.NewClient(huaweicloud.Config{Region: "r1", Credentials: huaweicloud.Settings.Keys("HWAK", hwSK, hwToken),
				Endpoints: map[string]string{"iam": ep, "workspace": ep}}, tr)
			instanceRole, err := alicloud.Settings.Resolve(credchain.Config{Top: credchain.Written{"ecs_role_name": {Str: "role", Set: true}}},
				func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			ali := alicloud.NewClient(alicloud.Config{Region: "r1", Credentials: instanceRole,
				Endpoints: map[string]string{"oos": ep, "imds": ep}}, tr)
			aliKeys := alicloud.NewClient(alicloud.Config{Region: "r1", Credentials: alicloud.Settings.Keys("ALIAK", aliSK, aliToken),
				Endpoints: map[string]string{"oos": ep}}, tr)
			m := &Meta{Huawei: hw, Ali: ali}

			var logs bytes.Buffer
			ctx := tflogtest.RootLogger(t.Context(), &logs)
			var texts []string
			check := func(what string, err error) {
				if err == nil {
					t.Fatalf("%s: no error from a server refusing everything", what)
				}
				var diags diag.Diagnostics
				m.AddError(&diags, "Unable to list things", err)
				texts = append(texts, what+" error: "+err.Error(), what+" diagnostic: "+diags[0].Summary()+"\n"+diags[0].Detail())
			}
			_, err = hw.ProjectID(ctx, "r1", "")
			check("IAM project lookup", err)
			for range 3 {
				_, err = hw.Do(ctx, huaweicloud.Call{Operation: "ListThings", Service: "workspace", Region: "r1", ProjectID: "p1",
					Method: http.MethodGet, Path: "/v2/p1/things"})
				check("Huawei call", err)
				_, err = ali.RPC(ctx, alicloud.RPCCall{Product: "oos", Action: "ListThings", Version: "2019-06-01", Region: "r1"})
				check("Alibaba call with an instance role", err)
				_, err = aliKeys.RPC(ctx, alicloud.RPCCall{Product: "oos", Action: "ListThings", Version: "2019-06-01", Region: "r1"})
				check("Alibaba call with keys", err)
			}
			texts = append(texts, "TRACE log: "+logs.String())
			if !strings.Contains(logs.String(), "X-Aliyun-Ecs-Metadata-Token") || !strings.Contains(logs.String(), "request_headers") {
				t.Fatalf("the TRACE log does not show the metadata request's headers:\n%s", logs.String())
			}
			for _, text := range texts {
				for i, s := range srv.secrets {
					if leak := leakcheck.Leak(text, s); leak != "" {
						what, _, _ := strings.Cut(text, ":")
						t.Fatalf("round %d, form %s: secret %d (%d bytes) shows in the %s: %s", round, form.Name, i, len(s), what, leak)
					}
				}
			}
			if len(srv.echoed) < 10 {
				t.Fatalf("form %s: only %d answers echoed a secret", form.Name, len(srv.echoed))
			}
		}
	}
}

// cutServer answers every call with an error whose text puts secret
// across the point where the error's field or excerpt is cut.
type cutServer struct {
	secret string
	body   func(secret string) string
}

func (s cutServer) RoundTrip(req *http.Request) (*http.Response, error) {
	body := s.body(s.secret)
	return &http.Response{StatusCode: 403, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)), Request: req}, nil
}

// TestMaskBeforeCut_secretAcrossTheCut: a short secret (12 bytes, under a
// run's length) that an error answer places across the point where its
// message or excerpt is cut (apierror.ErrorFieldMaxBytes,
// apierror.ErrorBodyExcerptBytes) shows none of its bytes: the answer is
// masked whole before it is cut.
func TestMaskBeforeCut_secretAcrossTheCut(t *testing.T) {
	const secret = "Sh0rtS3cr3t!"
	pad := func(n int) string { return strings.Repeat("x", n) }
	for name, body := range map[string]func(string) string{
		"message": func(s string) string {
			return `{"error_code":"E.1","error_msg":"` + pad(apierror.ErrorFieldMaxBytes-6) + s + `","Code":"E.1","Message":"` +
				pad(apierror.ErrorFieldMaxBytes-6) + s + `"}`
		},
		"excerpt": func(s string) string { return pad(apierror.ErrorBodyExcerptBytes-6) + s + " and more" },
	} {
		tr := transport.New(transport.Options{Secrets: []string{secret}, HTTPClient: &http.Client{Transport: cutServer{secret, body}}})
		const ep = "http://127.0.0.1:9"
		hw := huaweicloud.NewClient(huaweicloud.Config{Region: "r1", Credentials: huaweicloud.Settings.Keys("AK", secret, ""),
			Endpoints: map[string]string{"workspace": ep}}, tr)
		ali := alicloud.NewClient(alicloud.Config{Region: "r1", Credentials: alicloud.Settings.Keys("AK", secret, ""),
			Endpoints: map[string]string{"oos": ep}}, tr)
		_, hwErr := hw.Do(t.Context(), huaweicloud.Call{Operation: "ListThings", Service: "workspace", Region: "r1",
			Method: http.MethodGet, Path: "/v2/p1/things"})
		_, aliErr := ali.RPC(t.Context(), alicloud.RPCCall{Product: "oos", Action: "ListThings", Version: "2019-06-01", Region: "r1"})
		for cloud, err := range map[string]error{"Huawei": hwErr, "Alibaba": aliErr} {
			if err == nil {
				t.Fatalf("%s, %s: no error", name, cloud)
			}
			text := err.Error()
			for i := 0; i+4 <= len(secret); i++ { // any 4 bytes of the secret in a row
				if strings.Contains(text, secret[i:i+4]) {
					t.Errorf("%s, %s: %q of the secret shows at the cut: %s", name, cloud, secret[i:i+4], text)
					break
				}
			}
			if !strings.Contains(text, "xxx"+transport.Masked) {
				t.Errorf("%s, %s: the secret is not masked where it was: %s", name, cloud, text)
			}
		}
	}
}
