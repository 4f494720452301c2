package transport

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"testing"
	"time"
)

// Shared pacing: the provider's processes on one machine (each provider
// block and alias of a configuration is a process of its own, and a CI
// runner plans several workspaces at once) pace a host and account
// together. A pacer's rate, its bucket and what its cuts and growth read
// are kept in a small state file per API host and account, under an
// advisory lock (lock_*.go): a process that starts into a known limit
// starts at it instead of discovering it by being throttled, and
// processes running at once share one rate instead of each sending at its
// own. Without the file (another machine, a container, an unusable
// directory) each process paces on its own, as if there were no other.

// PacingDirEnv is the environment variable that sets the directory of
// the state files (DefaultPacingDir).
const PacingDirEnv = "OPSAUDIT_PACING_DIR"

// PacingStateTTL is how long a state file's knowledge lasts after its last
// update: an older one is not read (the limit may have changed, the
// processes that learned it are gone).
const PacingStateTTL = 5 * time.Minute

const (
	// stateFormat is the format of the state file (stateFile); a file of
	// another format is ignored.
	stateFormat = 1
	// shareLook is how often a pacer that shares nothing yet (it has not
	// been throttled) looks whether the file has changed.
	shareLook = 50 * time.Millisecond
	// maxStateBytes bounds what is read of a state file.
	maxStateBytes = 64 << 10
	// maxSharedAccepted bounds the accepted answers a state file holds.
	maxSharedAccepted = 1024
	// lockWait is how long a pacer tries to take the file's lock before
	// it goes on by itself for that step; lockSpins how many times it
	// tries at once before it sleeps between tries.
	lockWait  = 200 * time.Millisecond
	lockSpins = 10000
	// maxClockSkew is how far in the future a time in a state file may
	// be (a clock set back between two writes).
	maxClockSkew = time.Minute
	// maxSharedRate bounds the rate a state file may give.
	maxSharedRate = 1e6
	// pruneAfter is the age at which a state file is removed.
	pruneAfter = 24 * time.Hour
	// announceEvery is how often a busy pacer not yet limited writes that
	// it is there (its peer entry); peerTTL is how long an entry counts.
	announceEvery = 250 * time.Millisecond
	peerTTL       = time.Second
	// maxPeers bounds the peer entries a state file holds.
	maxPeers = 64
)

// DefaultPacingDir returns the directory of the pacers' state files: the
// environment variable PacingDirEnv (read through getenv) when it is set,
// else terraform-provider-opsaudit/pacing in the user's cache directory
// (os.UserCacheDir: $XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches
// on macOS, %LocalAppData% on Windows). In a test binary, without the
// variable, it is "": no test writes to the user's cache directory.
func DefaultPacingDir(getenv func(string) string) (string, error) {
	if d := getenv(PacingDirEnv); d != "" {
		return d, nil
	}
	if testing.Testing() {
		return "", nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "terraform-provider-opsaudit", "pacing"), nil
}

// StateFileName is the name of the state file of host and account: a
// SHA-256 of both, so that the name says nothing of the account.
func StateFileName(host, account string) string {
	h := sha256.New()
	h.Write([]byte("terraform-provider-opsaudit pacing\x00"))
	h.Write([]byte(host))
	h.Write([]byte{0})
	h.Write([]byte(account))
	return hex.EncodeToString(h.Sum(nil)[:16]) + ".json"
}

// share is a pacer's state file.
type share struct {
	dir, path, host string
	// f is the open file, nil until it exists: a pacer that is never
	// throttled (nor finds the file made by another) creates nothing.
	f   *os.File
	log func(msg string, fields map[string]any)
	// joined: the pacer's ctl is the file's (it has been limited, by a
	// throttle of its own or of another process): every change is read
	// from and written to the file.
	joined bool
	// broken: the file cannot be opened, locked or read; the pacer goes
	// on alone.
	broken bool
	// looked is when the file was last looked at before joining; seen
	// its size and time when it was last read or written.
	looked time.Time
	seen   fileStamp
	// reported is the last problem logged, not logged again until
	// another one comes or the file is read fine.
	reported string

	// id names this pacer among the peers of the file; peers are the
	// entries read last (by id, when each was last seen), and npeers how
	// many of them, this one included, were seen within peerTTL;
	// announced is when this one last wrote its entry.
	id        string
	peers     map[string]time.Time
	npeers    int
	announced time.Time
}

type fileStamp struct {
	size int64
	mod  int64
}

func stamp(fi os.FileInfo) fileStamp { return fileStamp{fi.Size(), fi.ModTime().UnixNano()} }

// newShare returns the share of the state file of host and account in
// dir; nothing is opened or created yet.
func newShare(dir, host, account string, log func(string, map[string]any)) *share {
	var id [8]byte
	_, _ = rand.Read(id[:]) // crypto/rand.Read never fails
	return &share{dir: dir, path: filepath.Join(dir, StateFileName(host, account)), host: host, log: log,
		id: hex.EncodeToString(id[:]), npeers: 1}
}

// open opens the file, creating it and its directory when create is set
// (a throttle has something to write); it reports whether the file is
// open. A file that does not exist yet is not a problem; one that cannot
// be opened is logged, and the pacer goes on alone.
func (s *share) open(create bool) bool {
	if s.f != nil {
		return true
	}
	flags := os.O_RDWR
	if create {
		if err := os.MkdirAll(s.dir, 0o700); err != nil {
			s.problem("cannot make its directory", err)
			s.broken = true
			return false
		}
		flags |= os.O_CREATE
		s.prune()
	}
	f, err := os.OpenFile(s.path, flags, 0o600)
	if err != nil {
		if !create && errors.Is(err, fs.ErrNotExist) {
			return false
		}
		s.problem("cannot open it", err)
		s.broken = true
		return false
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		_ = f.Close()
		if err == nil {
			err = errors.New("not a regular file")
		}
		s.problem("cannot open it", err)
		s.broken = true
		return false
	}
	s.f = f
	return true
}

// prune removes the state files of the directory not written for
// pruneAfter: the hosts of emulators and test servers (a port each) and
// accounts no longer used would otherwise pile up. Errors are ignored (a
// file another process has open, on Windows).
func (s *share) prune() {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !stateFileNamePattern.MatchString(e.Name()) {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > pruneAfter {
			_ = os.Remove(filepath.Join(s.dir, e.Name()))
		}
	}
}

// stateFileNamePattern matches the names StateFileName gives, and only
// them: prune removes nothing else of a directory.
var stateFileNamePattern = regexp.MustCompile(`^[0-9a-f]{32}\.json$`)

// problem logs a reason the file is not used, once until another.
func (s *share) problem(reason string, err error) {
	msg := reason
	if err != nil {
		msg += ": " + err.Error()
	}
	if msg == s.reported {
		return
	}
	s.reported = msg
	if s.log != nil {
		s.log("Ignoring the shared pacing state file", map[string]any{"path": s.path, "reason": msg})
	}
}

// begin, when the pacer has a state file, locks it and loads its state
// into p.c if the pacer shares it (joined), or if force is set or the
// file changed since the pacer last looked (at most every shareLook) and
// the file holds a rate a throttle taught: the pacer then shares it from
// now on. It reports whether the file is locked: end must follow. A
// pacer not yet limited also writes that it is there, every
// announceEvery, and counts the others that do (npeers): while none is
// limited, each takes its share of the window (Pacer.windowLimit). p.mu
// is held.
func (p *Pacer) begin(now time.Time, force bool) bool {
	s := p.sh
	if s == nil || s.broken {
		return false
	}
	announce := false
	if !s.joined && !force {
		if !s.looked.IsZero() && now.Sub(s.looked) < shareLook && now.Sub(s.looked) >= 0 {
			return false
		}
		s.looked = now
		announce = s.announced.IsZero() || now.Sub(s.announced) >= announceEvery || now.Before(s.announced)
		if !announce {
			if !s.open(false) {
				return false
			}
			fi, err := s.f.Stat()
			if err != nil {
				s.problem("cannot read it", err)
				s.broken = true
				return false
			}
			if stamp(fi) == s.seen {
				return false
			}
		}
	}
	if !s.open(true) || !s.lock() {
		return false
	}
	c, limited := s.read(now)
	s.count(now)
	switch {
	case limited && s.joined:
		c.rate = max(c.rate, min(p.floor, p.backoffFloor))
		p.c = c
	case limited:
		p.adopt(c, now)
		s.joined = true
		if s.log != nil {
			s.log("Pacing the host with the provider's other processes", map[string]any{"path": s.path, "rate": p.c.rate})
		}
	case !s.joined && !force:
		if announce {
			s.write(nil, now)
		}
		s.unlock()
		return false
	}
	return true
}

// count counts the peers seen within peerTTL, this one included. The
// file is locked.
func (s *share) count(now time.Time) {
	s.npeers = 1
	for id, seen := range s.peers {
		if id != s.id && now.Sub(seen) <= peerTTL && seen.Before(now.Add(maxClockSkew)) {
			s.npeers++
		}
	}
}

// adopt takes a state read from the file, keeping what this pacer knows
// and the file does not: its accepted answers and a lower stated limit.
// p.mu is held.
func (p *Pacer) adopt(c ctl, now time.Time) {
	c.rate = max(c.rate, min(p.floor, p.backoffFloor))
	c.accepted = append(c.accepted, p.c.accepted...)
	slices.SortFunc(c.accepted, func(a, b time.Time) int { return a.Compare(b) })
	if h := p.c.hint; h > 0 && (c.hint == 0 || h < c.hint) {
		c.hint = h
	}
	p.c = c
	p.trim(now)
}

// end writes p.c to the file when write is set and the rate is limited
// (the file holds only what a throttle taught), and unlocks it. p.mu is
// held and begin reported the file locked.
func (p *Pacer) end(now time.Time, write bool) {
	s := p.sh
	if write && !math.IsInf(p.c.rate, 1) {
		s.write(&p.c, now)
		s.joined = true
	}
	s.unlock()
}

// lock takes the file's lock. A holder keeps it for a read and a write
// of a few hundred bytes, so a busy lock is first retried at once
// (lockSpins times, yielding the processor), then after sleeps, until
// lockWait has passed: then the step goes on without the file.
func (s *share) lock() bool {
	var deadline time.Time
	for i, wait := 0, 100*time.Microsecond; ; i++ {
		ok, err := lockFile(s.f)
		if err != nil {
			s.problem("cannot lock it", err)
			s.broken = true
			return false
		}
		if ok {
			return true
		}
		if i < lockSpins {
			runtime.Gosched()
			continue
		}
		if deadline.IsZero() {
			deadline = time.Now().Add(lockWait)
		} else if time.Now().After(deadline) {
			s.problem("its lock is held too long", nil)
			return false
		}
		time.Sleep(wait)
		wait = min(2*wait, 10*time.Millisecond)
	}
}

func (s *share) unlock() {
	if err := unlockFile(s.f); err != nil {
		s.problem("cannot unlock it", err)
		s.broken = true
	}
}

// stateFile is the state file's content: the host and numbers, nothing
// of the account. Times are Unix nanoseconds (0: none); accepted holds
// the accepted answers of the last second, in milliseconds before
// updated.
type stateFile struct {
	Format     int     `json:"format"`
	Host       string  `json:"host"`
	Updated    int64   `json:"updated"`
	Rate       float64 `json:"rate"`
	Tokens     float64 `json:"tokens"`
	TokensAt   int64   `json:"tokens_at"`
	WMax       float64 `json:"w_max"`
	CutAt      int64   `json:"cut_at"`
	K          float64 `json:"k"`
	Limit      float64 `json:"stated_limit"`
	BusySince  int64   `json:"busy_since"`
	LastActive int64   `json:"last_active"`
	Drought    int     `json:"cuts_without_accepted"`
	Accepted   []int64 `json:"accepted_ms_before_updated"`
	// Peers are the pacers of the host and account, by a random id each
	// makes, with when each was last seen. Rate is 0 when no throttle
	// has taught one yet: then the file holds only its peers.
	Peers map[string]int64 `json:"peers,omitempty"`
}

// read reads the file's state and its peers (s.peers): the rate's state,
// and whether a throttle has taught one (limited). limited is false too
// when the file holds no state that may be used (empty, stale, or not a
// valid state: logged). The file is locked.
func (s *share) read(now time.Time) (c ctl, limited bool) {
	s.peers = nil
	fi, err := s.f.Stat()
	if err != nil {
		s.problem("cannot read it", err)
		return ctl{}, false
	}
	s.seen = stamp(fi)
	if fi.Size() == 0 {
		return ctl{}, false
	}
	if fi.Size() > maxStateBytes {
		s.problem(fmt.Sprintf("larger than %d bytes", maxStateBytes), nil)
		return ctl{}, false
	}
	buf := make([]byte, fi.Size())
	if _, err := s.f.ReadAt(buf, 0); err != nil {
		s.problem("cannot read it", err)
		return ctl{}, false
	}
	var sf stateFile
	if err := json.Unmarshal(buf, &sf); err != nil {
		s.problem("not a pacing state", err)
		return ctl{}, false
	}
	c, limited, err = sf.ctl(s.host, now)
	if errors.Is(err, errStale) {
		return ctl{}, false
	}
	if err != nil {
		s.problem("not a valid pacing state", err)
		return ctl{}, false
	}
	s.peers = make(map[string]time.Time, len(sf.Peers))
	for id, ns := range sf.Peers {
		if t := time.Unix(0, ns); now.Sub(t) <= peerTTL {
			s.peers[id] = t
		}
	}
	s.reported = ""
	return c, limited
}

var errStale = errors.New("stale")

// ctl checks a state read from a file and returns its rate's state, and
// whether it has one (Rate 0: only peers).
func (sf *stateFile) ctl(host string, now time.Time) (ctl, bool, error) {
	at := func(ns int64) time.Time {
		if ns == 0 {
			return time.Time{}
		}
		return time.Unix(0, ns)
	}
	late := now.Add(maxClockSkew).UnixNano()
	finite := func(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
	switch {
	case sf.Format != stateFormat:
		return ctl{}, false, fmt.Errorf("format %d, want %d", sf.Format, stateFormat)
	case sf.Host != host:
		return ctl{}, false, fmt.Errorf("for host %q", sf.Host)
	case sf.Updated > late:
		return ctl{}, false, errors.New("updated in the future")
	case now.Sub(at(sf.Updated)) > PacingStateTTL:
		return ctl{}, false, errStale
	case !finite(sf.Rate) || sf.Rate < 0 || sf.Rate > maxSharedRate:
		return ctl{}, false, fmt.Errorf("rate %v", sf.Rate)
	case len(sf.Peers) > maxPeers:
		return ctl{}, false, fmt.Errorf("%d peers", len(sf.Peers))
	case !finite(sf.Tokens) || sf.Tokens < -1 || sf.Tokens > max(1, sf.Rate*burstSpan.Seconds())+1:
		return ctl{}, false, fmt.Errorf("tokens %v", sf.Tokens)
	case !finite(sf.WMax) || sf.WMax < 0 || sf.WMax > maxSharedRate:
		return ctl{}, false, fmt.Errorf("w_max %v", sf.WMax)
	case !finite(sf.K) || sf.K < 0 || sf.K > 1e6:
		return ctl{}, false, fmt.Errorf("k %v", sf.K)
	case !finite(sf.Limit) || sf.Limit < 0 || sf.Limit > maxSharedRate:
		return ctl{}, false, fmt.Errorf("stated_limit %v", sf.Limit)
	case sf.Drought < 0 || sf.Drought > 1<<20:
		return ctl{}, false, fmt.Errorf("cuts_without_accepted %d", sf.Drought)
	case len(sf.Accepted) > maxSharedAccepted:
		return ctl{}, false, fmt.Errorf("%d accepted answers", len(sf.Accepted))
	}
	for _, ns := range sf.Peers {
		if ns < 0 || ns > late {
			return ctl{}, false, errors.New("a peer seen in the future")
		}
	}
	if sf.Rate == 0 {
		return ctl{rate: math.Inf(1)}, false, nil
	}
	for _, t := range []int64{sf.TokensAt, sf.CutAt, sf.BusySince, sf.LastActive} {
		if t < 0 || t > late {
			return ctl{}, false, errors.New("a time in the future")
		}
	}
	c := ctl{
		rate: sf.Rate, tokens: max(sf.Tokens, 0), last: at(sf.TokensAt),
		wMax: sf.WMax, cutAt: at(sf.CutAt), k: sf.K, hint: sf.Limit,
		busySince: at(sf.BusySince), lastActive: at(sf.LastActive), drought: sf.Drought,
	}
	updated := at(sf.Updated)
	for _, ms := range sf.Accepted {
		if ms < 0 || ms > (rateWindow+maxClockSkew).Milliseconds() {
			return ctl{}, false, fmt.Errorf("an accepted answer %d ms before the update", ms)
		}
		if t := updated.Add(-time.Duration(ms) * time.Millisecond); now.Sub(t) <= rateWindow {
			c.accepted = append(c.accepted, t)
		}
	}
	slices.SortFunc(c.accepted, func(a, b time.Time) int { return a.Compare(b) })
	return c, true, nil
}

// write writes c as the file's state (nil: no rate yet, only the
// peers), with this pacer among the peers, seen now. The file is locked.
func (s *share) write(c *ctl, now time.Time) {
	ns := func(t time.Time) int64 {
		if t.IsZero() {
			return 0
		}
		return t.UnixNano()
	}
	sf := stateFile{Format: stateFormat, Host: s.host, Updated: now.UnixNano(), Peers: map[string]int64{s.id: now.UnixNano()}}
	for id, seen := range s.peers {
		if id != s.id && len(sf.Peers) < maxPeers && now.Sub(seen) <= peerTTL {
			sf.Peers[id] = seen.UnixNano()
		}
	}
	s.announced = now
	if c != nil {
		sf.Rate, sf.Tokens, sf.TokensAt = c.rate, c.tokens, ns(c.last)
		sf.WMax, sf.CutAt, sf.K, sf.Limit = c.wMax, ns(c.cutAt), c.k, c.hint
		sf.BusySince, sf.LastActive, sf.Drought = ns(c.busySince), ns(c.lastActive), c.drought
		acc := c.accepted
		if len(acc) > maxSharedAccepted {
			acc = acc[len(acc)-maxSharedAccepted:]
		}
		for _, t := range acc {
			if d := now.Sub(t); d >= 0 && d <= rateWindow {
				sf.Accepted = append(sf.Accepted, d.Milliseconds())
			}
		}
	}
	buf, err := json.Marshal(sf)
	if err != nil {
		s.problem("cannot encode the state", err)
		return
	}
	buf = append(buf, '\n')
	if _, err := s.f.WriteAt(buf, 0); err != nil {
		s.problem("cannot write it", err)
		return
	}
	if err := s.f.Truncate(int64(len(buf))); err != nil {
		s.problem("cannot write it", err)
		return
	}
	if fi, err := s.f.Stat(); err == nil {
		s.seen = stamp(fi)
	}
}
