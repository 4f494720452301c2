package transport

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestLoopbackOnly: with OPSAUDIT_LOOPBACK_ONLY set, a client reaches
// loopback addresses (by IP and as localhost) and refuses any other. So
// that a broken guard sends nothing off this machine, the client is tried
// against 0.0.0.0 (which Linux connects to this machine: it would succeed
// without the guard), and the cloud and instance-metadata addresses only
// against the dial function with a fake dialler underneath.
func TestLoopbackOnly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{}`) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	refused := func(err error) bool {
		return err != nil && strings.Contains(err.Error(), "refusing to connect to") &&
			strings.Contains(err.Error(), "loopback addresses only ("+EnvLoopbackOnly)
	}

	t.Setenv(EnvLoopbackOnly, "") // make test sets it
	if New(Options{}).opts.LoopbackOnly {
		t.Fatalf("LoopbackOnly without %s", EnvLoopbackOnly)
	}
	t.Setenv(EnvLoopbackOnly, "1")
	c := New(Options{RequestTimeout: 5e9})
	for _, u := range []string{srv.URL, "http://localhost:" + port} {
		if _, err := c.Do(t.Context(), &Request{Operation: "Op", Method: http.MethodGet, URL: u + "/x"}); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	if _, err := c.Do(t.Context(), &Request{Operation: "Op", Method: http.MethodGet, URL: "http://0.0.0.0:" + port + "/x"}); !refused(err) {
		t.Errorf("0.0.0.0: error %v, want the loopback refusal", err)
	}

	var dialled atomic.Int64
	fake := func(_ context.Context, _, _ string) (net.Conn, error) {
		dialled.Add(1)
		return nil, errors.New("dialled")
	}
	for _, addr := range []string{"100.100.100.200:80", "169.254.169.254:80", "iam.cn-north-4.myhuaweicloud.com:443",
		"[2001:db8::1]:443", "127.0.0.1.nip.io:443", "0.0.0.0:80", "no-port"} {
		if _, err := loopbackOnly(fake)(t.Context(), "tcp", addr); !refused(err) {
			t.Errorf("%s: error %v, want the loopback refusal", addr, err)
		}
	}
	if dialled.Load() != 0 {
		t.Fatalf("%d refused addresses were dialled", dialled.Load())
	}
	// A "localhost" that did not end on a loopback TCP address is closed.
	pipe := func(_ context.Context, _, _ string) (net.Conn, error) {
		a, b := net.Pipe()
		_ = b.Close()
		return a, nil
	}
	if _, err := loopbackOnly(pipe)(t.Context(), "tcp", "localhost:443"); !refused(err) {
		t.Fatalf("localhost on a pipe: error %v, want the loopback refusal", err)
	}
}
