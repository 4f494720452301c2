package transport

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestStopAbandonsRequestsInProgress: when Options.Stop ends, a request in
// progress is abandoned (the server sees the client leave), whatever the
// caller's own context, and Do returns an *Error wrapping ErrStopped.
func TestStopAbandonsRequestsInProgress(t *testing.T) {
	arrived := make(chan struct{})
	left := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
		close(left)
	}))
	defer srv.Close()

	stop, cancel := context.WithCancel(context.Background())
	c := New(Options{MaxRetries: 5, BaseBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, RequestTimeout: time.Minute, Stop: stop})
	done := make(chan error, 1)
	go func() {
		var n atomic.Int64
		_, err := c.Do(context.Background(), &Request{Operation: "Op", Method: http.MethodGet, URL: srv.URL, Sign: signer(&n)})
		done <- err
	}()
	<-arrived
	cancel()
	select {
	case err := <-done:
		var te *Error
		if !errors.Is(err, ErrStopped) || !errors.As(err, &te) || te.Attempts != 1 {
			t.Fatalf("Do = %v, want an *Error of 1 attempt wrapping ErrStopped", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Do did not return after Stop ended")
	}
	select {
	case <-left:
	case <-time.After(10 * time.Second):
		t.Fatal("the server never saw the request end")
	}
}

// TestStoppedClientSendsNothing: once Stop has ended, Do fails at once
// without a request, and a retry wait is cut short.
func TestStoppedClientSendsNothing(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()

	stop, cancel := context.WithCancel(context.Background())
	// A minute of backoff: only Stop can end the wait after the first 503.
	c := New(Options{MaxRetries: 5, BaseBackoff: time.Minute, MaxBackoff: time.Minute, Stop: stop})
	time.AfterFunc(50*time.Millisecond, cancel)
	var n atomic.Int64
	_, err := c.Do(t.Context(), &Request{Operation: "Op", Method: http.MethodGet, URL: srv.URL, Sign: signer(&n)})
	if !errors.Is(err, ErrStopped) {
		t.Fatalf("Do = %v, want ErrStopped", err)
	}
	before := hits.Load()
	if _, err := c.Do(t.Context(), &Request{Operation: "Op", Method: http.MethodGet, URL: srv.URL, Sign: signer(&n)}); !errors.Is(err, ErrStopped) {
		t.Fatalf("Do after Stop = %v, want ErrStopped", err)
	}
	if hits.Load() != before {
		t.Error("a stopped client sent a request")
	}
}
