package transport

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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

// envProxyChild makes the test binary, started again by
// TestLoopbackOnlyThroughProxy, run that test's child side: "guarded"
// (with EnvLoopbackOnly set) or "open" (without it).
const envProxyChild = "OPSAUDIT_TEST_PROXY_CHILD"

// fakeProxy is a forwarding proxy on 127.0.0.1 that forwards nothing: it
// records the request line of every connection (a CONNECT or an absolute
// URL) and answers 502.
type fakeProxy struct {
	URL   string
	mu    sync.Mutex
	lines []string
}

func startFakeProxy(t *testing.T) *fakeProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &fakeProxy{URL: "http://" + ln.Addr().String()}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				line, _ := bufio.NewReader(conn).ReadString('\n')
				p.mu.Lock()
				p.lines = append(p.lines, strings.TrimSpace(line))
				p.mu.Unlock()
				_, _ = io.WriteString(conn, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			}()
		}
	}()
	t.Cleanup(func() { _ = ln.Close() })
	return p
}

func (p *fakeProxy) asked() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.lines)
}

// TestLoopbackOnlyThroughProxy: the guard judges the target host, not the
// address it dials. With HTTPS_PROXY and HTTP_PROXY naming a proxy on
// loopback, a loopback-only client refuses a cloud host, an
// instance-metadata address and 0.0.0.0 without asking the proxy, and
// reaches a loopback server directly. Without the guard the same client
// does ask that proxy (the control: the proxy is in effect). The proxy is
// a local fake that records what it is asked and forwards nothing, and the
// control's targets are 0.0.0.0 and a .invalid name, so nothing leaves
// this machine even if the guard broke. net/http reads the proxy variables
// once per process, so each side runs in a new process of this test
// binary.
func TestLoopbackOnlyThroughProxy(t *testing.T) {
	if mode := os.Getenv(envProxyChild); mode != "" {
		proxyChild(t, mode)
		return
	}
	proxy := startFakeProxy(t)
	run := func(mode, loopbackOnly string) {
		t.Helper()
		var env []string
		for _, kv := range os.Environ() {
			name, _, _ := strings.Cut(kv, "=")
			if !strings.HasSuffix(strings.ToUpper(name), "_PROXY") && name != EnvLoopbackOnly && name != "REQUEST_METHOD" {
				env = append(env, kv)
			}
		}
		env = append(env, envProxyChild+"="+mode, EnvLoopbackOnly+"="+loopbackOnly,
			"HTTPS_PROXY="+proxy.URL, "HTTP_PROXY="+proxy.URL, "https_proxy="+proxy.URL, "http_proxy="+proxy.URL)
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestLoopbackOnlyThroughProxy$", "-test.count=1", "-test.v")
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestLoopbackOnlyThroughProxy") {
			t.Fatalf("%s side: %v\n%s", mode, err, out)
		}
	}

	run("guarded", "1")
	if asked := proxy.asked(); len(asked) != 0 {
		t.Fatalf("the loopback-only client asked the proxy for %q", asked)
	}
	run("open", "")
	asked := proxy.asked()
	for _, want := range []string{"GET http://0.0.0.0:9/x HTTP/1.1", "CONNECT opsaudit-target.invalid:443 HTTP/1.1"} {
		if !slices.Contains(asked, want) {
			t.Errorf("without the guard the proxy was not asked %q (asked: %q): the control proves nothing", want, asked)
		}
	}
}

// proxyChild is the child side of TestLoopbackOnlyThroughProxy, in a
// process whose proxy variables name the parent's fake proxy.
func proxyChild(t *testing.T, mode string) {
	c := New(Options{RequestTimeout: 5 * time.Second, MaxRetries: 0})
	get := func(u string) error {
		_, err := c.Do(t.Context(), &Request{Operation: "Op", Method: http.MethodGet, URL: u})
		return err
	}
	switch mode {
	case "guarded":
		if !c.opts.LoopbackOnly {
			t.Fatalf("LoopbackOnly is off with %s=%q", EnvLoopbackOnly, os.Getenv(EnvLoopbackOnly))
		}
		var served atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			served.Add(1)
			fmt.Fprint(w, `{}`)
		}))
		defer srv.Close()
		_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
		for _, u := range []string{srv.URL + "/x", "http://localhost:" + port + "/x"} {
			if err := get(u); err != nil {
				t.Errorf("%s: %v", u, err)
			}
		}
		if served.Load() != 2 {
			t.Errorf("the loopback server got %d requests, want 2 (directly, not through the proxy)", served.Load())
		}
		for target, addr := range map[string]string{
			"https://iam.cn-north-4.myhuaweicloud.com/v3/projects": "iam.cn-north-4.myhuaweicloud.com:443",
			"http://100.100.100.200/latest/api/token":              "100.100.100.200:80",
			"http://[2001:db8::1]:8443/x":                          "[2001:db8::1]:8443",
			"http://0.0.0.0:" + port + "/x":                        "0.0.0.0:" + port,
		} {
			err := get(target)
			if err == nil || !strings.Contains(err.Error(), "refusing to connect to "+addr+": this process may reach loopback addresses only") {
				t.Errorf("%s: error %v, want the loopback refusal naming %s", target, err, addr)
			}
		}
	case "open":
		// The proxy answers 502 (a response, or a failed CONNECT): what
		// it was asked is the parent's to check.
		for _, u := range []string{"http://0.0.0.0:9/x", "https://opsaudit-target.invalid/x"} {
			_ = get(u)
		}
	default:
		t.Fatalf("%s=%q", envProxyChild, mode)
	}
}
