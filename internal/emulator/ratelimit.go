package emulator

import (
	"sync"
	"time"
)

// rateLimits is the gateway rate limit of Faults.RateLimit: a token bucket
// per API, shared by every client (the gateways limit each user per API,
// for all of that user's clients together), and the number of throttling
// answers per API (the rate limit's and ThrottleEvery's).
type rateLimits struct {
	mu        sync.Mutex
	buckets   map[string]*bucket
	throttled map[string]int
}

type bucket struct {
	tokens float64
	last   time.Time
	rate   int
}

// allow takes a token of api's bucket (rate per second, burst rate) and
// reports whether there was one; a refused request is counted.
func (l *rateLimits) allow(api string, rate int, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	b := l.buckets[api]
	if b == nil || b.rate != rate {
		b = &bucket{tokens: float64(rate), last: now, rate: rate}
		l.buckets[api] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(float64(rate), b.tokens+el*float64(rate))
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	l.countLocked(api)
	return false
}

func (l *rateLimits) count(api string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.countLocked(api)
}

func (l *rateLimits) countLocked(api string) {
	if l.throttled == nil {
		l.throttled = map[string]int{}
	}
	l.throttled[api]++
}

// Throttled is the number of throttling answers given for an API (the
// rate limit's and ThrottleEvery's), since the start or ResetThrottled.
func (s *Server) Throttled(api string) int {
	s.limits.mu.Lock()
	defer s.limits.mu.Unlock()
	return s.limits.throttled[api]
}

// ResetThrottled clears the throttle counts and refills every bucket.
func (s *Server) ResetThrottled() {
	s.limits.mu.Lock()
	defer s.limits.mu.Unlock()
	clear(s.limits.throttled)
	clear(s.limits.buckets)
}
