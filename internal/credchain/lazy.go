package credchain

import (
	"context"
	"sync"
	"time"
)

// Factory makes the caches of one cloud's sources: each source is named
// after the cloud, its credentials are handed to Obtained (to mask their
// secrets), its log lines are masked by Mask and its clock is Now.
type Factory[T any] struct {
	Cloud    string
	Now      func() time.Time
	Obtained func(T)
	Mask     func(string) string
}

// Cache is the cache of src, made by f.
func (f Factory[T]) Cache(src Source[T]) *Cache[T] {
	src.Cloud, src.Obtained, src.Mask = f.Cloud, f.Obtained, f.Mask
	return New(src, f.Now)
}

// Traded is the cache of a layer's source (an assume-role, an agency),
// named name and selected by settings, whose temporary credentials trade
// obtains for below's. The credentials below are had first, so that
// their failure is theirs (a *SourceError naming their source, passed on
// as it is), never this layer's.
func (f Factory[T]) Traded(name, settings string, below *Cache[T], trade Fetch[T]) *Cache[T] {
	return f.Cache(Source[T]{Name: name, Settings: settings, Temporary: true,
		Fetch: func(ctx context.Context) (T, time.Time, error) {
			if _, err := below.Get(ctx); err != nil {
				var zero T
				return zero, time.Time{}, err
			}
			return trade(ctx)
		}})
}

// Static is the cache of credentials that do not expire (keys in a
// profile), named name and settings.
func (f Factory[T]) Static(name, settings string, cred T) *Cache[T] {
	return f.Cache(Source[T]{Name: name, Settings: settings,
		Fetch: func(context.Context) (T, time.Time, error) { return cred, time.Time{}, nil }})
}

// Lazy is the Fetch of a source that becomes another chain at its first
// use (a profile, read then, that is keys, or a role assumed with them,
// ...): resolve makes that chain's outer cache (reading under the
// fetch's ctx), once it succeeds (a
// failure is not remembered); each fetch then passes its credentials on
// with their expiry, so this layer's refresh is never due before the
// inner one's (RefreshAt) and always gets fresh ones.
func Lazy[T any](resolve func(ctx context.Context) (*Cache[T], error)) Fetch[T] {
	var mu sync.Mutex
	var inner *Cache[T]
	return func(ctx context.Context) (T, time.Time, error) {
		mu.Lock()
		if inner == nil {
			c, err := resolve(ctx)
			if err != nil {
				mu.Unlock()
				var zero T
				return zero, time.Time{}, err
			}
			inner = c
		}
		c := inner
		mu.Unlock()
		return c.GetWithExpiry(ctx)
	}
}
