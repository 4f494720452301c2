// Package credchain is what both clouds' credential chains share: the
// table of a cloud's settings and their resolution against the
// environment (settings.go), the choice of one source among those
// configured (select.go), the cache that holds each source's credentials
// and refreshes them before they expire, once for all callers (this
// file), the errors that name a source and its settings (source.go), and
// the expiry and token-file rules every source follows (answer.go,
// files.go). It knows no cloud: each cloud's chain (internal/huaweicloud,
// internal/alicloud) is small sources, one file each, put in order in one
// place per cloud.
//
// Credentials are refreshed before they expire: RefreshAhead (5 minutes)
// ahead of their expiry, or half their life when that is shorter, so that
// a request signed just before the refresh still arrives with valid
// credentials. Credentials without an expiry are fetched once.
package credchain

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// RefreshAhead is how long before their expiry credentials are refreshed,
// unless half their life is shorter.
const RefreshAhead = 5 * time.Minute

// RetryRefresh is how long after a failed refresh the next one is tried
// while the current credentials are still valid (at most half of the
// time they have left).
const RetryRefresh = 30 * time.Second

// FetchTimeout bounds one fetch (which may be several requests, e.g. an
// OIDC exchange followed by an assume-role call, each with its retries).
const FetchTimeout = 5 * time.Minute

// Fetch returns new credentials and when they expire; a zero expiry means
// they do not expire (only a source that is not Temporary may say so).
type Fetch[T any] func(ctx context.Context) (T, time.Time, error)

// Cache holds the credentials of one source. It is safe for concurrent use.
type Cache[T any] struct {
	src Source[T]
	now func() time.Time

	mu        sync.Mutex
	have      bool
	val       T
	expires   time.Time // zero: never
	refreshAt time.Time // zero: never
	flight    *flight[T]
}

// flight is one fetch in progress; val and err are written before done is
// closed and read only after.
type flight[T any] struct {
	done    chan struct{}
	val     T
	expires time.Time
	err     error
}

// New returns the Cache of src; now is its clock (nil: time.Now).
func New[T any](src Source[T], now func() time.Time) *Cache[T] {
	if now == nil {
		now = time.Now
	}
	return &Cache[T]{src: src, now: now}
}

// Source returns the source the cache holds credentials of.
func (c *Cache[T]) Source() *Source[T] { return &c.src }

// RefreshAt is when credentials fetched at fetched and expiring at expires
// are due for refresh: RefreshAhead before expires, or half their life
// before it when that is shorter. Zero when expires is zero (no expiry).
func RefreshAt(fetched, expires time.Time) time.Time {
	if expires.IsZero() {
		return time.Time{}
	}
	ahead := RefreshAhead
	if half := expires.Sub(fetched) / 2; half < ahead {
		ahead = max(half, 0)
	}
	return expires.Add(-ahead)
}

// Get returns the cached credentials while they are not due for refresh;
// otherwise it fetches new ones, or waits for the fetch another caller
// started. The fetch runs to its end (bounded by FetchTimeout) even when
// ctx ends first, so that one impatient caller does not fail the others;
// Get itself returns as soon as ctx ends. A failed fetch is not
// remembered: the next Get tries again. A failed refresh while the
// current credentials are still valid is not an error: they are returned,
// and the refresh is tried again RetryRefresh later (a WARN line says so).
// Every error of the source is a *SourceError naming it.
func (c *Cache[T]) Get(ctx context.Context) (T, error) {
	v, _, err := c.GetWithExpiry(ctx)
	return v, err
}

// GetWithExpiry is Get, also returning when the credentials expire (zero:
// never), for a source that passes another's credentials on.
func (c *Cache[T]) GetWithExpiry(ctx context.Context) (T, time.Time, error) {
	c.mu.Lock()
	if c.have && (c.refreshAt.IsZero() || c.now().Before(c.refreshAt)) {
		v, exp := c.val, c.expires
		c.mu.Unlock()
		return v, exp, nil
	}
	f := c.flight
	if f == nil {
		f = &flight[T]{done: make(chan struct{})}
		c.flight = f
		go c.run(context.WithoutCancel(ctx), f)
	}
	c.mu.Unlock()

	select {
	case <-f.done:
		return f.val, f.expires, f.err
	case <-ctx.Done():
		var zero T
		return zero, time.Time{}, context.Cause(ctx)
	}
}

func (c *Cache[T]) run(ctx context.Context, f *flight[T]) {
	ctx, cancel := context.WithTimeout(ctx, FetchTimeout)
	defer cancel()
	fetched := c.now()
	val, expires, err := c.src.fetch(ctx, fetched)
	c.mu.Lock()
	switch {
	case err == nil:
		c.have, c.val, c.expires, c.refreshAt = true, val, expires, RefreshAt(fetched, expires)
	case c.have && fetched.Before(c.expires):
		// A refresh failed while the current credentials are still
		// valid: keep using them, and try again a little later rather
		// than at every request.
		c.refreshAt = fetched.Add(min(RetryRefresh, c.expires.Sub(fetched)/2))
		tflog.Warn(ctx, "Refreshing temporary credentials failed; the current ones are used until the next attempt", map[string]any{
			"error": c.src.mask(err.Error()), "expires_at": c.expires.UTC().Format(time.RFC3339), "next_attempt": c.refreshAt.UTC().Format(time.RFC3339),
		})
		val, expires, err = c.val, c.expires, nil
	}
	c.flight = nil
	c.mu.Unlock()
	if err == nil {
		f.val, f.expires = val, expires
	}
	f.err = err
	close(f.done)
}

// Chain is a cloud's chain of credential sources, built from its settings
// alone (without contacting anything) at first use, once.
type Chain[T any] struct {
	build    func() (*Cache[T], []string, error)
	once     sync.Once
	top      *Cache[T]
	warnings []string
	err      error
}

// NewChain returns a Chain that build makes at first use; build returns
// the Cache of the outermost source and the warnings about the settings
// (Select's), or why the settings select none.
func NewChain[T any](build func() (*Cache[T], []string, error)) *Chain[T] {
	return &Chain[T]{build: build}
}

func (c *Chain[T]) built() (*Cache[T], error) {
	c.once.Do(func() {
		c.top, c.warnings, c.err = c.build()
		if c.err == nil && c.top == nil {
			c.err = fmt.Errorf("credential chain built no source")
		}
	})
	return c.top, c.err
}

// Check reports why the settings select no usable source, contacting
// nothing: an error wrapping ErrNoCredentials when they configure none
// (not a plan-time error), any other error for settings that are wrong.
func (c *Chain[T]) Check() error {
	_, err := c.built()
	return err
}

// Warnings are the chain's warnings about its settings (several sources
// configured).
func (c *Chain[T]) Warnings() []string {
	_, _ = c.built()
	return c.warnings
}

// Get returns the current credentials of the chain.
func (c *Chain[T]) Get(ctx context.Context) (T, error) {
	top, err := c.built()
	if err != nil {
		var zero T
		return zero, err
	}
	return top.Get(ctx)
}

// Top returns the outermost source of the chain (nil when the settings
// select none), for messages that name where credentials come from.
func (c *Chain[T]) Top() *Source[T] {
	top, err := c.built()
	if err != nil {
		return nil
	}
	return top.Source()
}
