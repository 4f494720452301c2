package credchain

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

var t0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func TestRefreshAt(t *testing.T) {
	for _, tc := range []struct {
		name   string
		life   time.Duration
		before time.Duration // refresh this long before expiry
	}{
		{"one hour: five minutes ahead", time.Hour, 5 * time.Minute},
		{"exactly ten minutes: five minutes ahead", 10 * time.Minute, 5 * time.Minute},
		{"six minutes: half their life", 6 * time.Minute, 3 * time.Minute},
		{"fifteen minutes (the shortest STS duration)", 15 * time.Minute, 5 * time.Minute},
		{"two seconds: one second", 2 * time.Second, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exp := t0.Add(tc.life)
			if got, want := RefreshAt(t0, exp), exp.Add(-tc.before); !got.Equal(want) {
				t.Errorf("RefreshAt = %s, want %s", got, want)
			}
		})
	}
	if !RefreshAt(t0, time.Time{}).IsZero() {
		t.Error("credentials without expiry must never be due")
	}
}

// counter is a Fetch that counts its calls and returns credentials named
// after the call number, living life.
type counter struct {
	clock *fakeClock
	life  time.Duration
	calls atomic.Int32
	// gate, when set, holds every fetch until it is closed.
	gate chan struct{}
}

func (c *counter) fetch(context.Context) (int, time.Time, error) {
	n := c.calls.Add(1)
	if c.gate != nil {
		<-c.gate
	}
	if c.life == 0 {
		return int(n), time.Time{}, nil
	}
	return int(n), c.clock.Now().Add(c.life), nil
}

func TestGet_refreshTiming(t *testing.T) {
	for _, tc := range []struct {
		name      string
		life      time.Duration
		dueBefore time.Duration
	}{
		{"an hour's credentials", time.Hour, 5 * time.Minute},
		{"six minutes' credentials", 6 * time.Minute, 3 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{t: t0}
			src := &counter{clock: clk, life: tc.life}
			c := New(src_(src.fetch), clk.Now)
			ctx := context.Background()
			get := func() int {
				t.Helper()
				v, err := c.Get(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			if v := get(); v != 1 {
				t.Fatalf("first Get = %d, want 1", v)
			}
			due := t0.Add(tc.life - tc.dueBefore)
			clk.Set(due.Add(-time.Second))
			if v := get(); v != 1 {
				t.Fatalf("one second before the refresh is due: Get = %d, want the cached 1", v)
			}
			clk.Set(due)
			if v := get(); v != 2 {
				t.Fatalf("when due: Get = %d, want a refresh (2)", v)
			}
			if v := get(); v != 2 {
				t.Fatalf("right after the refresh: Get = %d, want the cached 2", v)
			}
			if n := src.calls.Load(); n != 2 {
				t.Errorf("fetches = %d, want 2", n)
			}
		})
	}
}

func TestGet_noExpiryFetchesOnce(t *testing.T) {
	clk := &fakeClock{t: t0}
	src := &counter{clock: clk}
	c := New(src_(src.fetch), clk.Now)
	for range 3 {
		if _, err := c.Get(context.Background()); err != nil {
			t.Fatal(err)
		}
		clk.Set(clk.Now().Add(1000 * time.Hour))
	}
	if n := src.calls.Load(); n != 1 {
		t.Errorf("fetches = %d, want 1", n)
	}
}

// TestGet_onceForConcurrentCallers starts many Gets while a refresh is
// due and held: exactly one fetch runs, and every caller gets its result.
func TestGet_onceForConcurrentCallers(t *testing.T) {
	clk := &fakeClock{t: t0}
	src := &counter{clock: clk, life: time.Hour}
	c := New(src_(src.fetch), clk.Now)
	if _, err := c.Get(context.Background()); err != nil {
		t.Fatal(err)
	}
	clk.Set(t0.Add(58 * time.Minute))
	src.gate = make(chan struct{})

	const callers = 50
	var wg sync.WaitGroup
	got := make([]int, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() { got[i], errs[i] = c.Get(context.Background()) })
	}
	// Every caller is either waiting on the one flight or has not yet
	// looked; give them time to pile up, then release the fetch.
	for src.calls.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(src.gate)
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || got[i] != 2 {
			t.Fatalf("caller %d: got %d, %v; want 2", i, got[i], errs[i])
		}
	}
	if n := src.calls.Load(); n != 2 {
		t.Errorf("fetches = %d, want 2 (the first and one refresh for all %d callers)", n, callers)
	}
}

func TestGet_failureIsNotRemembered(t *testing.T) {
	clk := &fakeClock{t: t0}
	fail := errors.New("boom")
	var calls int
	c := New(src_(func(context.Context) (string, time.Time, error) {
		calls++
		if calls == 1 {
			return "", time.Time{}, fail
		}
		return "ok", clk.Now().Add(time.Hour), nil
	}), clk.Now)
	if _, err := c.Get(context.Background()); !errors.Is(err, fail) {
		t.Fatalf("first Get: err = %v, want %v", err, fail)
	}
	if v, err := c.Get(context.Background()); err != nil || v != "ok" {
		t.Fatalf("second Get = %q, %v; want ok", v, err)
	}
}

func TestGet_expiredAnswerIsAnError(t *testing.T) {
	clk := &fakeClock{t: t0}
	c := New(src_(func(context.Context) (string, time.Time, error) {
		return "stale", clk.Now().Add(-time.Second), nil
	}), clk.Now)
	if _, err := c.Get(context.Background()); !errors.Is(err, ErrExpired) {
		t.Fatalf("err = %v, want ErrExpired", err)
	}
}

// src_ is a test source around fetch.
func src_[T any](fetch Fetch[T]) Source[T] {
	return Source[T]{Cloud: "Test Cloud", Name: "test source", Settings: "test_setting (TEST_ENV)", Fetch: fetch}
}
