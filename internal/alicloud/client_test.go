package alicloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

const (
	testAK    = "LTAITESTACCESSKEY"
	testSK    = "test-alibaba-secret"
	testToken = "test-sts-token"
)

func newTransport(retries int) *transport.Client {
	return clienttest.Transport(retries, testSK, testToken)
}

type received = clienttest.Received[*verified]

// oosServer verifies every request independently and lets handle answer.
func oosServer(t *testing.T, handle func(w http.ResponseWriter, rc received)) *httptest.Server {
	t.Helper()
	return clienttest.Server(t, func(r *http.Request, body []byte) (*verified, error) {
		v, err := verifyACS3(r, body, testSK, time.Now())
		if err == nil && v.AccessKeyID != testAK {
			err = fmt.Errorf("access key id %q", v.AccessKeyID)
		}
		return v, err
	}, func(w http.ResponseWriter) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"Code":"IncompleteSignature","Message":"bad signature"}`)
	}, handle)
}

func testConfig(srvURL string) Config {
	return Config{Region: "cn-hangzhou", Credentials: Settings.Keys(testAK, testSK, testToken),
		Endpoints: map[string]string{"oos": srvURL + "/"}}
}

func TestRPCRequest(t *testing.T) {
	last := make(chan received, 1)
	srv := oosServer(t, func(w http.ResponseWriter, rc received) {
		last <- rc
		fmt.Fprint(w, `{"RequestId":"r","ExecutionLogs":[]}`)
	})
	c := NewClient(testConfig(srv.URL), newTransport(0))
	params := url.Values{
		"ExecutionId": {"exec-1"},
		"NextToken":   {"a+b/c==&x y"},
		"LogType":     {"Info"},
		"Tag":         {"名前 ü", "a&b=c", "a&b=c"},
		"RegionId":    {"ignored"},
	}
	resp, err := c.RPC(t.Context(), RPCCall{Product: "oos", Action: "ListExecutionLogs", Version: "2019-06-01", Region: "cn-shanghai", Params: params})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != `{"RequestId":"r","ExecutionLogs":[]}` {
		t.Errorf("body %s", resp.Body)
	}
	got := <-last
	if got.R.Method != http.MethodPost || got.R.URL.Path != "/" {
		t.Errorf("%s %s, want POST /", got.R.Method, got.R.URL.Path)
	}
	if got.V.RawQuery != got.V.CanonicalQuery {
		t.Errorf("raw query sent:\n %s\nserver's canonical form:\n %s", got.V.RawQuery, got.V.CanonicalQuery)
	}
	q := got.R.URL.Query()
	want := url.Values{}
	for k, vs := range params {
		want[k] = vs
	}
	want["RegionId"] = []string{"cn-shanghai"}
	for k, vs := range want {
		if a, b := slices.Sorted(slices.Values(vs)), slices.Sorted(slices.Values(q[k])); !slices.Equal(a, b) {
			t.Errorf("%s: server got %q, want %q", k, b, a)
		}
	}
	if len(q) != len(want) {
		t.Errorf("server got %d parameters, want %d", len(q), len(want))
	}
	if params.Get("RegionId") != "ignored" {
		t.Error("RPC mutated the caller's parameters")
	}
	for h, v := range map[string]string{"x-acs-action": "ListExecutionLogs", "x-acs-version": "2019-06-01", "Accept": "application/json", "x-acs-security-token": testToken} {
		if got := got.R.Header.Get(h); got != v {
			t.Errorf("%s = %q, want %q", h, got, v)
		}
	}
	wantSigned := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-security-token", "x-acs-signature-nonce", "x-acs-version"}
	if !slices.Equal(got.V.SignedHeaders, wantSigned) {
		t.Errorf("signed headers %v, want %v", got.V.SignedHeaders, wantSigned)
	}
}

// Every attempt is signed afresh: a throttled first attempt (HTTP 400
// Throttling.User) is retried with a new nonce and still verifies.
func TestRPCRetryUsesNewNonce(t *testing.T) {
	var mu sync.Mutex
	var nonces []string
	srv := oosServer(t, func(w http.ResponseWriter, rc received) {
		mu.Lock()
		nonces = append(nonces, rc.V.Nonce)
		n := len(nonces)
		mu.Unlock()
		switch n {
		case 1:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"r1"}`)
		case 2:
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"Code":"ServiceUnavailable","Message":"try later","RequestId":"r2"}`)
		default:
			fmt.Fprint(w, `{"RequestId":"r3"}`)
		}
	})
	c := NewClient(testConfig(srv.URL), newTransport(3))
	resp, err := c.RPC(t.Context(), RPCCall{Product: "oos", Action: "ListExecutionLogs", Version: "2019-06-01", Region: "cn-hangzhou"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Attempts != 3 {
		t.Errorf("attempts = %d, want 3", resp.Attempts)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(nonces) != 3 {
		t.Fatalf("server saw %d requests", len(nonces))
	}
	if nonces[0] == nonces[1] || nonces[1] == nonces[2] || nonces[0] == nonces[2] {
		t.Errorf("a nonce repeated across attempts: %q", nonces)
	}
}

func TestRPCNotRetriedOnOtherErrors(t *testing.T) {
	var hits atomic.Int32
	srv := oosServer(t, func(w http.ResponseWriter, rc received) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"Code":"InvalidNextTokenQuery","Message":"The token does not match the query.","RequestId":"req-9","HostId":"oos.cn-hangzhou.aliyuncs.com"}`)
	})
	c := NewClient(testConfig(srv.URL), newTransport(3))
	_, err := c.RPC(t.Context(), RPCCall{Operation: "ListExecutionLogs", Product: "oos", Action: "ListExecutionLogs", Version: "2019-06-01", Region: "cn-hangzhou"})
	var ae *apierror.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	want := apierror.APIError{Operation: "ListExecutionLogs", Status: 400, Code: "InvalidNextTokenQuery", Message: "The token does not match the query.", RequestID: "req-9", HostID: "oos.cn-hangzhou.aliyuncs.com"}
	if *ae != want {
		t.Errorf("got  %+v\nwant %+v", *ae, want)
	}
	if hits.Load() != 1 {
		t.Errorf("a non-throttling error was sent %d times", hits.Load())
	}
	if strings.Contains(err.Error(), testSK) || strings.Contains(err.Error(), testToken) {
		t.Errorf("error leaks a secret: %v", err)
	}
}

func TestRPCThrottlingExhausted(t *testing.T) {
	var hits atomic.Int32
	srv := oosServer(t, func(w http.ResponseWriter, rc received) {
		hits.Add(1)
		w.Header().Set("x-acs-request-id", fmt.Sprint("h", hits.Load()))
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"Code": "Throttling.Api", "Message": "slow down"})
	})
	// The server throttles whatever the rate and states no limit: the
	// pacer would go to its floor, one request every 2 s, past the
	// deadline. MinRate keeps the retries coming.
	o := clienttest.Options(0, testSK, testToken)
	o.MinRate = 20
	c := NewClient(testConfig(srv.URL), transport.New(o))
	ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
	defer cancel()
	_, err := c.RPC(ctx, RPCCall{Product: "oos", Action: "ListExecutionLogs", Version: "2019-06-01", Region: "cn-hangzhou"})
	// Throttling is retried past max_retries until the deadline; the error
	// carries the last answer in the cloud's terms.
	var ae *apierror.APIError
	var te *transport.ThrottledError
	if !errors.As(err, &te) || !errors.As(err, &ae) || ae.Code != "Throttling.Api" || ae.Operation != "ListExecutionLogs" {
		t.Fatalf("error %v", err)
	}
	if n := hits.Load(); n < 2 || ae.RequestID != fmt.Sprint("h", n) || te.Throttled != int(n) {
		t.Errorf("hits = %d, error %v; want more than 1 + max_retries, the last one's request id", n, err)
	}
}

func TestRPCChecksCredentials(t *testing.T) {
	url, hits := clienttest.Counter(t)
	cfg := testConfig(url)
	cfg.Credentials = Settings.Keys("", testSK, testToken)
	_, err := NewClient(cfg, newTransport(0)).RPC(t.Context(), RPCCall{Product: "oos", Action: "A", Version: "V", Region: "r"})
	clienttest.Names(t, err, []string{"access_key (ALICLOUD_ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABACLOUD_ACCESS_KEY_ID)"}, nil)
	if hits() != 0 {
		t.Error("request sent without credentials")
	}
}

func TestEndpoint(t *testing.T) {
	tests := []struct {
		name      string
		endpoints map[string]string
		product   string
		region    string
		want      string
		wantErr   string
	}{
		{name: "default", product: "oos", region: "cn-hangzhou", want: "https://oos.cn-hangzhou.aliyuncs.com"},
		{name: "product case", product: "OOS", region: "ap-southeast-1", want: "https://oos.ap-southeast-1.aliyuncs.com"},
		{name: "override with trailing slash", endpoints: map[string]string{"oos": "https://oos-vpc.example.test/"}, product: "oos", region: "cn-hangzhou", want: "https://oos-vpc.example.test"},
		{name: "override keeps a base path", endpoints: map[string]string{"oos": "http://127.0.0.1:9/ali/"}, product: "oos", want: "http://127.0.0.1:9/ali"},
		{name: "unknown product", product: "ecs", region: "cn-hangzhou", wantErr: "unknown Alibaba Cloud product"},
		{name: "no region", product: "oos", wantErr: "no region"},
		{name: "hostile region", product: "oos", region: "evil.test/#", wantErr: "not a valid region"},
		{name: "override not a URL", endpoints: map[string]string{"oos": "oos.example.test"}, product: "oos", region: "r", wantErr: "not an http(s) base URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewClient(Config{Endpoints: tt.endpoints}, nil).Endpoint(tt.product, tt.region)
			clienttest.Result(t, got, err, tt.want, tt.wantErr)
		})
	}
}

// TestRegion: the region's precedence is credchain.Base's (tested there);
// without one, the error names every setting that gives one.
func TestRegion(t *testing.T) {
	if r, err := NewClient(Config{Region: "cn-hangzhou"}, nil).Region("cn-beijing"); err != nil || r != "cn-beijing" {
		t.Errorf("%q, %v", r, err)
	}
	_, err := NewClient(Config{}, nil).Region("")
	clienttest.Names(t, err, []string{"`region`", "alicloud block", "ALIBABA_CLOUD_REGION", "ALICLOUD_REGION", "region_id", "data source"}, nil)
}

func TestCheckCredentials(t *testing.T) {
	if err := NewClient(Config{Credentials: Settings.Keys("a", "s", "")}, nil).CheckCredentials(); err != nil {
		t.Error(err)
	}
	clienttest.Names(t, NewClient(Config{}, nil).CheckCredentials(),
		[]string{"access_key", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY", "secret_key", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}, nil)
	clienttest.Names(t, NewClient(Config{Credentials: Settings.Keys("visible", "", "tok-secret")}, nil).CheckCredentials(),
		[]string{"secret_key (ALICLOUD_SECRET_KEY"}, []string{"access_key (ALICLOUD_ACCESS_KEY", "tok-secret", "visible"})
}
