package transport

import (
	"context"
	"math"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// Pacer constants. The rate part follows CUBIC (RFC 8312,
// https://www.rfc-editor.org/rfc/rfc8312) applied to a send rate instead of
// a congestion window, as the AWS SDKs' adaptive retry mode does
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html);
// the start follows TCP slow start (RFC 5681,
// https://www.rfc-editor.org/rfc/rfc5681) on an in-flight window. DESIGN.md
// (Decisions, "One pacer per API host") says why.
const (
	// InitialWindow is how many requests a host gets in flight before any
	// has been answered.
	InitialWindow = 4
	// maxWindow bounds the window (it only grows while it is full).
	maxWindow = 4096
	// cubicBeta is the share of the rate kept after a throttle.
	cubicBeta = 0.7
	// cubicC scales CUBIC's growth back (requests/s per s³).
	cubicC = 0.4
	// MinRate is the lowest send rate a throttle cuts a host to
	// (requests/s), until it has been throttled BackoffAfter rounds in a
	// row with nothing accepted.
	MinRate = 0.5
	// BackoffAfter is how many cuts in a row, with no answer accepted
	// between them, a host takes before its rate halves at each further
	// cut (exponential backoff), down to one request per
	// MaxBackoffInterval.
	BackoffAfter = 4
	// MaxBackoffInterval is the longest interval between two requests the
	// backoff goes to, unless a throttling answer's Retry-After asks for
	// longer.
	MaxBackoffInterval = 30 * time.Second
	// backoffFactor is the share of the rate kept at each cut of the
	// backoff.
	backoffFactor = 0.5
	// rateWindow is the span over which answered requests are counted to
	// measure what the API accepts: gateways state their limits per second
	// ("limit:20,time:1 second").
	rateWindow = time.Second
	// burstSpan is how much of the adaptive rate its bucket holds: a
	// request whose turn came late (a timer fired late on a busy machine,
	// another process took the lock) finds the tokens of the time it lost
	// instead of losing them. At 50 ms (one token at 20/s) three processes
	// sharing a 20/s limit got 16 to 18/s of it, in-process on a loaded
	// machine; at 250 ms, 20/s. The gateway's own bucket holds at least as
	// much: it fills while the rate is below its limit, as this one does.
	burstSpan = 250 * time.Millisecond
	// userBurstSpan is the same for max_requests_per_second's bucket,
	// which no second may exceed.
	userBurstSpan = 50 * time.Millisecond
)

// Outcome is what an attempt's answer says to the pacer.
type Outcome int

const (
	// Accepted: the API answered and did not throttle: any status but a
	// throttling one or a 5xx.
	Accepted Outcome = iota
	// Throttled: the API refused the request for its rate.
	Throttled
	// Failed: no usable answer: a transport failure, a timeout, a body
	// cut off, or a 5xx. It says nothing about the rate the API accepts,
	// so the rate is left alone; counting it as accepted would raise the
	// rate the pacer measures and grows to on answers that never came.
	Failed
)

// Limit is a limit a throttling answer states: Rate requests per second,
// counted over Window ("limit:20,time:1 second" is 20 over a second).
type Limit struct {
	Rate   float64
	Window time.Duration
}

// Answer is what a throttling answer tells the pacer besides being one.
type Answer struct {
	// Limit is the limit the answer states (zero: none).
	Limit Limit
	// RetryAfter is the answer's Retry-After (0: none).
	RetryAfter time.Duration
}

// Pacer paces the requests to one API host: at most Window requests in
// flight, sent no faster than Rate, in the order their reads first asked.
// It starts with InitialWindow requests in flight and no rate limit, and
// doubles the window each round trip while nothing is throttled (slow
// start). The first throttle sets a rate: the share cubicBeta of what the
// API accepted over the last second (or of the current rate, whichever is
// lower; or of the limit the answer states, at the host's first throttle
// in a second of work, when the count spans less than the second it is
// taken over); later throttles cut it again, once per round of requests,
// and while nothing is throttled the rate grows back along CUBIC's curve,
// first quickly, then slowly around the rate of the last cut, then faster
// again to probe above it. A limit an answer states over a second or less
// caps the rate and is the base of the first cut; one over a longer window
// is not a rate per second, and the throttle cuts like one that states
// nothing. After BackoffAfter cuts in a row with nothing
// accepted, each further cut halves the rate, down to one request per
// MaxBackoffInterval (or per the answer's Retry-After, when longer).
//
// With a state file (share.go) the rate, its bucket and what the cuts and
// growth read (the answers accepted, the stated limit, the last cut) are
// shared with the pacers of the host and account in the provider's other
// processes on the machine; the window, the queue and the counts of
// Stats stay the process's own.
//
// A Pacer is safe for concurrent use.
type Pacer struct {
	mu sync.Mutex

	window   float64
	inFlight int
	queue    []*waiter

	// user is the configured cap (0: none), with its own bucket.
	user       float64
	userTokens float64
	userLast   time.Time
	// floor is the lowest rate an ordinary cut goes to; backoffFloor the
	// lowest the backoff goes to. fixedFloor: the floor was configured,
	// and nothing goes below it (tests whose faults throttle regardless
	// of the rate).
	floor, backoffFloor float64
	fixedFloor          bool

	// c is the rate's state; sh, when set, shares it (share.go).
	c  ctl
	sh *share

	// reads holds the rank of each read in progress, in the order they
	// first asked, by its context's Done channel (see AcquireFor).
	reads map[<-chan struct{}]uint64
	ranks uint64

	throttled int64
	sent      int64
}

// ctl is what sets a host's send rate: the adaptive rate and its bucket,
// CUBIC's state, the stated limit and the recent answers. With a state
// file it is the file's, read before and written after every change.
type ctl struct {
	// rate is the adaptive send rate, +Inf until the first throttle;
	// tokens and last are its bucket.
	rate   float64
	tokens float64
	last   time.Time

	// CUBIC state: the rate at the last cut, its time, and the time to
	// grow back to it.
	wMax  float64
	cutAt time.Time
	k     float64
	// hint is the lowest limit an answer stated over a window of a
	// second or less, requests/s (0: none): a cap.
	hint float64

	// accepted holds the times of answers accepted within rateWindow.
	accepted []time.Time
	// busySince is when the host's requests started again after it had
	// been idle (nothing in flight, nothing sent or answered within
	// rateWindow): until rateWindow later, the answers counted over
	// rateWindow undercount the API's rate. lastActive is when a request
	// was last sent or answered.
	busySince  time.Time
	lastActive time.Time
	// drought counts the cuts since the last accepted answer.
	drought int
}

type waiter struct {
	wake chan struct{}
	// rank is the order in which the waiter's read first asked: the
	// queue is in that order.
	rank uint64
}

// NewPacer returns a Pacer whose rate never exceeds userRate requests per
// second (0: no cap of its own) and is never cut below minRate (0 or
// less: MinRate, and below it only by the backoff, down to one request
// per MaxBackoffInterval).
func NewPacer(userRate, minRate float64) *Pacer {
	return newPacer(userRate, minRate, InitialWindow)
}

func newPacer(userRate, minRate float64, window int) *Pacer {
	if window < 1 {
		window = InitialWindow
	}
	if userRate < 0 || math.IsNaN(userRate) {
		userRate = 0
	}
	p := &Pacer{window: float64(window), user: userRate, c: ctl{rate: math.Inf(1)}}
	if minRate > 0 && !math.IsInf(minRate, 1) {
		p.floor, p.backoffFloor, p.fixedFloor = minRate, minRate, true
	} else {
		p.floor, p.backoffFloor = MinRate, 1/MaxBackoffInterval.Seconds()
	}
	return p
}

// Ticket is one request sent through a Pacer; Done or Report gives its
// outcome.
type Ticket struct {
	p      *Pacer
	sentAt time.Time
}

// Acquire waits until a request may be sent: its turn in the queue, a free
// place in the window and, when the rate is limited, a token. It returns
// ctx's cause if ctx ends first.
func (p *Pacer) Acquire(ctx context.Context) (*Ticket, error) {
	return p.AcquireFor(ctx, nil)
}

// AcquireFor is Acquire for a request of the read whose context is read
// (nil: a request of its own). Waiting requests are served in the order
// their reads first asked, not the order they asked: under a rate limit
// the reads then finish one after another, and Terraform works on the
// finished ones while the others wait, instead of every read getting its
// last page at the end. The pagers give every page of a read one context,
// so its Done channel names the read.
func (p *Pacer) AcquireFor(ctx, read context.Context) (*Ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, context.Cause(ctx)
	}
	p.mu.Lock()
	rank := p.rank(read)
	if len(p.queue) == 0 {
		if d, t := p.tryTake(time.Now()); d == 0 {
			p.mu.Unlock()
			return t, nil
		}
	}
	w := &waiter{wake: make(chan struct{}, 1), rank: rank}
	i := len(p.queue)
	for i > 0 && p.queue[i-1].rank > w.rank {
		i--
	}
	p.queue = append(p.queue, nil)
	copy(p.queue[i+1:], p.queue[i:])
	p.queue[i] = w // a former first waiter behind w finds w ahead when its timer ends
	for {
		var timer <-chan time.Time
		var stop func() bool
		if p.queue[0] == w {
			switch d, t := p.tryTake(time.Now()); {
			case d == 0:
				p.queue = p.queue[1:]
				p.wakeHead()
				p.mu.Unlock()
				return t, nil
			case d > 0:
				tm := time.NewTimer(d)
				timer, stop = tm.C, tm.Stop
			}
			// d < 0: the window is full; a Done wakes us.
		}
		p.mu.Unlock()
		select {
		case <-ctx.Done():
			if stop != nil {
				stop()
			}
			p.mu.Lock()
			p.remove(w)
			p.mu.Unlock()
			return nil, context.Cause(ctx)
		case <-w.wake:
		case <-timer:
		}
		if stop != nil {
			stop()
		}
		p.mu.Lock()
	}
}

// rank returns the rank of read: the next one for a read not seen yet (or
// no read); the read is forgotten when its context ends. p.mu is held.
func (p *Pacer) rank(read context.Context) uint64 {
	p.ranks++
	if read == nil || read.Done() == nil {
		return p.ranks
	}
	done := read.Done()
	if r, ok := p.reads[done]; ok {
		return r
	}
	if p.reads == nil {
		p.reads = map[<-chan struct{}]uint64{}
	}
	p.reads[done] = p.ranks
	context.AfterFunc(read, func() {
		p.mu.Lock()
		delete(p.reads, done)
		p.mu.Unlock()
	})
	return p.ranks
}

// tryTake sends a request when one may go now: it reports 0 and the
// ticket, or how long until one may go (> 0: a token) or -1 (the window
// is full). p.mu is held.
func (p *Pacer) tryTake(now time.Time) (time.Duration, *Ticket) {
	locked := p.begin(now, false)
	if p.inFlight >= p.windowLimit() {
		if locked {
			p.end(now, false)
		}
		return -1, nil
	}
	d := p.ready(now)
	var t *Ticket
	if d == 0 {
		t = p.take(now)
	}
	if locked {
		p.end(now, t != nil)
	}
	return d, t
}

// windowLimit is how many requests may be in flight: the window, or,
// while the rate is not limited and other processes' pacers of the host
// and account are busy too (share.go), this one's share of it, so that
// processes starting together do not send several windows into a limit
// nobody has met yet. p.mu is held.
func (p *Pacer) windowLimit() int {
	w := int(p.window)
	if s := p.sh; s != nil && !s.joined && s.npeers > 1 && math.IsInf(p.c.rate, 1) {
		w = max(1, w/s.npeers)
	}
	return w
}

// ready reports how long until a request may be sent, the window having
// room: 0 now, > 0 when it waits for a token. p.mu is held.
func (p *Pacer) ready(now time.Time) time.Duration {
	var d time.Duration
	if p.user > 0 {
		d = bucketWait(&p.userTokens, &p.userLast, p.user, userBurstSpan, now)
	}
	if !math.IsInf(p.c.rate, 1) {
		d = max(d, bucketWait(&p.c.tokens, &p.c.last, p.c.rate, burstSpan, now))
	}
	return d
}

// bucketWait refills a token bucket of rate r (burst: span's worth, at
// least one) and reports how long until it holds a token (0: now).
func bucketWait(tokens *float64, last *time.Time, r float64, span time.Duration, now time.Time) time.Duration {
	burst := max(1, r*span.Seconds())
	switch el := now.Sub(*last).Seconds(); {
	case last.IsZero():
		*tokens, *last = 1, now
	case el > 0:
		*tokens, *last = min(burst, *tokens+el*r), now
	case el < 0: // a clock set back (a shared state written by another process)
		*last = now
	}
	if *tokens >= 1 {
		return 0
	}
	return max(time.Duration((1-*tokens)/r*float64(time.Second)), time.Millisecond)
}

// take sends one request. p.mu is held and ready said 0.
func (p *Pacer) take(now time.Time) *Ticket {
	if p.user > 0 {
		p.userTokens--
	}
	if !math.IsInf(p.c.rate, 1) {
		p.c.tokens--
	}
	if p.inFlight == 0 && (p.c.lastActive.IsZero() || now.Sub(p.c.lastActive) > rateWindow) {
		p.c.busySince = now
	}
	p.c.lastActive = now
	p.inFlight++
	p.sent++
	return &Ticket{p: p, sentAt: now}
}

// wakeHead tells the first waiter to look again. p.mu is held.
func (p *Pacer) wakeHead() {
	if len(p.queue) > 0 {
		select {
		case p.queue[0].wake <- struct{}{}:
		default:
		}
	}
}

func (p *Pacer) remove(w *waiter) {
	for i, q := range p.queue {
		if q == w {
			p.queue = append(p.queue[:i], p.queue[i+1:]...)
			if i == 0 {
				p.wakeHead()
			}
			return
		}
	}
}

// Done reports the outcome of the ticket's request; hint is the limit a
// throttling answer stated, in requests per second over one second (0:
// none). Call Done or Report once.
func (t *Ticket) Done(o Outcome, hint float64) {
	t.Report(o, Answer{Limit: Limit{Rate: hint, Window: time.Second}})
}

// Report reports the outcome of the ticket's request and, for a throttled
// one, what its answer said. Call Done or Report once.
func (t *Ticket) Report(o Outcome, a Answer) {
	p := t.p
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	// The window is the limit when it is full or requests wait behind it.
	full := p.inFlight >= p.windowLimit() || len(p.queue) > 0
	p.inFlight--
	locked := p.begin(now, o == Throttled)
	p.c.lastActive = now
	switch o {
	case Accepted:
		p.c.accepted = append(p.c.accepted, now)
		p.trim(now)
		p.c.drought = 0
		if full && p.window < maxWindow {
			p.window++ // slow start: one more per answer while the window is the limit
		}
		if !math.IsInf(p.c.rate, 1) {
			p.grow(now)
		}
	case Throttled:
		p.throttled++
		if l := a.Limit; l.Rate > 0 && l.Window <= rateWindow && (p.c.hint == 0 || l.Rate < p.c.hint) {
			p.c.hint = l.Rate
		}
		// Only a request sent after the last cut says the cut rate is
		// still too high; the others were sent at the old rate.
		if p.c.cutAt.IsZero() || t.sentAt.After(p.c.cutAt) {
			p.cut(now, a)
		}
	}
	if locked {
		p.end(now, true)
	}
	p.wakeHead()
}

// trim drops accepted answers older than rateWindow. p.mu is held.
func (p *Pacer) trim(now time.Time) {
	i := 0
	for i < len(p.c.accepted) && now.Sub(p.c.accepted[i]) > rateWindow {
		i++
	}
	if i > 0 {
		p.c.accepted = append(p.c.accepted[:0], p.c.accepted[i:]...)
	}
}

// cut lowers the rate after a throttle and empties the bucket: the
// throttle says the API's is empty, so the next request waits one
// interval of the new rate. p.mu is held.
func (p *Pacer) cut(now time.Time, a Answer) {
	p.trim(now)
	p.c.drought++
	old := p.c.rate
	if p.c.drought > BackoffAfter && !math.IsInf(old, 1) {
		// Throttled round after round with nothing accepted: the limit is
		// not a rate the cuts can find (an API that throttles whatever
		// comes, a quota spent for hours). Halve the rate each round, to
		// one request per MaxBackoffInterval or per Retry-After.
		floor := p.backoffFloor
		if a.RetryAfter > 0 && !p.fixedFloor {
			floor = min(floor, 1/a.RetryAfter.Seconds())
		}
		p.c.wMax = old
		p.c.rate = max(old*backoffFactor, floor)
	} else {
		measured := float64(len(p.c.accepted)) / rateWindow.Seconds()
		base := old
		if math.IsInf(base, 1) || (measured > 0 && measured < base) {
			base = measured
		}
		// A limit stated per second lowers the base; at the first
		// throttle of a second of work it is the base, the count
		// spanning less than the second it is taken over. One stated
		// over a longer window is not a rate per second: the throttle
		// cuts as one that states nothing.
		first := p.c.drought == 1 && now.Sub(p.c.busySince) < rateWindow
		if l := a.Limit; l.Rate > 0 && l.Window <= rateWindow && (base > l.Rate || first) {
			base = l.Rate
		}
		base = max(base, p.floor)
		p.c.wMax = base
		p.c.rate = max(base*cubicBeta, p.floor)
	}
	p.c.cutAt = now
	p.c.k = math.Cbrt(p.c.wMax * (1 - cubicBeta) / cubicC)
	p.window = max(InitialWindow, p.window/2)
	p.c.tokens, p.c.last = 0, now
}

// grow raises the rate along CUBIC's curve since the last cut, no higher
// than a stated limit or twice what the API accepted over the last second
// (the rate is not raised far beyond what is used). p.mu is held.
func (p *Pacer) grow(now time.Time) {
	t := now.Sub(p.c.cutAt).Seconds() - p.c.k
	r := p.c.wMax + cubicC*t*t*t
	used := 2 * float64(len(p.c.accepted)) / rateWindow.Seconds()
	r = min(r, max(used, p.c.wMax))
	if p.c.hint > 0 {
		r = min(r, p.c.hint)
	}
	p.c.rate = max(r, p.floor)
}

// PacerStats is a snapshot of a Pacer, for logs and errors.
type PacerStats struct {
	// Rate is the send rate in requests/s (+Inf before the first throttle
	// without a configured cap); Window the requests allowed in flight.
	Rate   float64
	Window int
	// Sent and Throttled count the requests of this process since the
	// Pacer was made.
	Sent, Throttled int64
}

// Stats returns a snapshot of p.
func (p *Pacer) Stats() PacerStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.c.rate
	if p.user > 0 && p.user < r {
		r = p.user
	}
	return PacerStats{Rate: r, Window: int(p.window), Sent: p.sent, Throttled: p.throttled}
}

// limitHint matches a gateway's statement of its limit, as Huawei Cloud's
// API Gateway gives it in APIG.0308 answers: "... policy user over
// ratelimit,limit:20,time:1 second".
var limitHint = regexp.MustCompile(`(?i)limit\s*:\s*(\d+)\s*,\s*time\s*:\s*(\d+)\s*(second|minute|hour|day)`)

// maxLimitWindow bounds the window of a stated limit (a year), so that
// its arithmetic stays far inside a time.Duration.
const maxLimitWindow = 365 * 24 * time.Hour

// ParseLimit returns the limit an answer's body states (zero: none).
func ParseLimit(body []byte) Limit {
	if len(body) > 4096 {
		body = body[:4096]
	}
	m := limitHint.FindSubmatch(body)
	if m == nil {
		return Limit{}
	}
	n, err1 := strconv.Atoi(string(m[1]))
	per, err2 := strconv.Atoi(string(m[2]))
	if err1 != nil || err2 != nil || n <= 0 || per <= 0 {
		return Limit{}
	}
	unit := map[string]float64{"second": 1, "minute": 60, "hour": 3600, "day": 86400}[string(lower(m[3]))]
	secs := float64(per) * unit
	if secs > maxLimitWindow.Seconds() {
		return Limit{}
	}
	return Limit{Rate: float64(n) / secs, Window: time.Duration(secs * float64(time.Second))}
}

func lower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}
