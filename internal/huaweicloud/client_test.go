package huaweicloud

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
	testAK    = "TESTACCESSKEY"
	testSK    = "test-secret-key-value"
	testToken = "test-security-token-value"
)

func newTransport(retries int) *transport.Client {
	return clienttest.Transport(retries, testSK, testToken)
}

// received is one request as the test server saw it.
type received = clienttest.Received[*verified]

// signedServer verifies every request's signature independently and hands
// the verified request to handle; a bad signature answers 401 and fails
// the test.
func signedServer(t *testing.T, handle func(w http.ResponseWriter, rc received)) *httptest.Server {
	t.Helper()
	return clienttest.Server(t, func(r *http.Request, body []byte) (*verified, error) {
		v, err := verifyHuawei(r, body, testSK, time.Now())
		if err == nil && v.AccessKey != testAK {
			err = fmt.Errorf("access key %q", v.AccessKey)
		}
		return v, err
	}, func(w http.ResponseWriter) { w.WriteHeader(http.StatusUnauthorized) }, handle)
}

func testConfig(srvURL string) Config {
	return Config{
		Region: "cn-north-4", Credentials: Settings.Keys(testAK, testSK, testToken),
		Endpoints: map[string]string{"iam": srvURL + "/", "workspace": srvURL, "secmaster": srvURL + "//"},
	}
}

func TestDoSignsAndSendsCanonicalQuery(t *testing.T) {
	query := url.Values{
		"script_name": {"a b", "x&y=z", "1+1", "名字 ü", "repeat", "repeat", ""},
		"script_id":   {"b", "a"},
		"we ird+key":  {"v/w?#%"},
		"limit":       {"100"},
	}
	const path = "/v2/p1/screen-records/rec 1+é/os-operations"
	var mu sync.Mutex
	var got received
	srv := signedServer(t, func(w http.ResponseWriter, rc received) {
		mu.Lock()
		got = rc
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"count":0}`)
	})
	c := NewClient(testConfig(srv.URL), newTransport(0))
	resp, err := c.Do(t.Context(), Call{
		Operation: "ListOsOperations", Service: "workspace", Region: "cn-north-4", ProjectID: "p1",
		Method: http.MethodGet, Path: path, Query: query,
	})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if resp.StatusCode != 200 || string(resp.Body) != `{"count":0}` {
		t.Fatalf("response %d %s", resp.StatusCode, resp.Body)
	}
	if got.V == nil {
		t.Fatal("server saw no verified request")
	}
	// The bytes sent are the canonical query, byte for byte.
	if got.V.RawQuery != got.V.CanonicalQuery {
		t.Errorf("raw query sent:\n %s\nserver's canonical form:\n %s", got.V.RawQuery, got.V.CanonicalQuery)
	}
	// Every hostile value arrived intact.
	sent := got.R.URL.Query()
	for k, vs := range query {
		a, b := slices.Sorted(slices.Values(vs)), slices.Sorted(slices.Values(sent[k]))
		if !slices.Equal(a, b) {
			t.Errorf("query %q: server got %q, want %q", k, b, a)
		}
	}
	if len(sent) != len(query) {
		t.Errorf("server got %d query keys, want %d", len(sent), len(query))
	}
	if got.R.URL.Path != path {
		t.Errorf("path decoded by the server = %q, want %q", got.R.URL.Path, path)
	}
	if want := "/v2/p1/screen-records/rec%201%2B%C3%A9/os-operations"; got.V.RawPath != want {
		t.Errorf("raw path = %q, want %q", got.V.RawPath, want)
	}
	if h := got.R.Header.Get("X-Project-Id"); h != "p1" {
		t.Errorf("X-Project-Id = %q", h)
	}
	if h := got.R.Header.Get("X-Security-Token"); h != testToken {
		t.Errorf("X-Security-Token not sent")
	}
	if h := got.R.Header.Get("Accept"); h != "application/json" {
		t.Errorf("Accept = %q", h)
	}
	for _, must := range []string{"host", "x-project-id", "x-sdk-date", "x-security-token"} {
		if !slices.Contains(got.V.SignedHeaders, must) {
			t.Errorf("%s not signed (signed: %v)", must, got.V.SignedHeaders)
		}
	}
	if got.R.Header.Get("Content-Type") != "" {
		t.Errorf("Content-Type sent on a GET without body: %q", got.R.Header.Get("Content-Type"))
	}
}

func TestDoPostBodyAndContentType(t *testing.T) {
	body := []byte(`{"status":"FAILED","input":"a\nb"}` + "\n")
	last := make(chan received, 1)
	srv := signedServer(t, func(w http.ResponseWriter, rc received) {
		last <- rc
		fmt.Fprint(w, `{}`)
	})
	c := NewClient(testConfig(srv.URL), newTransport(0))
	for _, tc := range []struct{ ct, want string }{
		{"application/json;charset=UTF-8", "application/json;charset=UTF-8"},
		{"", "application/json"},
	} {
		_, err := c.Do(t.Context(), Call{
			Operation: "ListPlaybookAuditLogs", Service: "secmaster", Region: "cn-north-4", ProjectID: "p1",
			Method: http.MethodPost, Path: "/v1/p1/workspaces/w1/soc/playbooks/instances/auditlogs",
			Query: url.Values{"offset": {"0"}, "limit": {"50"}}, Body: body, ContentType: tc.ct,
		})
		if err != nil {
			t.Fatal(err)
		}
		got := <-last
		if string(got.Body) != string(body) {
			t.Errorf("body = %q", got.Body)
		}
		if h := got.R.Header.Get("Content-Type"); h != tc.want {
			t.Errorf("Content-Type = %q, want %q", h, tc.want)
		}
		if !slices.Contains(got.V.SignedHeaders, "content-type") {
			t.Errorf("content-type not signed: %v", got.V.SignedHeaders)
		}
		if got.R.URL.Path != "/v1/p1/workspaces/w1/soc/playbooks/instances/auditlogs" {
			t.Errorf("path = %q (secmaster endpoint's trailing slashes not trimmed?)", got.R.URL.Path)
		}
	}
}

func TestDoWithoutToken(t *testing.T) {
	last := make(chan received, 1)
	srv := signedServer(t, func(w http.ResponseWriter, rc received) { last <- rc })
	cfg := testConfig(srv.URL)
	cfg.Credentials = Settings.Keys(testAK, testSK, "")
	c := NewClient(cfg, newTransport(0))
	if _, err := c.Do(t.Context(), Call{Operation: "X", Service: "workspace", Region: "r1", Path: "/v2/x"}); err != nil {
		t.Fatal(err)
	}
	got := <-last
	if _, ok := got.R.Header["X-Security-Token"]; ok {
		t.Error("X-Security-Token sent without a token")
	}
	if _, ok := got.R.Header["X-Project-Id"]; ok {
		t.Error("X-Project-Id sent without a project id")
	}
	if want := []string{"host", "x-sdk-date"}; !slices.Equal(got.V.SignedHeaders, want) {
		t.Errorf("signed headers %v, want %v", got.V.SignedHeaders, want)
	}
}

func TestDoRejectsDotSegments(t *testing.T) {
	c := NewClient(testConfig("http://127.0.0.1:1"), newTransport(0))
	for _, p := range []string{"/v2/p/screen-records/../x", "/v2/./x", "v2/x"} {
		if _, err := c.Do(t.Context(), Call{Operation: "X", Service: "workspace", Region: "r", Path: p}); err == nil {
			t.Errorf("path %q accepted", p)
		}
	}
}

func TestDoErrorShapes(t *testing.T) {
	srv := signedServer(t, func(w http.ResponseWriter, rc received) {
		switch rc.R.URL.Path {
		case "/workspace":
			w.Header().Set("X-Request-Id", "req-ws")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error_code":"WKS.0404","error_msg":"The screen record does not exist"}`)
		case "/secmaster":
			w.Header()["X-request-id"] = []string{"req-sm"}
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"code":"SecMaster.00040001","message":"limit must be between 10 and 50"}`)
		default:
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "<html>\nupstream\x00down</html>")
		}
	})
	c := NewClient(testConfig(srv.URL), newTransport(0))
	tests := []struct {
		service, path string
		want          apierror.APIError
		text          string
	}{
		{"workspace", "/workspace", apierror.APIError{Service: "workspace", Operation: "Op", Status: 404, Code: "WKS.0404", Message: "The screen record does not exist", RequestID: "req-ws"},
			"Op: HTTP 404 WKS.0404: The screen record does not exist (request id: req-ws)"},
		{"secmaster", "/secmaster", apierror.APIError{Service: "secmaster", Operation: "Op", Status: 400, Code: "SecMaster.00040001", Message: "limit must be between 10 and 50", RequestID: "req-sm"},
			"Op: HTTP 400 SecMaster.00040001: limit must be between 10 and 50 (request id: req-sm)"},
		{"workspace", "/other", apierror.APIError{Service: "workspace", Operation: "Op", Status: 502, Message: "<html> upstream down</html>"},
			"Op: HTTP 502: <html> upstream down</html>"},
	}
	for _, tt := range tests {
		resp, err := c.Do(t.Context(), Call{Operation: "Op", Service: tt.service, Region: "r", Path: tt.path})
		if resp != nil {
			t.Errorf("%s: response returned with an error status", tt.path)
		}
		var ae *apierror.APIError
		if !errors.As(err, &ae) {
			t.Fatalf("%s: error %v (%T) is not an *APIError", tt.path, err, err)
		}
		if *ae != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.path, *ae, tt.want)
		}
		if err.Error() != tt.text {
			t.Errorf("%s: Error() = %q, want %q", tt.path, err.Error(), tt.text)
		}
		if strings.Contains(err.Error(), testSK) || strings.Contains(err.Error(), testToken) {
			t.Errorf("error leaks a secret: %v", err)
		}
	}
}

// iamServer answers KeystoneListProjects for name=<region> from projects,
// counting hits; fail, when set, decides a hit's answer instead.
type iamServer struct {
	hits     atomic.Int32
	projects map[string]string // region -> id
	fail     func(hit int32, w http.ResponseWriter) bool
	gate     chan struct{} // when non-nil, every hit waits for it to close
}

func (s *iamServer) start(t *testing.T) *httptest.Server {
	return signedServer(t, func(w http.ResponseWriter, rc received) {
		n := s.hits.Add(1)
		if rc.R.URL.Path != "/v3/projects" || rc.R.Method != http.MethodGet {
			t.Errorf("unexpected IAM request %s %s", rc.R.Method, rc.R.URL.Path)
		}
		if _, ok := rc.R.Header["X-Project-Id"]; ok {
			t.Error("IAM lookup sent X-Project-Id")
		}
		if s.gate != nil {
			select {
			case <-s.gate:
			case <-rc.R.Context().Done():
				return
			}
		}
		if s.fail != nil && s.fail(n, w) {
			return
		}
		region := rc.R.URL.Query().Get("name")
		type p struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		// Near misses around the real one: only the exact name may match.
		out := struct {
			Projects []p `json:"projects"`
		}{Projects: []p{{ID: "wrong-1", Name: region + "_sub"}, {ID: "wrong-2", Name: strings.ToUpper(region)}}}
		if id, ok := s.projects[region]; ok {
			out.Projects = append(out.Projects, p{ID: id, Name: region})
		}
		_ = json.NewEncoder(w).Encode(out)
	})
}

func TestProjectIDLookupOnceUnderConcurrency(t *testing.T) {
	iam := &iamServer{projects: map[string]string{"cn-north-4": "proj-cn4"}, gate: make(chan struct{})}
	srv := iam.start(t)
	c := NewClient(testConfig(srv.URL), newTransport(0))

	const n = 50
	var started, done sync.WaitGroup
	ids := make([]string, n)
	errs := make([]error, n)
	started.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			started.Done()
			ids[i], errs[i] = c.ProjectID(t.Context(), "cn-north-4", "")
		}()
	}
	started.Wait()
	// Hold the one lookup open a moment so the callers pile up behind it;
	// the assertion below does not depend on this timing.
	time.Sleep(50 * time.Millisecond)
	close(iam.gate)
	done.Wait()
	for i := range n {
		if errs[i] != nil || ids[i] != "proj-cn4" {
			t.Fatalf("caller %d: %q, %v", i, ids[i], errs[i])
		}
	}
	if h := iam.hits.Load(); h != 1 {
		t.Errorf("IAM was asked %d times, want 1", h)
	}
	// Cached from now on.
	if id, err := c.ProjectID(t.Context(), "cn-north-4", ""); err != nil || id != "proj-cn4" {
		t.Fatalf("%q, %v", id, err)
	}
	if h := iam.hits.Load(); h != 1 {
		t.Errorf("IAM was asked %d times after caching, want 1", h)
	}
}

func TestProjectIDPerRegion(t *testing.T) {
	iam := &iamServer{projects: map[string]string{"cn-north-4": "p4", "ap-southeast-1": "p1"}}
	srv := iam.start(t)
	c := NewClient(testConfig(srv.URL), newTransport(0))
	for range 3 {
		for region, want := range iam.projects {
			if id, err := c.ProjectID(t.Context(), region, ""); err != nil || id != want {
				t.Fatalf("%s: %q, %v", region, id, err)
			}
		}
	}
	if h := iam.hits.Load(); h != 2 {
		t.Errorf("IAM asked %d times for 2 regions", h)
	}
}

func TestProjectIDOverrideAndConfigured(t *testing.T) {
	iam := &iamServer{projects: map[string]string{"cn-north-4": "looked-up"}}
	srv := iam.start(t)
	cfg := testConfig(srv.URL)
	c := NewClient(cfg, newTransport(0))
	if id, err := c.ProjectID(t.Context(), "cn-north-4", "explicit"); err != nil || id != "explicit" {
		t.Errorf("override: %q, %v", id, err)
	}
	cfg.ProjectID = "configured"
	c2 := NewClient(cfg, newTransport(0))
	if id, err := c2.ProjectID(t.Context(), "cn-north-4", ""); err != nil || id != "configured" {
		t.Errorf("configured: %q, %v", id, err)
	}
	if id, err := c2.ProjectID(t.Context(), "cn-north-4", "explicit"); err != nil || id != "explicit" {
		t.Errorf("override over configured: %q, %v", id, err)
	}
	if h := iam.hits.Load(); h != 0 {
		t.Errorf("IAM asked %d times", h)
	}
}

func TestProjectIDUnknownRegion(t *testing.T) {
	iam := &iamServer{projects: map[string]string{"cn-north-4": "p4"}}
	srv := iam.start(t)
	c := NewClient(testConfig(srv.URL), newTransport(0))
	_, err := c.ProjectID(t.Context(), "xx-yy-1", "")
	if err == nil {
		t.Fatal("no error for a region without a project")
	}
	for _, want := range []string{`no project named "xx-yy-1" in IAM for this account`, "project_id", "HW_PROJECT_ID"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestProjectIDFailedLookupIsRetried(t *testing.T) {
	iam := &iamServer{
		projects: map[string]string{"cn-north-4": "p4"},
		fail: func(hit int32, w http.ResponseWriter) bool {
			if hit > 1 {
				return false
			}
			w.Header().Set("X-Request-Id", "iam-req-1")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"error":{"code":403,"message":"You are not authorized","title":"Forbidden"}}`)
			return true
		},
	}
	srv := iam.start(t)
	c := NewClient(testConfig(srv.URL), newTransport(0))
	_, err := c.ProjectID(t.Context(), "cn-north-4", "")
	var ae *apierror.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("first lookup: %v (%T), want an *APIError", err, err)
	}
	if ae.Service != "iam" || ae.Operation != "KeystoneListProjects" || ae.Status != 403 || ae.Code != "403" || ae.RequestID != "iam-req-1" {
		t.Errorf("APIError %+v", *ae)
	}
	id, err := c.ProjectID(t.Context(), "cn-north-4", "")
	if err != nil || id != "p4" {
		t.Fatalf("second lookup: %q, %v", id, err)
	}
	if _, err := c.ProjectID(t.Context(), "cn-north-4", ""); err != nil {
		t.Fatal(err)
	}
	if h := iam.hits.Load(); h != 2 {
		t.Errorf("IAM asked %d times, want 2 (one failure, one success, then cached)", h)
	}
}

// A caller that gives up while running the lookup does not fail the
// callers waiting on it: one of them looks up again.
func TestProjectIDOwnerCanceled(t *testing.T) {
	first := make(chan struct{})
	var hits atomic.Int32
	srv := signedServer(t, func(w http.ResponseWriter, rc received) {
		if hits.Add(1) == 1 {
			close(first)
			<-rc.R.Context().Done() // never answers the first lookup
			return
		}
		fmt.Fprint(w, `{"projects":[{"id":"p4","name":"cn-north-4"}]}`)
	})
	c := NewClient(testConfig(srv.URL), newTransport(0))

	ownerCtx, cancel := context.WithCancel(t.Context())
	ownerErr := make(chan error, 1)
	go func() {
		_, err := c.ProjectID(ownerCtx, "cn-north-4", "")
		ownerErr <- err
	}()
	<-first
	waiter := make(chan string, 1)
	go func() {
		id, err := c.ProjectID(t.Context(), "cn-north-4", "")
		if err != nil {
			t.Errorf("waiter: %v", err)
		}
		waiter <- id
	}()
	time.Sleep(20 * time.Millisecond) // let the waiter queue up (not asserted)
	cancel()
	if err := <-ownerErr; !errors.Is(err, context.Canceled) {
		t.Errorf("owner: %v, want context.Canceled", err)
	}
	if id := <-waiter; id != "p4" {
		t.Errorf("waiter got %q", id)
	}
	if h := hits.Load(); h != 2 {
		t.Errorf("IAM asked %d times, want 2", h)
	}
}

func TestEndpoint(t *testing.T) {
	tests := []struct {
		name      string
		cloud     string
		endpoints map[string]string
		service   string
		region    string
		want      string
		wantErr   string
	}{
		{name: "default cloud", service: "workspace", region: "cn-north-4", want: "https://workspace.cn-north-4.myhuaweicloud.com"},
		{name: "iam", service: "iam", region: "ap-southeast-1", want: "https://iam.ap-southeast-1.myhuaweicloud.com"},
		{name: "other cloud suffix", cloud: "myhuaweicloud.eu", service: "secmaster", region: "eu-west-101", want: "https://secmaster.eu-west-101.myhuaweicloud.eu"},
		{name: "override with trailing slash", endpoints: map[string]string{"workspace": "https://ws.example.test/"}, service: "workspace", region: "cn-north-4", want: "https://ws.example.test"},
		{name: "override with base path", endpoints: map[string]string{"iam": "http://127.0.0.1:9000/hw/iam//"}, service: "iam", region: "cn-north-4", want: "http://127.0.0.1:9000/hw/iam"},
		{name: "override needs no region", endpoints: map[string]string{"iam": "https://iam.example.test"}, service: "iam", want: "https://iam.example.test"},
		{name: "override key case", endpoints: map[string]string{"SecMaster": "https://sm.example.test"}, service: "secmaster", region: "r", want: "https://sm.example.test"},
		{name: "override of another service is ignored", endpoints: map[string]string{"iam": "https://iam.example.test"}, service: "workspace", region: "cn-north-4", want: "https://workspace.cn-north-4.myhuaweicloud.com"},
		{name: "unknown service", service: "ecs", region: "cn-north-4", wantErr: "unknown Huawei Cloud service"},
		{name: "no region", service: "workspace", wantErr: "no region"},
		{name: "region with a slash", service: "workspace", region: "evil.test/x", wantErr: "not a valid region"},
		{name: "region with a dot", service: "workspace", region: "a.b", wantErr: "not a valid region"},
		{name: "bad cloud", cloud: "evil.test/x", service: "workspace", region: "r", wantErr: "not a valid domain"},
		{name: "override not a URL", endpoints: map[string]string{"workspace": "ws.example.test"}, service: "workspace", region: "r", wantErr: "not an http(s) base URL"},
		{name: "override with query", endpoints: map[string]string{"workspace": "https://x.test/?a=1"}, service: "workspace", region: "r", wantErr: "not an http(s) base URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewClient(Config{Cloud: tt.cloud, Endpoints: tt.endpoints}, nil).Endpoint(tt.service, tt.region)
			clienttest.Result(t, got, err, tt.want, tt.wantErr)
		})
	}
}

// TestRegion: the region's precedence is credchain.Base's (tested there);
// without one, the error names every setting that gives one.
func TestRegion(t *testing.T) {
	if r, err := NewClient(Config{Region: "cn-north-4"}, nil).Region("ap-southeast-1"); err != nil || r != "ap-southeast-1" {
		t.Errorf("override: %q, %v", r, err)
	}
	_, err := NewClient(Config{}, nil).Region("")
	clienttest.Names(t, err, []string{"`region`", "huaweicloud block", "HW_REGION_NAME", "KooCLI profile", "data source"}, nil)
}

func TestCheckCredentials(t *testing.T) {
	if err := NewClient(Config{Credentials: Settings.Keys("a", "s", "")}, nil).CheckCredentials(); err != nil {
		t.Error(err)
	}
	clienttest.Names(t, NewClient(Config{}, nil).CheckCredentials(), []string{"access_key", "HW_ACCESS_KEY", "secret_key", "HW_SECRET_KEY"}, nil)
	clienttest.Names(t, NewClient(Config{Credentials: Settings.Keys("visible-ak", "", "")}, nil).CheckCredentials(),
		[]string{"secret_key (HW_SECRET_KEY"}, []string{"access_key (HW_ACCESS_KEY", "visible-ak"})
	clienttest.Names(t, NewClient(Config{Credentials: Settings.Keys("", "hidden-sk", "hidden-token")}, nil).CheckCredentials(),
		[]string{"access_key (HW_ACCESS_KEY"}, []string{"secret_key (HW_SECRET_KEY", "hidden-sk", "hidden-token"})
}

func TestDoChecksCredentialsBeforeSending(t *testing.T) {
	url, hits := clienttest.Counter(t)
	cfg := testConfig(url)
	cfg.Credentials = Settings.Keys(testAK, "", testToken)
	_, err := NewClient(cfg, newTransport(0)).Do(t.Context(), Call{Operation: "X", Service: "workspace", Region: "r", Path: "/x"})
	clienttest.Names(t, err, []string{"HW_SECRET_KEY"}, nil)
	if hits() != 0 {
		t.Error("a request went out without credentials")
	}
}

// Throttling (429) is retried by the transport, and every attempt carries
// a fresh, valid signature.
func TestDoRetriedAttemptsAreSigned(t *testing.T) {
	var hits atomic.Int32
	srv := signedServer(t, func(w http.ResponseWriter, rc received) {
		if hits.Add(1) < 3 {
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"error_code":"APIG.0308","error_msg":"throttled"}`)
			return
		}
		fmt.Fprint(w, `{}`)
	})
	c := NewClient(testConfig(srv.URL), newTransport(3))
	resp, err := c.Do(t.Context(), Call{Operation: "X", Service: "workspace", Region: "r", ProjectID: "p", Path: "/x"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Attempts != 3 || hits.Load() != 3 {
		t.Errorf("attempts %d, hits %d", resp.Attempts, hits.Load())
	}
}

func TestProjectIDMustBeOnePathSegment(t *testing.T) {
	iam := &iamServer{projects: map[string]string{"cn-north-4": "p1/extra?x=1#f"}}
	srv := iam.start(t)
	for _, tc := range []struct {
		name, configured, from, override, want string
	}{
		{"IAM", "", "", "", "from the IAM project lookup"},
		{"configuration", "p1/x", "", "", "from project_id in the provider's huaweicloud block"},
		{"environment", "p1?x", "the environment variable HW_PROJECT_ID", "", "from the environment variable HW_PROJECT_ID"},
		{"data source", "", "", "a/b", "from the data source's project_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(srv.URL)
			cfg.ProjectID, cfg.ProjectIDFrom = tc.configured, tc.from
			c := NewClient(cfg, newTransport(0))
			id, err := c.ProjectID(t.Context(), "cn-north-4", tc.override)
			if err == nil || id != "" {
				t.Fatalf("want an error, got id %q", id)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "is not one path segment") {
				t.Fatalf("error does not say what and where: %v", err)
			}
		})
	}
	c := NewClient(testConfig(srv.URL), newTransport(0))
	if id, err := c.ProjectID(t.Context(), "cn-north-4", "0a1B_c-2"); err != nil || id != "0a1B_c-2" {
		t.Fatalf("a valid id refused: %q %v", id, err)
	}
}
