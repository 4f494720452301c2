package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// signer returns a Sign func stamping a fresh counter value as the
// "signature", so tests can tell attempts apart.
func signer(n *atomic.Int64) func(*http.Request, []byte) error {
	return func(r *http.Request, _ []byte) error {
		r.Header.Set("Authorization", fmt.Sprintf("TEST sig-%d", n.Add(1)))
		r.Header.Set("X-Sdk-Date", time.Now().UTC().Format("20060102T150405.000000000Z"))
		return nil
	}
}

func fastClient(retries int) *Client {
	return New(Options{MaxRetries: retries, BaseBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, RequestTimeout: 5 * time.Second})
}

func TestRetry429ThenSuccessIsResigned(t *testing.T) {
	var hits atomic.Int64
	var mu sync.Mutex
	var auths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization")+"|"+r.Header.Get("X-Sdk-Date"))
		mu.Unlock()
		if hits.Add(1) == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"error_code":"APIG.0308","error_msg":"throttled"}`)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	defer srv.Close()

	var n atomic.Int64
	resp, err := fastClient(3).Do(t.Context(), &Request{Operation: "Op", Method: http.MethodGet, URL: srv.URL + "/x", Sign: signer(&n)})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Attempts != 2 || string(resp.Body) != `{"ok":true}` {
		t.Fatalf("got status %d after %d attempts, body %q", resp.StatusCode, resp.Attempts, resp.Body)
	}
	if len(auths) != 2 || auths[0] == auths[1] {
		t.Fatalf("each attempt must be signed anew, saw %q", auths)
	}
}

func TestNoRetryOfClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			var hits atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.WriteHeader(status)
			}))
			defer srv.Close()
			var n atomic.Int64
			resp, err := fastClient(5).Do(t.Context(), &Request{Operation: "Op", Method: "GET", URL: srv.URL, Sign: signer(&n)})
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != status || hits.Load() != 1 || resp.Attempts != 1 {
				t.Fatalf("status %d: %d requests, %d attempts; want exactly 1", resp.StatusCode, hits.Load(), resp.Attempts)
			}
		})
	}
}

// TestDoOK: a 2xx answer is returned; any other is the error Decode
// makes of it, as Decode returns it, or without Decode an error naming the
// operation and the status; a request with no answer is Do's error.
func TestDoOK(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		w.WriteHeader(status)
		fmt.Fprint(w, "body")
	}))
	defer srv.Close()
	type cloudError struct{ error }
	decode := func(resp *Response) error {
		return &cloudError{fmt.Errorf("decoded %d %s", resp.StatusCode, resp.Body)}
	}
	c := fastClient(0)
	resp, err := c.DoOK(t.Context(), &Request{Operation: "Op", Method: "GET", URL: srv.URL + "/204", Decode: decode})
	if err != nil || resp.StatusCode != 204 {
		t.Errorf("2xx: %v, %v", resp, err)
	}
	resp, err = c.DoOK(t.Context(), &Request{Operation: "Op", Method: "GET", URL: srv.URL + "/404", Decode: decode})
	var ce *cloudError
	if resp != nil || !errors.As(err, &ce) || err.Error() != "decoded 404 body" {
		t.Errorf("404 with Decode: %v, %v", resp, err)
	}
	resp, err = c.DoOK(t.Context(), &Request{Operation: "Op", Method: "GET", URL: srv.URL + "/302"})
	if resp != nil || err == nil || err.Error() != "Op: HTTP 302 Found" {
		t.Errorf("302 without Decode: %v, %v", resp, err)
	}
	var te *Error
	if resp, err = c.DoOK(t.Context(), &Request{Operation: "Op", Method: "GET", URL: "http://127.0.0.1:1/"}); resp != nil || !errors.As(err, &te) {
		t.Errorf("no answer: %v, %v", resp, err)
	}
}

// TestThrottlingRetriedUntilTheDeadline: a throttling answer the Retryable
// hook recognises is retried past MaxRetries, through the host's pacer,
// until the caller's deadline; the error then says what it waited for and
// how many requests were throttled.
func TestThrottlingRetriedUntilTheDeadline(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"Code":"Throttling.User"}`)
	}))
	defer srv.Close()
	// The server throttles whatever the rate: MinRate keeps the retries
	// coming (at the default 0.5/s the one after the first throttle would
	// wait past the deadline).
	c := New(Options{MaxRetries: 0, MinThrottleWait: 10 * time.Millisecond, RequestTimeout: 5 * time.Second, MinRate: 20})
	ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
	defer cancel()
	var n atomic.Int64
	resp, err := c.Do(ctx, &Request{
		Operation: "Op", Method: "POST", URL: srv.URL, Sign: signer(&n),
		Retryable: func(r *Response) bool { return bytes.Contains(r.Body, []byte("Throttling")) },
	})
	var te *ThrottledError
	if resp != nil || !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Do = %v, %v; want a *ThrottledError at the deadline", resp, err)
	}
	// The deadline may cut off one attempt the server had already
	// counted: the error counts only the attempts that were answered.
	h := int(hits.Load())
	if h < 2 || te.Sent < h-1 || te.Sent > h || te.Throttled != te.Sent || te.LastStatus != 400 || te.HostThrottled != int64(te.Sent) {
		t.Fatalf("%d requests, error %+v; want every answered one of them (more than max_retries + 1) counted", h, te)
	}
	// The error says how many requests were sent.
	sent := fmt.Sprintf("sent %d attempt(s) of this request, %d throttled", te.Sent, te.Sent)
	for _, want := range []string{"Op (POST ", "throttled by the API until the deadline: waited", "HTTP 400", sent} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// TestThrottlingBudgetWithoutDeadline: without a caller deadline the
// retries of a throttled request end after ThrottleBudget.
func TestThrottlingBudgetWithoutDeadline(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := New(Options{MaxRetries: 5, ThrottleBudget: 300 * time.Millisecond})
	_, err := c.Do(context.Background(), &Request{Operation: "Op", Method: "GET", URL: srv.URL})
	var te *ThrottledError
	if !errors.As(err, &te) || !errors.Is(err, errThrottleBudget) || !strings.Contains(err.Error(), "throttling budget") {
		t.Fatalf("Do = %v; want a *ThrottledError naming the throttling budget", err)
	}
}

// TestRetryAfterZeroHasAFloor: "Retry-After: 0" does not make a throttled
// request come back at once.
func TestRetryAfterZeroHasAFloor(t *testing.T) {
	var mu sync.Mutex
	var at []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		at = append(at, time.Now())
		first := len(at) == 1
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(200)
	}))
	defer srv.Close()
	const floor = 300 * time.Millisecond
	c := New(Options{MinThrottleWait: floor})
	resp, err := c.Do(t.Context(), &Request{Operation: "Op", Method: "GET", URL: srv.URL})
	if err != nil || resp.StatusCode != 200 || resp.Throttled != 1 {
		t.Fatalf("Do = %+v, %v", resp, err)
	}
	if gap := at[1].Sub(at[0]); gap < floor {
		t.Fatalf("retried %v after a Retry-After: 0, want at least %v", gap, floor)
	}
}

func TestServerErrorsRetriedUpToMaxRetries(t *testing.T) {
	for _, retries := range []int{0, 1, 4} {
		var hits atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		resp, err := fastClient(retries).Do(t.Context(), &Request{Operation: "Op", Method: "GET", URL: srv.URL})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		if int(hits.Load()) != retries+1 || resp.StatusCode != 503 {
			t.Fatalf("max_retries %d: %d requests, status %d", retries, hits.Load(), resp.StatusCode)
		}
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	// The backoff would wait an hour; Retry-After: 0 must win, so the
	// call completes inside the test's deadline.
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(200)
	}))
	defer srv.Close()
	c := New(Options{MaxRetries: 2, BaseBackoff: time.Hour, MaxBackoff: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	resp, err := c.Do(ctx, &Request{Operation: "Op", Method: "GET", URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Attempts != 2 {
		t.Fatalf("status %d attempts %d", resp.StatusCode, resp.Attempts)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		v    string
		want time.Duration
		ok   bool
	}{
		"seconds":  {"3", 3 * time.Second, true},
		"date":     {now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second, true},
		"past":     {now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		"capped":   {"100000", MaxRetryAfter, true},
		"garbage":  {"soon", 0, false},
		"absent":   {"", 0, false},
		"negative": {"-5", 0, true},
	}
	for name, tc := range cases {
		h := http.Header{}
		if tc.v != "" {
			h.Set("Retry-After", tc.v)
		}
		got, ok := retryAfter(h, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: got %v %v, want %v %v", name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoffIsCappedFullJitter(t *testing.T) {
	c := New(Options{BaseBackoff: 100 * time.Millisecond, MaxBackoff: time.Second})
	for n := 1; n <= 40; n++ {
		ceiling := min(time.Second, 100*time.Millisecond<<(n-1))
		if n > 31 {
			ceiling = time.Second
		}
		for range 50 {
			if d := c.backoff(n); d < 0 || d > ceiling {
				t.Fatalf("attempt %d: backoff %v outside [0, %v]", n, d, ceiling)
			}
		}
	}
	// Full jitter: the waits vary.
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[c.backoff(5)] = true
	}
	if len(seen) < 2 {
		t.Fatal("backoff has no jitter")
	}
}

func TestCancelStopsRetryWaitAtOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := New(Options{MaxRetries: 5, BaseBackoff: time.Hour, MaxBackoff: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.Do(ctx, &Request{Operation: "Op", Method: "GET", URL: srv.URL})
		done <- err
	}()
	time.Sleep(50 * time.Millisecond) // let the first attempt land and the wait begin
	cancel()
	select {
	case err := <-done:
		var te *Error
		if !errors.As(err, &te) || !errors.Is(err, context.Canceled) {
			t.Fatalf("want a transport Error wrapping context.Canceled, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Do kept waiting after the context was cancelled")
	}
}

func TestRequestTimeoutIsRetriedThenNamed(t *testing.T) {
	var hits atomic.Int64
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	c := New(Options{MaxRetries: 1, RequestTimeout: 50 * time.Millisecond, BaseBackoff: time.Millisecond})
	_, err := c.Do(t.Context(), &Request{Operation: "ListThings", Method: "GET", URL: srv.URL})
	var te *Error
	if !errors.As(err, &te) || te.Timeout != 50*time.Millisecond || te.Attempts != 2 {
		t.Fatalf("want a timeout Error after 2 attempts, got %#v", err)
	}
	if !strings.Contains(err.Error(), "ListThings") || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("error must name the operation and the timeout: %v", err)
	}
	if hits.Load() != 2 {
		t.Fatalf("server saw %d requests, want 2", hits.Load())
	}
}

func TestTruncatedBodyIsRetried(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			// Promise 100 bytes, send 5, hang up.
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			fmt.Fprint(w, `{"cou`)
			hj, ok := w.(http.Hijacker)
			if !ok {
				t.Error("no hijacker")
				return
			}
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		fmt.Fprint(w, `{"count":1}`)
	}))
	defer srv.Close()
	resp, err := fastClient(2).Do(t.Context(), &Request{Operation: "Op", Method: "GET", URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != `{"count":1}` || resp.Attempts != 2 {
		t.Fatalf("body %q attempts %d", resp.Body, resp.Attempts)
	}
}

func TestTransportErrorRetriedThenReported(t *testing.T) {
	// A port with nothing listening: every attempt fails to connect.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = fastClient(2).Do(t.Context(), &Request{Operation: "ListThings", Method: "GET", URL: "http://" + addr + "/"})
	var te *Error
	if !errors.As(err, &te) || te.Attempts != 3 {
		t.Fatalf("want Error after 3 attempts, got %v", err)
	}
	if !strings.Contains(err.Error(), "ListThings") || !strings.Contains(err.Error(), addr) {
		t.Fatalf("error must name operation and host: %v", err)
	}
}

func TestBodyLimit(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, strings.Repeat("x", 2048))
	}))
	defer srv.Close()
	c := New(Options{MaxRetries: 3, MaxBodyBytes: 1024, BaseBackoff: time.Millisecond})
	_, err := c.Do(t.Context(), &Request{Operation: "Op", Method: "GET", URL: srv.URL})
	if !errors.Is(err, errBodyTooLarge) || hits.Load() != 1 {
		t.Fatalf("want one attempt and a size error, got %v after %d", err, hits.Load())
	}
}

func TestUserAgentAndRawQuerySentAsGiven(t *testing.T) {
	const raw = "a=%20x&b=%2B&b=%26&c=%E4%B8%80"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != raw {
			t.Errorf("raw query %q, want %q", r.URL.RawQuery, raw)
		}
		if got := r.Header.Get("User-Agent"); got != "terraform-provider-opsaudit/1.2.3" {
			t.Errorf("User-Agent %q", got)
		}
	}))
	defer srv.Close()
	c := New(Options{UserAgent: "terraform-provider-opsaudit/1.2.3"})
	if _, err := c.Do(t.Context(), &Request{Operation: "Op", Method: "GET", URL: srv.URL + "/p?" + raw}); err != nil {
		t.Fatal(err)
	}
}

func TestLogsAreStructuredAndMasked(t *testing.T) {
	const secretKey = "SK-very-secret-value-123"
	const token = "TOKEN-temporary-abc-456"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-42")
		// A careless server echoing a secret must not leak it either.
		fmt.Fprint(w, `{"echo":"`+secretKey+`"}`)
	}))
	defer srv.Close()
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &buf)
	t.Setenv("TF_LOG", "TRACE")
	c := New(Options{Secrets: []string{secretKey, token, ""}})
	_, err := c.Do(ctx, &Request{
		Operation: "ListThings", Method: "GET",
		URL:    srv.URL + "/v1/things?AccessKeyId=AKID123&Signature=abc%3D&limit=5",
		Header: http.Header{"X-Security-Token": {token}},
		Sign: func(r *http.Request, _ []byte) error {
			r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=deadbeef"+secretKey)
			r.Header.Set("X-Acs-Security-Token", token)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, leak := range []string{secretKey, token, "deadbeef", "AKID123", "abc%3D"} {
		if strings.Contains(out, leak) {
			t.Errorf("log contains %q:\n%s", leak, out)
		}
	}
	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, e := range entries {
		if e["@message"] != "HTTP request" {
			continue
		}
		found = true
		for _, k := range []string{"method", "host", "path", "status", "attempt", "duration_ms", "request_id", "operation"} {
			if _, ok := e[k]; !ok {
				t.Errorf("log entry lacks field %q: %v", k, e)
			}
		}
		if e["request_id"] != "req-42" || e["operation"] != "ListThings" || e["path"] != "/v1/things" {
			t.Errorf("unexpected fields: %v", e)
		}
		if q, _ := e["query"].(string); !strings.Contains(q, "limit=5") || !strings.Contains(q, "AccessKeyId=***") {
			t.Errorf("query not logged masked: %v", e["query"])
		}
	}
	if !found {
		t.Fatalf("no request log line:\n%s", out)
	}
}

func TestMaskQueryAndHeaders(t *testing.T) {
	got := MaskQuery("a=1&accesskeyid=X&SecurityToken=Y&Signature=Z&b")
	if got != "a=1&accesskeyid=***&SecurityToken=***&Signature=***&b" {
		t.Fatalf("MaskQuery: %q", got)
	}
	h := MaskHeaders(http.Header{"Authorization": {"x"}, "X-Security-Token": {"t"}, "X-Acs-Security-Token": {"t"}, "Host": {"h"}})
	if h["Authorization"] != Masked || h["X-Security-Token"] != Masked || h["X-Acs-Security-Token"] != Masked || h["Host"] != "h" {
		t.Fatalf("MaskHeaders: %v", h)
	}
}
