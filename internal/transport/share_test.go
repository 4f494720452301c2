package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

const (
	testHost    = "api.example.test:443"
	testAccount = "AKIDEXAMPLEQWERTYUIOPZX"
)

// logLines collects a share's DEBUG lines.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) log(msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprint(msg, " ", fields))
}

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// sharedPacer is a pacer with the state file of testHost and testAccount
// in dir, as a Client with Options.PacingDir makes it.
func sharedPacer(t *testing.T, dir string, logs *logLines) *Pacer {
	t.Helper()
	var log func(string, map[string]any)
	if logs != nil {
		log = logs.log
	}
	sh := newShare(dir, testHost, testAccount, log)
	t.Cleanup(func() {
		if sh.f != nil {
			sh.f.Close()
		}
	})
	p := NewPacer(0, 0)
	p.sh = sh
	return p
}

// TestSharedPacingTwoPacers: two pacers of one host and account (two
// provider processes) in two goroutines, through the state file. One is
// throttled by an answer stating 20/s; the other, never throttled itself,
// then paces at the shared rate: together they send no more than the
// limit allows. Each on its own, the second would send at will.
func TestSharedPacingTwoPacers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		a, b := sharedPacer(t, dir, nil), sharedPacer(t, dir, nil)
		send(t, b, 50*time.Millisecond, Accepted, 0) // b starts before anything is known
		for range 20 {
			send(t, a, 50*time.Millisecond, Accepted, 0)
		}
		send(t, a, 0, Throttled, 20)
		if r := a.Stats().Rate; math.Abs(r-20*cubicBeta) > 1e-9 {
			t.Fatalf("rate %v after the throttle, want %v", r, 20*cubicBeta)
		}
		time.Sleep(shareLook)
		start := time.Now()
		var sentA, sentB atomic.Int64
		var wg sync.WaitGroup
		for _, p := range []struct {
			p *Pacer
			n *atomic.Int64
		}{{a, &sentA}, {b, &sentB}} {
			for range 8 {
				wg.Go(func() {
					for time.Since(start) < 10*time.Second {
						send(t, p.p, 50*time.Millisecond, Accepted, 0)
						p.n.Add(1)
					}
				})
			}
		}
		wg.Wait()
		total := sentA.Load() + sentB.Load()
		// 20/s over 10 s, the bucket's burst, and the last round.
		if total > 20*10+20 {
			t.Fatalf("%d requests (%d and %d) in 10 s, want at most the stated limit's 200 and a few", total, sentA.Load(), sentB.Load())
		}
		// The pacers share the rate, not its split: whoever asks first
		// takes the next token (here the bubble's scheduling decides).
		if total < 20*10*9/10 || sentA.Load() < 5 || sentB.Load() < 5 {
			t.Fatalf("%d and %d requests in 10 s; want the limit used, by both", sentA.Load(), sentB.Load())
		}
		if r := b.Stats().Rate; r > 20 {
			t.Fatalf("the second pacer's rate %v, want it at most the stated limit", r)
		}
	})
}

// TestSharedPacingStartsAtTheKnownRate: a pacer that starts while the
// file holds what another learned starts at that rate; after
// PacingStateTTL without an update the file is not read any more.
func TestSharedPacingStartsAtTheKnownRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		a := sharedPacer(t, dir, nil)
		for range 20 {
			send(t, a, 50*time.Millisecond, Accepted, 0)
		}
		send(t, a, 0, Throttled, 20)
		rate := a.Stats().Rate

		time.Sleep(time.Minute)
		b := sharedPacer(t, dir, nil)
		tk, err := b.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if r := b.Stats().Rate; r != rate {
			t.Fatalf("a pacer starting a minute later: rate %v, want the shared %v", r, rate)
		}
		tk.Done(Accepted, 0)

		time.Sleep(PacingStateTTL + time.Second)
		c := sharedPacer(t, dir, nil)
		send(t, c, 0, Accepted, 0)
		if r := c.Stats().Rate; !math.IsInf(r, 1) {
			t.Fatalf("a pacer starting after the state expired: rate %v, want none yet", r)
		}
	})
}

// TestSharedPacingIgnoresABadFile: a state file that is not a pacing
// state is ignored with a DEBUG line naming the file and the reason: the
// pacer paces on its own, and its first throttle writes a good state over
// it.
func TestSharedPacingIgnoresABadFile(t *testing.T) {
	good := stateFile{Format: stateFormat, Host: testHost, Rate: 10, WMax: 10}
	for name, tc := range map[string]struct {
		content func(now time.Time) string
		reason  string
	}{
		"not JSON":      {func(time.Time) string { return "not json {" }, "not a pacing state"},
		"cut off":       {func(time.Time) string { return `{"format":1,"host":"` }, "not a pacing state"},
		"other format":  {func(now time.Time) string { return stateJSON(good, now, func(s *stateFile) { s.Format = 9 }) }, "format 9"},
		"other host":    {func(now time.Time) string { return stateJSON(good, now, func(s *stateFile) { s.Host = "other" }) }, `for host "other"`},
		"negative rate": {func(now time.Time) string { return stateJSON(good, now, func(s *stateFile) { s.Rate = -1 }) }, "rate -1"},
		"many peers": {func(now time.Time) string {
			return stateJSON(good, now, func(s *stateFile) {
				s.Peers = map[string]int64{}
				for i := range maxPeers + 1 {
					s.Peers[fmt.Sprint(i)] = now.UnixNano()
				}
			})
		}, "peers"},
		"future peer": {func(now time.Time) string {
			return stateJSON(good, now, func(s *stateFile) { s.Peers = map[string]int64{"x": now.Add(time.Hour).UnixNano()} })
		}, "a peer seen in the future"},
		"future": {func(now time.Time) string { return stateJSON(good, now.Add(time.Hour), nil) }, "in the future"},
		"future cut": {func(now time.Time) string {
			return stateJSON(good, now, func(s *stateFile) { s.CutAt = now.Add(time.Hour).UnixNano() })
		}, "in the future"},
		"many accepted": {func(now time.Time) string {
			return stateJSON(good, now, func(s *stateFile) { s.Accepted = make([]int64, 5000) })
		}, "accepted answers"},
		"huge tokens": {func(now time.Time) string { return stateJSON(good, now, func(s *stateFile) { s.Tokens = 1e9 }) }, "tokens"},
		"too large":   {func(time.Time) string { return strings.Repeat(" ", maxStateBytes+1) }, "larger than"},
		"bad drought": {func(now time.Time) string { return stateJSON(good, now, func(s *stateFile) { s.Drought = -3 }) }, "cuts_without_accepted"},
		"old accepted": {func(now time.Time) string {
			return stateJSON(good, now, func(s *stateFile) { s.Accepted = []int64{999999} })
		}, "accepted answer"},
		"negative limit": {func(now time.Time) string { return stateJSON(good, now, func(s *stateFile) { s.Limit = -5 }) }, "stated_limit"},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, StateFileName(testHost, testAccount))
				if err := os.WriteFile(path, []byte(tc.content(time.Now())), 0o600); err != nil {
					t.Fatal(err)
				}
				var logs logLines
				p := sharedPacer(t, dir, &logs)
				send(t, p, 10*time.Millisecond, Accepted, 0)
				if r := p.Stats().Rate; !math.IsInf(r, 1) {
					t.Fatalf("rate %v from a bad file, want none", r)
				}
				if got := logs.String(); !strings.Contains(got, "Ignoring the shared pacing state file") ||
					!strings.Contains(got, path) || !strings.Contains(got, tc.reason) {
					t.Fatalf("DEBUG lines %q, want one naming %s and %q", got, path, tc.reason)
				}
				send(t, p, 10*time.Millisecond, Throttled, 20)
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				var sf stateFile
				if err := json.Unmarshal(b, &sf); err != nil || sf.Host != testHost || sf.Rate != p.Stats().Rate {
					t.Fatalf("after a throttle the file holds %q (%v), want the pacer's state", b, err)
				}
			})
		})
	}
}

func stateJSON(sf stateFile, updated time.Time, edit func(*stateFile)) string {
	sf.Updated = updated.UnixNano()
	if edit != nil {
		edit(&sf)
	}
	b, err := json.Marshal(sf)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestSharedPacingUnusableFile: a state file that cannot be opened (a
// directory in its place, a directory that cannot be made) leaves the
// pacer on its own, with a DEBUG line, and requests go on.
func TestSharedPacingUnusableFile(t *testing.T) {
	var throttle atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if throttle.CompareAndSwap(true, false) {
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, "limit:20,time:1 second")
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	blocked := t.TempDir()
	if err := os.Mkdir(filepath.Join(blocked, StateFileName(host, testAccount)), 0o700); err != nil {
		t.Fatal(err)
	}
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct{ dir, reason string }{
		"directory in its place": {blocked, "cannot open it"},
		"directory is a file":    {filepath.Join(notADir, "pacing"), "not a directory"},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			ctx := tflogtest.RootLogger(t.Context(), &buf)
			c := New(Options{PacingDir: tc.dir, MinThrottleWait: time.Millisecond})
			throttle.Store(true) // the first answer throttles: the pacer has something to write
			for range 3 {
				resp, err := c.Do(ctx, &Request{Operation: "Op", Method: "GET", URL: srv.URL, Account: testAccount})
				if err != nil || resp.StatusCode != 200 {
					t.Fatalf("Do = %v, %v", resp, err)
				}
			}
			if p := c.pacer(ctx, host, testAccount); !p.sh.broken || p.sh.f != nil {
				t.Fatal("the pacer uses a state file")
			}
			log := buf.String()
			if !strings.Contains(log, "Ignoring the shared pacing state file") || !strings.Contains(log, tc.reason) ||
				!strings.Contains(log, `"@level":"debug"`) || strings.Count(log, "Ignoring the shared pacing state file") != 1 {
				t.Fatalf("log %s; want one DEBUG line saying why the file is ignored (%s)", log, tc.reason)
			}
		})
	}
}

// TestSharedPacingWritesNoKeyMaterial: through the Client, each account
// of a host has its state file under a hashed name; neither the name nor
// the content holds the account or any part of it, and the content is a
// state (host, numbers, the random ids of the pacers) and nothing else:
// the throttled account's holds the rate and the stated limit, the
// other's only its pacer. A request without an account writes nothing.
func TestSharedPacingWritesNoKeyMaterial(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"error_code":"APIG.0308","error_msg":"policy user over ratelimit,limit:20,time:1 second"}`)
		}
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	dir := t.TempDir()
	c := New(Options{PacingDir: dir, MinThrottleWait: time.Millisecond})
	for _, account := range []string{testAccount, "another-account", ""} {
		resp, err := c.Do(t.Context(), &Request{Operation: "Op", Method: "GET", URL: srv.URL, Account: account})
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("Do = %v, %v", resp, err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("%d files, want one per account (none without one)", len(entries))
	}
	mine := StateFileName(u.Host, testAccount)
	var found bool
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+6 <= len(testAccount); i++ {
			part := testAccount[i : i+6]
			if strings.Contains(e.Name(), part) || strings.Contains(string(b), part) {
				t.Fatalf("file %s (%s) holds %q of the account", e.Name(), b, part)
			}
		}
		fi, _ := e.Info()
		if perm := fi.Mode().Perm(); perm&0o077 != 0 && os.PathSeparator == '/' {
			t.Errorf("file mode %v, want the user's alone", perm)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		var sf stateFile
		if err := dec.Decode(&sf); err != nil || sf.Host != u.Host || len(sf.Peers) != 1 {
			t.Fatalf("state %s (%v), want the host's state and one pacer", b, err)
		}
		if e.Name() != mine {
			if sf.Rate != 0 {
				t.Fatalf("state %s of the account never throttled, want no rate", b)
			}
			continue
		}
		found = true
		if sf.Limit != 20 || sf.Rate <= 0 {
			t.Fatalf("state %s, want the rate and the stated limit", b)
		}
	}
	if !found {
		t.Fatalf("no file %s", mine)
	}
}

// TestStateFileLockExcludesOtherOpens: the advisory lock excludes another
// open of the file, in this process as in another.
func TestStateFileLockExcludesOtherOpens(t *testing.T) {
	dir := t.TempDir()
	a, b := newShare(dir, testHost, testAccount, nil), newShare(dir, testHost, testAccount, nil)
	if !a.open(true) || !b.open(false) {
		t.Fatal("cannot open the file")
	}
	defer a.f.Close()
	defer b.f.Close()
	if ok, err := lockFile(a.f); !ok || err != nil {
		t.Fatalf("lock = %v, %v", ok, err)
	}
	if ok, err := lockFile(b.f); ok || err != nil {
		t.Fatalf("second lock while the first is held = %v, %v; want false", ok, err)
	}
	if err := unlockFile(a.f); err != nil {
		t.Fatal(err)
	}
	if ok, err := lockFile(b.f); !ok || err != nil {
		t.Fatalf("lock after the unlock = %v, %v", ok, err)
	}
}

// TestDefaultPacingDir: the environment variable wins; a test binary
// without it shares nothing.
func TestDefaultPacingDir(t *testing.T) {
	if d, err := DefaultPacingDir(func(k string) string {
		if k == PacingDirEnv {
			return "/some/dir"
		}
		return ""
	}); d != "/some/dir" || err != nil {
		t.Fatalf("DefaultPacingDir = %q, %v; want the variable's", d, err)
	}
	if d, err := DefaultPacingDir(func(string) string { return "" }); d != "" || err != nil {
		t.Fatalf("DefaultPacingDir in a test = %q, %v; want none", d, err)
	}
}

// TestSharedPacingPresence: a pacer that is not throttled writes only
// that it is there (its random id, no rate); making its file prunes the
// directory's state files not written for a day, and only them; a
// throttle then writes the rate.
func TestSharedPacingPresence(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pacing")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	old, recent, other := filepath.Join(dir, StateFileName("old", "x")), filepath.Join(dir, StateFileName("recent", "x")), filepath.Join(dir, "notes.json")
	for _, f := range []string{old, recent, other} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-pruneAfter - time.Hour)
	for _, f := range []string{old, other} {
		if err := os.Chtimes(f, long, long); err != nil {
			t.Fatal(err)
		}
	}
	p := sharedPacer(t, dir, nil)
	for range 3 {
		tk, err := p.Acquire(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		tk.Done(Accepted, 0)
	}
	read := func() stateFile {
		b, err := os.ReadFile(p.sh.path)
		if err != nil {
			t.Fatal(err)
		}
		var sf stateFile
		if err := json.Unmarshal(b, &sf); err != nil {
			t.Fatalf("state %s: %v", b, err)
		}
		return sf
	}
	if sf := read(); sf.Rate != 0 || len(sf.Peers) != 1 || sf.Peers[p.sh.id] == 0 {
		t.Fatalf("state %+v after requests that were not throttled, want this pacer and no rate", sf)
	}
	for f, want := range map[string]bool{old: false, recent: true, other: true} {
		if _, err := os.Stat(f); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(f), err == nil, want)
		}
	}
	tk, err := p.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tk.Done(Throttled, 20)
	if sf := read(); sf.Rate != p.Stats().Rate || sf.Limit != 20 {
		t.Fatalf("state %+v after a throttle stating 20/s, want the pacer's rate %v", sf, p.Stats().Rate)
	}
}

// TestSharedPacingSplitsTheWindow: pacers of one host and account busy at
// once, none throttled yet (processes starting together into a limit
// nobody has met), each take their share of the window; when one has
// been quiet for peerTTL the other has it all again.
func TestSharedPacingSplitsTheWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		a, b := sharedPacer(t, dir, nil), sharedPacer(t, dir, nil)
		send(t, a, 10*time.Millisecond, Accepted, 0)
		send(t, b, 10*time.Millisecond, Accepted, 0)
		time.Sleep(announceEvery)
		send(t, a, 10*time.Millisecond, Accepted, 0)
		a.mu.Lock()
		limit, window := a.windowLimit(), int(a.window)
		a.mu.Unlock()
		if limit != window/2 {
			t.Fatalf("window limit %d of %d with another pacer busy, want half", limit, window)
		}
		time.Sleep(peerTTL + announceEvery)
		send(t, a, 10*time.Millisecond, Accepted, 0)
		a.mu.Lock()
		limit, window = a.windowLimit(), int(a.window)
		a.mu.Unlock()
		if limit != window {
			t.Fatalf("window limit %d of %d with the other pacer quiet, want all of it", limit, window)
		}
	})
}
