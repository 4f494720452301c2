package huaweicloud

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/canonical"
)

const emptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// HW-1: the API signature guide's example, pinned at every stage.
func TestVectorHW1(t *testing.T) {
	const (
		ak      = "QTWAOYTTINDUT2QVKYUC"
		sk      = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
		rawURL  = "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"
		wantCR  = "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\ncontent-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\ncontent-type;host;x-sdk-date\n" + emptyBodyHash
		wantCRH = "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
		wantSig = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
	)
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Host", "service.region.example.com")
	h.Set("X-Sdk-Date", "20191115T033655Z")

	cr := CanonicalRequest("GET", CanonicalURI(u.Path), CanonicalQuery(u.Query()), h, []string{"content-type", "host", "x-sdk-date"}, nil)
	if cr != wantCR {
		t.Fatalf("canonical request:\n got %q\nwant %q", cr, wantCR)
	}
	if got := canonical.HexSHA256([]byte(cr)); got != wantCRH {
		t.Errorf("canonical request hash = %s, want %s", got, wantCRH)
	}
	if got := signature(sk, stringToSign("20191115T033655Z", cr)); got != wantSig {
		t.Errorf("signature = %s, want %s", got, wantSig)
	}

	// End to end through Sign: the same three headers are signed.
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	now := time.Date(2019, 11, 15, 11, 36, 55, 0, time.FixedZone("CST", 8*3600)) // 03:36:55 UTC
	if err := Sign(req, nil, Credentials{AccessKey: ak, SecretKey: sk}, now); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("X-Sdk-Date"); got != "20191115T033655Z" {
		t.Errorf("X-Sdk-Date = %q", got)
	}
	want := "SDK-HMAC-SHA256 Access=" + ak + ", SignedHeaders=content-type;host;x-sdk-date, Signature=" + wantSig
	if got := req.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization:\n got %q\nwant %q", got, want)
	}
	if req.Header.Get("X-Security-Token") != "" {
		t.Error("X-Security-Token set without a token")
	}
}

// HW-2 and HW-3: the SDK's tests, which sign x-sdk-date only.
func TestVectorsSDK(t *testing.T) {
	const post = "{\"Name\":\"test\",\"Id\":1}"
	tests := []struct {
		name, method, rawURL, body, want string
	}{
		{"HW-2 GET", "GET", "/path?limit=1", "", "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"},
		{"HW-3 POST with trailing newline", "POST", "/path?key=value", post + "\n", "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59"},
		{"HW-3 negative: POST without the newline", "POST", "/path?key=value", post, "83599e5230b5b31fb58837c5760b4c2d407542df1f9493834ead538696e17a35"},
	}
	sigs := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.rawURL)
			if err != nil {
				t.Fatal(err)
			}
			h := http.Header{"X-Sdk-Date": {"20060102T150405Z"}}
			cr := CanonicalRequest(tt.method, CanonicalURI(u.Path), CanonicalQuery(u.Query()), h, []string{"x-sdk-date"}, []byte(tt.body))
			got := signature("SecretKey", stringToSign("20060102T150405Z", cr))
			if got != tt.want {
				t.Errorf("signature = %s, want %s (body %d bytes)", got, tt.want, len(tt.body))
			}
			sigs[tt.name] = got
		})
	}
	if len(post)+1 != 23 {
		t.Errorf("HW-3 body is %d bytes, the vector says 23", len(post)+1)
	}
	pos, neg := sigs["HW-3 POST with trailing newline"], sigs["HW-3 negative: POST without the newline"]
	if pos == "" || pos == neg {
		t.Errorf("a body without its trailing newline must sign differently: %q vs %q", pos, neg)
	}
}

// HW-Q: the SDK's canonical query vector.
func TestVectorHWQ(t *testing.T) {
	q := url.Values{}
	q.Set("limit", "1")
	q.Set("enable", "true")
	q.Set("test", "一 (&=?!#%.*)")
	q.Set("path", "/tmp/123")
	q["multi"] = []string{"3", "1", "2"} // out of order on purpose
	const want = "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
	if got := CanonicalQuery(q); got != want {
		t.Errorf("CanonicalQuery:\n got %s\nwant %s", got, want)
	}
	if !slices.Equal(q["multi"], []string{"3", "1", "2"}) {
		t.Errorf("CanonicalQuery mutated its input: %v", q["multi"])
	}
}

func TestCanonicalURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "/"},
		{"/", "/"},
		{"/path", "/path/"},
		{"/path/", "/path/"},
		{"/v2/p1/screen-records/a b/os-operations", "/v2/p1/screen-records/a%20b/os-operations/"},
		{"/v2/记录/x", "/v2/%E8%AE%B0%E5%BD%95/x/"},
		{"/a+b/c:d@e/f(g)", "/a%2Bb/c%3Ad%40e/f%28g%29/"},
		{"/~user/a.b_c-d", "/~user/a.b_c-d/"},
	}
	for _, tt := range tests {
		if got := CanonicalURI(tt.in); got != tt.want {
			t.Errorf("CanonicalURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// signedHeadersOf returns the SignedHeaders of an Authorization value.
func signedHeadersOf(t *testing.T, auth string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(auth, "SignedHeaders=")
	if !ok {
		t.Fatalf("no SignedHeaders in %q", auth)
	}
	list, _, _ := strings.Cut(rest, ",")
	return strings.Split(list, ";")
}

func TestSignOptionalHeaders(t *testing.T) {
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	cred := Credentials{AccessKey: "AK", SecretKey: "SK", SecurityToken: "TOKEN"}

	req, _ := http.NewRequest(http.MethodGet, "https://workspace.cn-north-4.myhuaweicloud.com/v2/p/x?b=2&a=1", nil)
	req.Header.Set("X-Project-Id", "p")
	if err := Sign(req, nil, cred, now); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("X-Security-Token"); got != "TOKEN" {
		t.Errorf("X-Security-Token = %q", got)
	}
	want := []string{"host", "x-project-id", "x-sdk-date", "x-security-token"}
	if got := signedHeadersOf(t, req.Header.Get("Authorization")); !slices.Equal(got, want) {
		t.Errorf("signed headers = %v, want %v", got, want)
	}
	// The signature covers the token: a different token signs differently.
	req2, _ := http.NewRequest(http.MethodGet, req.URL.String(), nil)
	req2.Header.Set("X-Project-Id", "p")
	cred2 := cred
	cred2.SecurityToken = "OTHER"
	if err := Sign(req2, nil, cred2, now); err != nil {
		t.Fatal(err)
	}
	if req.Header.Get("Authorization") == req2.Header.Get("Authorization") {
		t.Error("the security token is not covered by the signature")
	}
	// ... and the project id.
	req3, _ := http.NewRequest(http.MethodGet, req.URL.String(), nil)
	req3.Header.Set("X-Project-Id", "q")
	if err := Sign(req3, nil, cred, now); err != nil {
		t.Fatal(err)
	}
	if req.Header.Get("Authorization") == req3.Header.Get("Authorization") {
		t.Error("the project id is not covered by the signature")
	}
	// The signed query is the canonical form of the raw query, so a
	// reordered query signs the same.
	req4, _ := http.NewRequest(http.MethodGet, "https://workspace.cn-north-4.myhuaweicloud.com/v2/p/x?a=1&b=2", nil)
	req4.Header.Set("X-Project-Id", "p")
	if err := Sign(req4, nil, cred, now); err != nil {
		t.Fatal(err)
	}
	if req.Header.Get("Authorization") != req4.Header.Get("Authorization") {
		t.Error("equivalent queries signed differently")
	}
}

func TestSignHostOverride(t *testing.T) {
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	cred := Credentials{AccessKey: "AK", SecretKey: "SK"}
	a, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:8080/x", nil)
	a.Host = "iam.cn-north-4.myhuaweicloud.com"
	b, _ := http.NewRequest(http.MethodGet, "http://iam.cn-north-4.myhuaweicloud.com/x", nil)
	if err := Sign(a, nil, cred, now); err != nil {
		t.Fatal(err)
	}
	if err := Sign(b, nil, cred, now); err != nil {
		t.Fatal(err)
	}
	if a.Header.Get("Authorization") != b.Header.Get("Authorization") {
		t.Error("req.Host must be the signed host when set")
	}
}

func TestSignErrors(t *testing.T) {
	now := time.Now()
	req, _ := http.NewRequest(http.MethodGet, "https://h/x", nil)
	for _, c := range []Credentials{{}, {AccessKey: "AK"}, {SecretKey: "secret-value"}} {
		err := Sign(req, nil, c, now)
		if err == nil {
			t.Fatalf("Sign(%+v) succeeded", c)
		}
		if strings.Contains(err.Error(), "secret-value") {
			t.Errorf("error leaks the secret: %v", err)
		}
	}
	bad, _ := http.NewRequest(http.MethodGet, "https://h/x", nil)
	bad.URL.RawQuery = "a=%zz"
	if err := Sign(bad, nil, Credentials{AccessKey: "a", SecretKey: "b"}, now); err == nil {
		t.Error("Sign accepted an unparsable query")
	}
}

func BenchmarkSign(b *testing.B) {
	cred := Credentials{AccessKey: "AK", SecretKey: "SK", SecurityToken: "T"}
	body := []byte(`{"status":"FAILED","start_time":"2024-01-01T00:00:00Z"}`)
	now := time.Now()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, "https://secmaster.cn-north-4.myhuaweicloud.com/v1/p/workspaces/w/soc/playbooks/instances/auditlogs?limit=50&offset=0", nil)
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
		req.Header.Set("X-Project-Id", "p")
		if err := Sign(req, body, cred, now); err != nil {
			b.Fatal(err)
		}
	}
}
