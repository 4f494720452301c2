// Package emutest starts the emulator for the official SDKs' tests and
// fences the test process in: every connection the SDKs make goes to
// 127.0.0.1.
//
// Main is a package's TestMain: it runs Start and Setenv, then the tests.
// Start runs one emulator (internal/emulator) over plain HTTP and, with
// Options.TLSAddr, over TLS with a certificate of the CA it makes (some
// clients send to https:// whatever the endpoint). Setenv then sets the
// process environment the SDKs read:
//
//   - HTTP_PROXY and HTTPS_PROXY name a dead loopback port, so that a
//     client that would reach any other host through the environment's
//     proxy fails at once, instead of reaching a cloud (Go never proxies
//     loopback addresses; NO_PROXY names the emulator for darabonba,
//     which does not exempt them);
//   - SSL_CERT_FILE holds the emulator's CA alone, so a client that
//     verifies against the system roots trusts the emulator and nothing
//     else;
//   - HOME is an empty directory, and every variable of the SDKs'
//     credential chains (ALIBABA_CLOUD_*, ALICLOUD_*, HUAWEICLOUD_SDK_*,
//     HW_*, OS_*) is removed, so no file or variable of the machine's
//     takes part.
//
// Clients that take a transport are given Transport: dials to loopback
// addresses only, and a record of every exchange.
package emutest

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// Env is a running emulator served over HTTP and HTTPS.
type Env struct {
	Server *emulator.Server
	// URL is "http://127.0.0.1:PORT"; Host is "127.0.0.1:PORT".
	URL, Host string
	// TLSURL and TLSHost are the same emulator over TLS.
	TLSURL, TLSHost string
	// CA signed the TLS server's certificate; CAFile holds its PEM.
	CA     *emulator.CA
	CAFile string
	// Dir is a directory of the test run (HOME points into it).
	Dir string

	rec *Recorder
}

// Main is the TestMain of a package of SDK tests: it starts the emulator
// (Start), stores it in *env, sets the process environment (Setenv), runs
// setup if it is not nil, then the tests, stops the emulator and exits
// with the tests' code (1 if anything before them failed).
func Main(m *testing.M, env **Env, setup func(*Env) error) {
	os.Exit(run(m, env, setup))
}

func run(m *testing.M, env **Env, setup func(*Env) error) int {
	e, err := Start(emulator.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer e.Close()
	*env = e
	if err := e.Setenv(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if setup != nil {
		if err := setup(e); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return m.Run()
}

// Start starts the emulator with opts, over HTTP and over HTTPS
// (Options.TLSAddr).
func Start(opts emulator.Options) (*Env, error) {
	opts.TLSAddr = "127.0.0.1:0"
	s, err := emulator.Start(opts)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "opsaudit-conformance-")
	if err != nil {
		s.Close()
		return nil, err
	}
	e := &Env{Server: s, URL: s.URL(), Host: strings.TrimPrefix(s.URL(), "http://"),
		TLSURL: s.TLSURL(), TLSHost: strings.TrimPrefix(s.TLSURL(), "https://"),
		CA: s.CA(), CAFile: filepath.Join(dir, "emulator-ca.pem"), Dir: dir, rec: &Recorder{}}
	if err := os.WriteFile(e.CAFile, e.CA.CertPEM(), 0o600); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// Last is the last request the emulator recorded for api (one of
// emulator's API names); the test fails when there is none.
func (e *Env) Last(t testing.TB, api string) emulator.RecordedRequest {
	t.Helper()
	recs := e.Server.Recorded(api)
	if len(recs) == 0 {
		t.Fatalf("no %s request recorded", api)
	}
	return recs[len(recs)-1]
}

// Close stops the emulator and removes Dir.
func (e *Env) Close() {
	e.Server.Close()
	_ = os.RemoveAll(e.Dir)
}

// credentialVars are the prefixes of the variables the SDKs' credential
// chains and endpoint lookups read.
var credentialVars = []string{"ALIBABA_CLOUD_", "ALIBABACLOUD_", "ALICLOUD_", "HUAWEICLOUD_SDK_", "HW_", "OS_"}

// Setenv sets the process environment described in the package doc. Call
// it before any request: Go reads the proxy variables and the system
// roots once.
func (e *Env) Setenv() error {
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		for _, p := range credentialVars {
			if strings.HasPrefix(strings.ToUpper(k), p) {
				if err := os.Unsetenv(k); err != nil {
					return err
				}
			}
		}
	}
	home := filepath.Join(e.Dir, "home")
	certDir := filepath.Join(e.Dir, "no-system-certs")
	for _, d := range []string{home, certDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	const dead = "http://127.0.0.1:1"
	for k, v := range map[string]string{
		"HTTP_PROXY": dead, "HTTPS_PROXY": dead, "http_proxy": dead, "https_proxy": dead,
		"NO_PROXY": e.Host + "," + e.TLSHost, "no_proxy": e.Host + "," + e.TLSHost,
		"SSL_CERT_FILE": e.CAFile, "SSL_CERT_DIR": certDir,
		"HOME": home, "USERPROFILE": home,
	} {
		if err := os.Setenv(k, v); err != nil {
			return err
		}
	}
	return nil
}

// DialLoopback dials loopback addresses only.
func DialLoopback(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("conformance: refusing to connect to %s: the tests reach loopback addresses only", addr)
	}
	return (&net.Dialer{}).DialContext(ctx, network, addr)
}

// Transport is a transport for the clients that take one: no proxy,
// loopback dials only, the emulator's CA trusted, every exchange recorded
// (Exchanges).
func (e *Env) Transport() http.RoundTripper {
	return e.rec.wrap(&http.Transport{
		DialContext:     DialLoopback,
		TLSClientConfig: &tls.Config{RootCAs: e.CA.Pool(), MinVersion: tls.VersionTLS12},
	})
}

// Exchange is one request and its answer, as a client saw them.
type Exchange struct {
	Method, URL string
	Request     http.Header
	Status      int
	Header      http.Header
	Body        []byte
}

// Recorder keeps the exchanges of the transports it wraps.
type Recorder struct {
	mu  sync.Mutex
	all []Exchange
}

type recording struct {
	rec  *Recorder
	next http.RoundTripper
}

func (r *Recorder) wrap(next http.RoundTripper) http.RoundTripper {
	return &recording{rec: r, next: next}
}

func (t *recording) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	t.rec.mu.Lock()
	t.rec.all = append(t.rec.all, Exchange{Method: req.Method, URL: req.URL.String(), Request: req.Header.Clone(),
		Status: resp.StatusCode, Header: resp.Header.Clone(), Body: body})
	t.rec.mu.Unlock()
	return resp, nil
}

// Exchanges returns the exchanges recorded since the last call, and
// forgets them.
func (e *Env) Exchanges() []Exchange {
	e.rec.mu.Lock()
	defer e.rec.mu.Unlock()
	out := e.rec.all
	e.rec.all = nil
	return out
}

// DaraClient is an HTTP client for darabonba-openapi (its Config's
// HttpClient): it sends with the transport darabonba built for the call,
// its TLS settings included, but dials loopback addresses only, uses no
// proxy, and records the exchange (Exchanges).
type DaraClient struct{ e *Env }

// DaraClient returns the darabonba client of this emulator.
func (e *Env) DaraClient() DaraClient { return DaraClient{e} }

// Call is darabonba's HttpClient method.
func (c DaraClient) Call(req *http.Request, tr *http.Transport) (*http.Response, error) {
	t := tr.Clone()
	t.DialContext = DialLoopback
	t.Dial = nil //nolint:staticcheck // darabonba sets it for a SOCKS5 proxy; the tests use none
	t.Proxy = nil
	return c.e.rec.wrap(t).RoundTrip(req)
}
