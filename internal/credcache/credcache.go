// Package credcache holds temporary credentials between uses: one Cache per
// credential source keeps the last credentials fetched, hands them to every
// caller until they are due for refresh, and then fetches new ones once for
// all concurrent callers (the others wait for that one fetch).
//
// Credentials are refreshed before they expire: RefreshAhead (5 minutes)
// ahead of their expiry, or half their life when that is shorter, so that
// a request signed just before the refresh still arrives with valid
// credentials. Credentials without an expiry are fetched once.
//
// Both clouds' credential layers use it, with Source naming each source in
// errors and logs.
package credcache

import (
	"context"
	"errors"
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
// they do not expire.
type Fetch[T any] func(ctx context.Context) (T, time.Time, error)

// Cache holds the credentials of one source. It is safe for concurrent use.
type Cache[T any] struct {
	fetch Fetch[T]
	now   func() time.Time

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

// New returns a Cache fetching with fetch; now is its clock (nil: time.Now).
func New[T any](fetch Fetch[T], now func() time.Time) *Cache[T] {
	if now == nil {
		now = time.Now
	}
	return &Cache[T]{fetch: fetch, now: now}
}

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

// ErrExpired is wrapped by the error of a fetch that returned credentials
// already expired.
var ErrExpired = errors.New("the credentials returned have already expired")

// Get returns the cached credentials while they are not due for refresh;
// otherwise it fetches new ones, or waits for the fetch another caller
// started. The fetch runs to its end (bounded by FetchTimeout) even when
// ctx ends first, so that one impatient caller does not fail the others;
// Get itself returns as soon as ctx ends. A failed fetch is not
// remembered: the next Get tries again. A failed refresh while the
// current credentials are still valid is not an error: they are returned,
// and the refresh is tried again RetryRefresh later (a WARN line says so).
func (c *Cache[T]) Get(ctx context.Context) (T, error) {
	v, _, err := c.GetWithExpiry(ctx)
	return v, err
}

// GetWithExpiry is Get, also returning when the credentials expire (zero:
// never), for a layer that passes another's credentials on.
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
	val, expires, err := c.fetch(ctx)
	if err == nil && !expires.IsZero() && !fetched.Before(expires) {
		err = fmt.Errorf("%w (expiry %s)", ErrExpired, expires.UTC().Format(time.RFC3339))
	}
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
			"error": err.Error(), "expires_at": c.expires.UTC().Format(time.RFC3339), "next_attempt": c.refreshAt.UTC().Format(time.RFC3339),
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
	build func() (*Cache[T], error)
	once  sync.Once
	top   *Cache[T]
	err   error
}

// NewChain returns a Chain that build makes at first use; build returns
// the Cache of the outermost source, or why the settings select none.
func NewChain[T any](build func() (*Cache[T], error)) *Chain[T] {
	return &Chain[T]{build: build}
}

func (c *Chain[T]) built() (*Cache[T], error) {
	c.once.Do(func() { c.top, c.err = c.build() })
	return c.top, c.err
}

// Check reports why the settings select no usable source, contacting
// nothing.
func (c *Chain[T]) Check() error {
	_, err := c.built()
	return err
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
