package emulator

// A test-side signer for both clouds, written separately from verify.go so
// that the two implementations check each other (and both are pinned by the
// published vectors in verify_test.go).

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tEscape encodes like the signing guides: QueryEscape keeps exactly
// A-Z a-z 0-9 - _ . ~ and turns a space into '+', which we make %20 (a
// literal '+' has already become %2B).
func tEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func tCanonQuery(q url.Values) string {
	var pairs []string
	names := make([]string, 0, len(q))
	for n := range q {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		vals := append([]string(nil), q[n]...)
		sort.Strings(vals)
		for _, v := range vals {
			pairs = append(pairs, tEscape(n)+"="+tEscape(v))
		}
	}
	return strings.Join(pairs, "&")
}

func tEscapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = tEscape(s)
	}
	return strings.Join(parts, "/")
}

func tHMAC(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	_, _ = io.WriteString(m, msg)
	return hex.EncodeToString(m.Sum(nil))
}

func tSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// tCanonical builds the canonical request from a request about to be sent.
func tCanonical(req *http.Request, signed []string, payloadHash string, trailingSlash bool) string {
	path := tEscapePath(req.URL.Path)
	if path == "" {
		path = "/"
	}
	if trailingSlash && !strings.HasSuffix(path, "/") {
		path += "/"
	}
	q, _ := url.ParseQuery(req.URL.RawQuery)
	var hdrs strings.Builder
	for _, h := range signed {
		v := strings.Join(req.Header.Values(h), ",")
		if h == "host" {
			v = req.Host
			if v == "" {
				v = req.URL.Host
			}
		}
		fmt.Fprintf(&hdrs, "%s:%s\n", h, strings.TrimSpace(v))
	}
	return strings.Join([]string{req.Method, path, tCanonQuery(q), hdrs.String(), strings.Join(signed, ";"), payloadHash}, "\n")
}

type hwCreds struct{ ak, sk, token string }
type aliCreds struct{ ak, sk, token string }

// signHW signs req (whose body is body) with SDK-HMAC-SHA256 at time t.
func signHW(req *http.Request, body []byte, c hwCreds, t time.Time) {
	req.Header.Set("X-Sdk-Date", t.UTC().Format("20060102T150405Z"))
	if c.token != "" {
		req.Header.Set("X-Security-Token", c.token)
	}
	signed := []string{"host", "x-sdk-date"}
	for _, h := range []string{"content-type", "x-security-token"} {
		if req.Header.Get(h) != "" {
			signed = append(signed, h)
		}
	}
	sort.Strings(signed)
	canon := tCanonical(req, signed, tSHA(body), true)
	sts := "SDK-HMAC-SHA256\n" + req.Header.Get("X-Sdk-Date") + "\n" + tSHA([]byte(canon))
	req.Header.Set("Authorization", fmt.Sprintf("SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s",
		c.ak, strings.Join(signed, ";"), tHMAC(c.sk, sts)))
}

var nonceSeq atomic.Int64

// signAli signs req with ACS3-HMAC-SHA256 at time t with a fresh nonce.
func signAli(req *http.Request, body []byte, c aliCreds, t time.Time) {
	req.Header.Set("x-acs-date", t.UTC().Format("2006-01-02T15:04:05Z"))
	req.Header.Set("x-acs-signature-nonce", fmt.Sprintf("nonce-%d-%d", time.Now().UnixNano(), nonceSeq.Add(1)))
	req.Header.Set("x-acs-content-sha256", tSHA(body))
	if c.token != "" {
		req.Header.Set("x-acs-security-token", c.token)
	}
	signed := []string{"host"}
	for name := range req.Header {
		l := strings.ToLower(name)
		if strings.HasPrefix(l, "x-acs-") || l == "content-type" {
			signed = append(signed, l)
		}
	}
	sort.Strings(signed)
	canon := tCanonical(req, signed, tSHA(body), false)
	sig := tHMAC(c.sk, "ACS3-HMAC-SHA256\n"+tSHA([]byte(canon)))
	req.Header.Set("Authorization", fmt.Sprintf("ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature=%s",
		c.ak, strings.Join(signed, ";"), sig))
}

// demoProject is the generated project of the demo region.
var demoProject = ProjectID(DemoRegionHuawei)

// env is a running emulator plus a client that signs like a good provider.
type env struct {
	t   *testing.T
	s   *Server
	hw  hwCreds
	ali aliCreds
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(s.Close)
	e := &env{t: t, s: s,
		hw:  hwCreds{DemoHuaweiAccessKey, DemoHuaweiSecretKey, opts.HuaweiSecurityToken},
		ali: aliCreds{DemoAliAccessKey, DemoAliSecretKey, opts.AliSecurityToken},
	}
	if opts.HuaweiAccessKey != "" {
		e.hw.ak, e.hw.sk = opts.HuaweiAccessKey, opts.HuaweiSecretKey
	}
	if opts.AliAccessKey != "" {
		e.ali.ak, e.ali.sk = opts.AliAccessKey, opts.AliSecretKey
	}
	return e
}

// newReq builds an unsigned request; the query is sent in canonical form.
func (e *env) newReq(method, path string, q url.Values, body []byte) *http.Request {
	e.t.Helper()
	u := e.s.URL() + tEscapePath(path)
	if len(q) > 0 {
		u += "?" + tCanonQuery(q)
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, u, rd)
	if err != nil {
		e.t.Fatalf("new request: %v", err)
	}
	return req
}

// hwReq builds and signs a Huawei request (POST bodies get the SecMaster content type).
func (e *env) hwReq(method, path string, q url.Values, body []byte) *http.Request {
	req := e.newReq(method, path, q, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	}
	signHW(req, body, e.hw, time.Now())
	return req
}

// aliReq builds and signs an OOS ListExecutionLogs request: POST / with
// the parameters in the query.
func (e *env) aliReq(q url.Values) *http.Request {
	return e.rpcReq(http.MethodPost, q, "ListExecutionLogs", "2019-06-01")
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func (e *env) send(req *http.Request) result {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("read body: %v", err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

// sendCtx sends and returns the transport error instead of failing.
func sendCtx(ctx context.Context, req *http.Request) (result, error) {
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		return result{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, body: b}, err
}

func decodeAs[T any](t *testing.T, r result) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %T from %d %s: %v", v, r.status, r.body, err)
	}
	return v
}

// keysOf returns the JSON object keys of raw.
func keysOf(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not an object: %s", raw)
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

type hwErr struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
}

type smErr struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type aliErr struct {
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
}

func wantHWErr(t *testing.T, r result, status int, code string) hwErr {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	e := decodeAs[hwErr](t, r)
	if e.ErrorCode != code || e.ErrorMsg == "" {
		t.Fatalf("error %+v, want code %s and a message", e, code)
	}
	if r.header.Get("X-Request-Id") == "" {
		t.Fatalf("no X-Request-Id on error answer")
	}
	return e
}

func wantSMErr(t *testing.T, r result, status int, code string) smErr {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	e := decodeAs[smErr](t, r)
	if e.Code != code || e.Message == "" {
		t.Fatalf("error %+v, want code %s and a message", e, code)
	}
	if r.header.Get("X-Request-Id") == "" {
		t.Fatalf("no X-request-id on error answer")
	}
	return e
}

func wantAliErr(t *testing.T, r result, status int, code string) aliErr {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	e := decodeAs[aliErr](t, r)
	if e.Code != code || e.Message == "" || e.RequestID == "" || e.HostID == "" {
		t.Fatalf("error %+v, want code %s with message, request id and host id", e, code)
	}
	return e
}

func wantOK(t *testing.T, r result) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", r.status, r.body)
	}
	if !json.Valid(r.body) {
		t.Fatalf("answer is not JSON: %s", r.body)
	}
}
