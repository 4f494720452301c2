// Package clienttest is test support for both clouds' client packages
// (internal/huaweicloud, internal/alicloud): the transport a client test
// sends through, servers that verify what they receive with the standard
// library only (never the signers' code) or count it, fakes of the
// credential services, and the checks both packages' tests make of
// results, errors and decoded API errors. Tests only.
package clienttest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain/chaintest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// Options are a client test's transport options: retries retries, a
// millisecond of backoff, 5 s per attempt, secrets masked.
func Options(retries int, secrets ...string) transport.Options {
	return transport.Options{MaxRetries: retries, RequestTimeout: 5 * time.Second,
		BaseBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, Secrets: secrets}
}

// Transport is a transport with Options.
func Transport(retries int, secrets ...string) *transport.Client {
	return transport.New(Options(retries, secrets...))
}

// Received is a request a Server accepted: what its verifier learnt, the
// request and its body.
type Received[V any] struct {
	V    V
	R    *http.Request
	Body []byte
}

// Server verifies every request it receives with verify and hands the
// accepted ones to handle; a request verify refuses fails the test and
// is answered by refuse.
func Server[V any](t *testing.T, verify func(r *http.Request, body []byte) (V, error), refuse func(http.ResponseWriter),
	handle func(http.ResponseWriter, Received[V])) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading body: %v", err)
			return
		}
		v, err := verify(r, body)
		if err != nil {
			t.Errorf("%s %s: %v", r.Method, r.RequestURI, err)
			refuse(w)
			return
		}
		handle(w, Received[V]{V: v, R: r, Body: body})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Counter is a server that answers nothing and counts the requests it
// gets, for tests that a client sent none.
func Counter(t *testing.T) (url string, hits func() int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	return srv.URL, n.Load
}

// Result checks a value-or-error result: the error contains wantErr when
// one is wanted, else there is none and got is want.
func Result(t *testing.T, got string, err error, want, wantErr string) {
	t.Helper()
	switch {
	case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
		t.Errorf("got %q, %v; want an error containing %q", got, err, wantErr)
	case wantErr == "" && (err != nil || got != want):
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
}

// Names checks that err is an error whose text contains each of names
// and none of hidden (values that must not show).
func Names(t *testing.T, err error, names, hidden []string) {
	t.Helper()
	if err == nil {
		t.Errorf("no error; want one naming %q", names)
		return
	}
	for _, n := range names {
		if !strings.Contains(err.Error(), n) {
			t.Errorf("error %q does not name %s", err, n)
		}
	}
	for _, h := range hidden {
		if strings.Contains(err.Error(), h) {
			t.Errorf("error %q shows %s", err, h)
		}
	}
}

// Resolve resolves cfg against env by table, failing the test on an
// error.
func Resolve(t *testing.T, table *credchain.Table, cfg credchain.Config, env map[string]string) *credchain.Resolved {
	t.Helper()
	r, err := table.Resolve(cfg, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Str is a string setting written in the configuration.
func Str(s string) credchain.Value { return credchain.Value{Str: s, Set: true} }

// Accounts checks the accounts (credchain.Base.Account) of a cloud's
// clients, made by account from resolved settings: each of signers (named
// for the errors) has an account, none holds a text marked "SECRET", no
// two are alike; each of none has no account.
func Accounts(t *testing.T, account func(*credchain.Resolved) string, signers map[string]*credchain.Resolved, none ...*credchain.Resolved) {
	t.Helper()
	seen := map[string]string{}
	for name, r := range signers {
		a := account(r)
		if a == "" {
			t.Errorf("%s: no account", name)
		}
		if strings.Contains(a, "SECRET") {
			t.Errorf("%s: account %q holds a secret", name, a)
		}
		if other, dup := seen[a]; dup {
			t.Errorf("%s and %s share the account %q", name, other, a)
		}
		seen[a] = name
	}
	for _, r := range none {
		if a := account(r); a != "" {
			t.Errorf("no credential setting gives the account %q, want none", a)
		}
	}
}

// WriteFile writes content to a file named name in a new temporary
// directory and returns its path.
func WriteFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Fake is what the fakes of both clouds' credential services share: a
// server on loopback, a clock tests move (chaintest.Clock), the lock
// over the fake's record and the count of credentials it issued. A fake
// embeds it and starts it with Start.
type Fake struct {
	T   *testing.T
	Srv *httptest.Server
	chaintest.Clock
	Mu     sync.Mutex
	Issued int
}

// Start serves h (the fake itself) until the test ends.
func (f *Fake) Start(t *testing.T, h http.Handler) {
	f.T = t
	f.Srv = httptest.NewServer(h)
	t.Cleanup(f.Srv.Close)
}

// Transport is the transport of a fake's clients: one retry, a
// millisecond of backoff.
func (f *Fake) Transport() *transport.Client {
	return transport.New(transport.Options{MaxRetries: 1, BaseBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
}
