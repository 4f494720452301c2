package credchain

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestGet_callerLeavesFetchGoesOn: a caller whose context ends gets its
// context's error at once; the fetch it started still completes for the
// next caller.
func TestGet_callerLeavesFetchGoesOn(t *testing.T) {
	clk := &fakeClock{t: t0}
	src := &counter{clock: clk, life: time.Hour, gate: make(chan struct{})}
	c := New(src_(src.fetch), clk.Now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := c.Get(ctx); done <- err }()
	for src.calls.Load() < 1 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	close(src.gate)
	if v, err := c.Get(context.Background()); err != nil || v != 1 {
		t.Fatalf("next Get = %d, %v; want the first fetch's 1", v, err)
	}
	if n := src.calls.Load(); n != 1 {
		t.Errorf("fetches = %d, want 1", n)
	}
}

// TestGet_failedRefreshKeepsValidCredentials: a refresh that fails while
// the credentials are still valid returns them, tries again RetryRefresh
// later (not at every Get), and fails once they have expired.
func TestGet_failedRefreshKeepsValidCredentials(t *testing.T) {
	clk := &fakeClock{t: t0}
	fail := errors.New("sts is down")
	var calls int
	failing := false
	c := New(src_(func(context.Context) (int, time.Time, error) {
		calls++
		if failing {
			return 0, time.Time{}, fail
		}
		return calls, clk.Now().Add(time.Hour), nil
	}), clk.Now)
	get := func() (int, error) { return c.Get(context.Background()) }
	if v, err := get(); v != 1 || err != nil {
		t.Fatalf("first Get = %d, %v", v, err)
	}
	failing = true
	clk.Set(t0.Add(56 * time.Minute)) // due: 5 minutes ahead of expiry
	if v, err := get(); v != 1 || err != nil {
		t.Fatalf("failed refresh with valid credentials: Get = %d, %v; want the current 1", v, err)
	}
	clk.Set(t0.Add(56*time.Minute + RetryRefresh - time.Second))
	if _, err := get(); err != nil || calls != 2 {
		t.Fatalf("before the retry is due: err %v, fetches %d; want no new fetch (2)", err, calls)
	}
	clk.Set(t0.Add(56*time.Minute + RetryRefresh))
	if v, err := get(); v != 1 || err != nil || calls != 3 {
		t.Fatalf("retry due: Get = %d, %v, fetches %d; want 1, nil, 3", v, err, calls)
	}
	clk.Set(t0.Add(time.Hour))
	if _, err := get(); !errors.Is(err, fail) {
		t.Fatalf("expired and the refresh fails: err %v, want %v", err, fail)
	}
	failing = false
	if v, err := get(); err != nil || v != calls {
		t.Fatalf("the source is back: Get = %d, %v", v, err)
	}
}
