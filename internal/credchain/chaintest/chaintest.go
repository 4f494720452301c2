// Package chaintest is test support for the clouds' credential chains:
// configurations written as text, and the checks every chain's selection
// tests make. Tests only.
package chaintest

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// Config is a configuration of a cloud's block written as text: top-level
// settings and nested blocks, each value a string (a whole number is an
// Int setting's value as well).
func Config(top map[string]string, nested map[string][]map[string]string) credchain.Config {
	conv := func(m map[string]string) credchain.Written {
		w := credchain.Written{}
		for k, v := range m {
			n, _ := strconv.Atoi(v)
			w[k] = credchain.Value{Str: v, Int: int64(n), Set: true}
		}
		return w
	}
	c := credchain.Config{Nested: map[string][]credchain.Written{}}
	if top != nil {
		c.Top = conv(top)
	}
	for name, bs := range nested {
		for _, b := range bs {
			c.Nested[name] = append(c.Nested[name], conv(b))
		}
	}
	return c
}

// SelectionError checks the error of a chain's selection: it contains
// want, and it is an *credchain.IncompleteError (a plan-time error) when
// incomplete, else the missing-credentials error (a read-time one).
func SelectionError(t *testing.T, err error, want string, incomplete bool) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v\nwant one containing %q", err, want)
	}
	var ie *credchain.IncompleteError
	if errors.As(err, &ie) != incomplete || errors.Is(err, credchain.ErrNoCredentials) == incomplete {
		t.Errorf("incomplete %v, no credentials %v; want incomplete %v", errors.As(err, &ie), errors.Is(err, credchain.ErrNoCredentials), incomplete)
	}
}

// Case is a selection case: the configuration and the environment, and
// the error wanted (SelectionError).
type Case struct {
	Name       string
	Cfg        credchain.Config
	Env        map[string]string
	Want       string
	Incomplete bool
}

// Sequence checks that the requests a chain sent, one line each, are
// want, in order.
func Sequence(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// C is a Case.
func C(name string, cfg credchain.Config, env map[string]string, want string, incomplete bool) Case {
	return Case{Name: name, Cfg: cfg, Env: env, Want: want, Incomplete: incomplete}
}

// T0 is the fakes' starting time.
var T0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// Clock is a clock tests move by hand; it starts at T0.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now.IsZero() {
		c.now = T0
	}
	return c.now
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	now := c.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = now.Add(d)
}

// Failed reports whether err is the error wanted (wantErr != ""),
// failing the test when it is not; with no error wanted, an error fails
// the test.
func Failed(t *testing.T, err error, wantErr string) bool {
	t.Helper()
	if wantErr == "" {
		if err != nil {
			t.Fatal(err)
		}
		return false
	}
	if err == nil || !strings.Contains(err.Error(), wantErr) {
		t.Fatalf("err = %v, want %q", err, wantErr)
	}
	return true
}
