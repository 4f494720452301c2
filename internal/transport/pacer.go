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
// ("Pacing and retries") says why.
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
	// MinRate is the lowest send rate a throttled host is cut to
	// (requests/s).
	MinRate = 0.5
	// rateWindow is the span over which answered requests are counted to
	// measure what the API accepts: gateways state their limits per second
	// ("limit:20,time:1 second").
	rateWindow = time.Second
	// burstSpan is how much of the rate may be sent at once once the rate
	// is limited: a 20/s rate sends one request every 50 ms.
	burstSpan = 50 * time.Millisecond
)

// Outcome is what an attempt's answer says to the pacer.
type Outcome int

const (
	// Accepted: the API answered and did not throttle (any status but a
	// throttling one, transport failures included: they say nothing about
	// the rate).
	Accepted Outcome = iota
	// Throttled: the API refused the request for its rate.
	Throttled
	// Failed: no answer (a transport failure or timeout); the rate is
	// left alone.
	Failed
)

// Pacer paces the requests to one API host: at most Window requests in
// flight, sent no faster than Rate, in the order they asked. It starts with
// InitialWindow requests in flight and no rate limit, and doubles the window
// each round trip while nothing is throttled (slow start). The first
// throttle sets a rate: the share cubicBeta of what the API accepted over
// the last second (or of the current rate, whichever is lower; or of the
// limit the answer states, while the host has been busy for less than a
// second and the count spans less than the second it is taken over); later
// throttles cut it again, once per round of requests, and while nothing is
// throttled the rate grows back along CUBIC's curve, first quickly, then
// slowly around the rate of the last cut, then faster again to probe above
// it. A gateway's stated limit, when an answer gives one, caps the rate.
// A Pacer is safe for concurrent use.
type Pacer struct {
	mu sync.Mutex

	window   float64
	inFlight int
	queue    []*waiter

	// rate is the adaptive send rate, +Inf until the first throttle; user
	// is the configured cap (0: none); tokens and last are the bucket of
	// the effective rate (min of the two).
	rate   float64
	user   float64
	floor  float64 // the lowest rate a cut goes to
	tokens float64
	last   time.Time

	// CUBIC state: the rate at the last cut, its time, and the time to
	// grow back to it.
	wMax  float64
	cutAt time.Time
	k     float64
	hint  float64 // a stated limit, requests/s (0: none)

	// accepted holds the times of answers accepted within rateWindow.
	accepted []time.Time

	// reads holds the rank of each read in progress, in the order they
	// first asked, by its context's Done channel (see AcquireFor).
	reads map[<-chan struct{}]uint64
	ranks uint64

	throttled int64
	sent      int64
	// busySince is when the host's requests started again after it had
	// been idle (nothing in flight, no answer within rateWindow): until
	// rateWindow later, the answers counted over rateWindow undercount
	// the API's rate.
	busySince time.Time
}

type waiter struct {
	wake chan struct{}
	// rank is the order in which the waiter's read first asked: the
	// queue is in that order.
	rank uint64
}

// NewPacer returns a Pacer whose rate never exceeds userRate requests per
// second (0: no cap of its own) and is never cut below minRate (0 or less:
// MinRate).
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
	if !(minRate > 0) || math.IsInf(minRate, 1) {
		minRate = MinRate
	}
	return &Pacer{window: float64(window), rate: math.Inf(1), user: userRate, floor: minRate}
}

// Ticket is one request sent through a Pacer; Done reports its outcome.
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
	if len(p.queue) == 0 && p.ready(time.Now()) == 0 {
		t := p.take(time.Now())
		p.mu.Unlock()
		return t, nil
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
			now := time.Now()
			switch d := p.ready(now); {
			case d == 0:
				p.queue = p.queue[1:]
				t := p.take(now)
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

// ready reports how long until a request may be sent: 0 now, > 0 when it
// waits for a token, < 0 when the window is full. p.mu is held.
func (p *Pacer) ready(now time.Time) time.Duration {
	if p.inFlight >= int(p.window) {
		return -1
	}
	r := p.effectiveRate()
	if math.IsInf(r, 1) {
		return 0
	}
	p.refill(now, r)
	if p.tokens >= 1 {
		return 0
	}
	d := time.Duration((1 - p.tokens) / r * float64(time.Second))
	return max(d, time.Millisecond)
}

func (p *Pacer) effectiveRate() float64 {
	r := p.rate
	if p.user > 0 && p.user < r {
		r = p.user
	}
	return r
}

func (p *Pacer) refill(now time.Time, r float64) {
	burst := max(1, r*burstSpan.Seconds())
	if p.last.IsZero() {
		p.tokens, p.last = 1, now
		return
	}
	if el := now.Sub(p.last).Seconds(); el > 0 {
		p.tokens = min(burst, p.tokens+el*r)
	}
	p.last = now
}

// take sends one request. p.mu is held and ready said 0.
func (p *Pacer) take(now time.Time) *Ticket {
	if !math.IsInf(p.effectiveRate(), 1) {
		p.tokens--
	}
	if p.inFlight == 0 && (len(p.accepted) == 0 || now.Sub(p.accepted[len(p.accepted)-1]) > rateWindow) {
		p.busySince = now
	}
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

// Done reports the outcome of the ticket's request; hint is the limit the
// answer stated, in requests per second (0: none). Call it once.
func (t *Ticket) Done(o Outcome, hint float64) {
	p := t.p
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	// The window is the limit when it is full or requests wait behind it.
	full := p.inFlight >= int(p.window) || len(p.queue) > 0
	p.inFlight--
	switch o {
	case Accepted:
		p.accepted = append(p.accepted, now)
		p.trim(now)
		if full && p.window < maxWindow {
			p.window++ // slow start: one more per answer while the window is the limit
		}
		if !math.IsInf(p.rate, 1) {
			p.grow(now)
		}
	case Throttled:
		p.throttled++
		if hint > 0 && (p.hint == 0 || hint < p.hint) {
			p.hint = hint
		}
		// Only a request sent after the last cut says the cut rate is
		// still too high; the others were sent at the old rate.
		if p.cutAt.IsZero() || t.sentAt.After(p.cutAt) {
			p.cut(now)
		}
	}
	p.wakeHead()
}

// trim drops accepted answers older than rateWindow. p.mu is held.
func (p *Pacer) trim(now time.Time) {
	i := 0
	for i < len(p.accepted) && now.Sub(p.accepted[i]) > rateWindow {
		i++
	}
	if i > 0 {
		p.accepted = append(p.accepted[:0], p.accepted[i:]...)
	}
}

// cut lowers the rate after a throttle and empties the bucket: the
// throttle says the API's is empty, so the next request waits one
// interval of the new rate. p.mu is held.
func (p *Pacer) cut(now time.Time) {
	p.trim(now)
	measured := float64(len(p.accepted)) / rateWindow.Seconds()
	base := p.rate
	if math.IsInf(base, 1) || (measured > 0 && measured < base) {
		base = measured
	}
	if p.hint > 0 && (base > p.hint || now.Sub(p.busySince) < rateWindow) {
		base = p.hint
	}
	base = max(base, p.floor)
	p.wMax = base
	p.rate = max(base*cubicBeta, p.floor)
	p.cutAt = now
	p.k = math.Cbrt(p.wMax * (1 - cubicBeta) / cubicC)
	p.window = max(InitialWindow, p.window/2)
	p.tokens, p.last = 0, now
}

// grow raises the rate along CUBIC's curve since the last cut, no higher
// than a stated limit or twice what the API accepted over the last second
// (the rate is not raised far beyond what is used). p.mu is held.
func (p *Pacer) grow(now time.Time) {
	t := now.Sub(p.cutAt).Seconds() - p.k
	r := p.wMax + cubicC*t*t*t
	used := 2 * float64(len(p.accepted)) / rateWindow.Seconds()
	r = min(r, max(used, p.wMax))
	if p.hint > 0 {
		r = min(r, p.hint)
	}
	p.rate = max(r, p.floor)
}

// PacerStats is a snapshot of a Pacer, for logs and errors.
type PacerStats struct {
	// Rate is the adaptive send rate in requests/s (+Inf before the first
	// throttle); Window the requests allowed in flight.
	Rate   float64
	Window int
	// Sent and Throttled count requests since the Pacer was made.
	Sent, Throttled int64
}

// Stats returns a snapshot of p.
func (p *Pacer) Stats() PacerStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return PacerStats{Rate: p.effectiveRate(), Window: int(p.window), Sent: p.sent, Throttled: p.throttled}
}

// limitHint matches a gateway's statement of its limit, as Huawei Cloud's
// API Gateway gives it in APIG.0308 answers: "... policy user over
// ratelimit,limit:20,time:1 second".
var limitHint = regexp.MustCompile(`(?i)limit\s*:\s*(\d+)\s*,\s*time\s*:\s*(\d+)\s*(second|minute|hour|day)`)

// StatedLimit returns the rate (requests/s) an answer's body states, or 0.
func StatedLimit(body []byte) float64 {
	if len(body) > 4096 {
		body = body[:4096]
	}
	m := limitHint.FindSubmatch(body)
	if m == nil {
		return 0
	}
	n, err1 := strconv.Atoi(string(m[1]))
	per, err2 := strconv.Atoi(string(m[2]))
	if err1 != nil || err2 != nil || n <= 0 || per <= 0 {
		return 0
	}
	unit := map[string]float64{"second": 1, "minute": 60, "hour": 3600, "day": 86400}[string(lower(m[3]))]
	return float64(n) / (float64(per) * unit)
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
