package transport

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gzipBomb returns a gzip stream of n zero bytes (about n/1000 bytes on
// the wire): one member of 10 MiB compressed once, repeated (a gzip
// stream may hold several members, RFC 1952 section 2.2; Go's reader
// reads them all), so that making it takes milliseconds even under -race.
func gzipBomb(t testing.TB, n int64) []byte {
	t.Helper()
	const member = 10 << 20
	var one bytes.Buffer
	zw, err := gzip.NewWriterLevel(&one, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(zw, zeros{}, member); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.Repeat(one.Bytes(), int(n/member))
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestGzipBombPeakMemory sends 32 pages at once (max_parallel_requests'
// limit), each a 300 KB gzip body that inflates to 300 MB. Every one must
// be refused at the body limit, and the heap must stay well under 512 MiB
// meanwhile. Should the heap pass 512 MiB, the requests are cancelled at
// once, so that a regression fails this test instead of exhausting the
// machine.
func TestGzipBombPeakMemory(t *testing.T) {
	const parallel, inflated = 32, 300 << 20
	bomb := gzipBomb(t, inflated)
	t.Logf("bomb: %d bytes on the wire, %d inflated", len(bomb), inflated)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(bomb)
	}))
	defer srv.Close()

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var peak atomic.Uint64
	sampled := make(chan struct{})
	stopSampling := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			if ms.HeapAlloc > 512<<20 {
				cancel()
			}
			select {
			case <-stopSampling:
				return
			case <-tick.C:
			}
		}
	}()

	c := New(Options{MaxRetries: 2, BaseBackoff: time.Millisecond})
	var wg sync.WaitGroup
	errs := make([]error, parallel)
	for i := range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Do(ctx, &Request{Operation: "ListThings", Method: "GET", URL: srv.URL})
		}()
	}
	wg.Wait()
	close(stopSampling)
	<-sampled

	p := peak.Load()
	t.Logf("peak heap %d MiB (before %d MiB)", p>>20, before.HeapAlloc>>20)
	if ctx.Err() != nil || p > 384<<20 {
		t.Fatalf("peak heap %d MiB while reading %d gzip bombs at once: want well under 512 MiB", p>>20, parallel)
	}
	for i, err := range errs {
		if !errors.Is(err, errBodyTooLarge) {
			t.Fatalf("page %d: want the body size error, got %v", i, err)
		}
	}
}

func TestReadBodyBounds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		body   string
		length int64
		limit  int64
		ok     bool
	}{
		{"exact limit, length known", "abcd", 4, 4, true},
		{"exact limit, length unknown", "abcd", -1, 4, true},
		{"one over, length unknown", "abcde", -1, 4, false},
		{"declared over the limit", "abcde", 5, 4, false},
		{"empty", "", 0, 4, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := &http.Response{Body: io.NopCloser(bytes.NewReader([]byte(tc.body))), ContentLength: tc.length}
			got, err := readBody(res, tc.limit)
			if tc.ok != (err == nil) {
				t.Fatalf("readBody: %v", err)
			}
			if tc.ok && string(got) != tc.body {
				t.Fatalf("got %q", got)
			}
			if !tc.ok && !errors.Is(err, errBodyTooLarge) {
				t.Fatalf("want errBodyTooLarge, got %v", err)
			}
		})
	}
}
