package transport

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// The pacer tests run in a synctest bubble: time.Now and timers are a fake
// clock that moves only when every goroutine of the bubble is blocked.

// send acquires a ticket and reports o for it after rtt.
func send(t *testing.T, p *Pacer, rtt time.Duration, o Outcome, hint float64) {
	t.Helper()
	tk, err := p.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(rtt)
	tk.Done(o, hint)
}

func TestPacerSlowStartWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		var wg sync.WaitGroup
		start := time.Now()
		firstRound := make([]time.Duration, 0, 8)
		var mu sync.Mutex
		for range 2 * InitialWindow {
			wg.Go(func() {
				tk, err := p.Acquire(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				firstRound = append(firstRound, time.Since(start))
				mu.Unlock()
				time.Sleep(50 * time.Millisecond)
				tk.Done(Accepted, 0)
			})
		}
		wg.Wait()
		// InitialWindow go at once; their answers open the window to twice
		// that: the others go in the second round trip.
		late := 0
		for _, d := range firstRound {
			if d >= 50*time.Millisecond {
				late++
			}
		}
		if late != InitialWindow || time.Since(start) != 100*time.Millisecond {
			t.Fatalf("%d sent in the second round, done after %v; want %d and 100ms", late, time.Since(start), InitialWindow)
		}
		if w := p.Stats().Window; w <= InitialWindow {
			t.Fatalf("window %d after answers while requests waited, want it grown", w)
		}
	})
}

func TestPacerWindowDoesNotGrowWhenNotFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		for range 100 {
			send(t, p, 10*time.Millisecond, Accepted, 0) // one at a time
		}
		if w := p.Stats().Window; w != InitialWindow {
			t.Fatalf("window %d after sequential requests, want %d: it grows only while it is the limit", w, InitialWindow)
		}
	})
}

// TestPacerCutOnThrottle: the first throttle sets the rate to cubicBeta of
// what the API accepted over the last second; throttles of requests sent
// before that cut do not cut again.
func TestPacerCutOnThrottle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		if r := p.Stats().Rate; !math.IsInf(r, 1) {
			t.Fatalf("rate before any throttle %v, want unlimited", r)
		}
		for range 20 {
			send(t, p, 40*time.Millisecond, Accepted, 0) // 20 in 800 ms
		}
		a, _ := p.Acquire(context.Background())
		b, _ := p.Acquire(context.Background())
		a.Done(Throttled, 0)
		want := 20 * cubicBeta
		if r := p.Stats().Rate; math.Abs(r-want) > 1e-9 {
			t.Fatalf("rate after the throttle %v, want %v", r, want)
		}
		b.Done(Throttled, 0) // sent before the cut: no second cut
		if r := p.Stats().Rate; math.Abs(r-want) > 1e-9 {
			t.Fatalf("rate after a throttle of the same round %v, want %v", r, want)
		}
		if st := p.Stats(); st.Throttled != 2 || st.Sent != 22 {
			t.Fatalf("stats %+v, want 2 throttled of 22", st)
		}
		// A request sent after the cut and throttled cuts again.
		time.Sleep(time.Second)
		send(t, p, 10*time.Millisecond, Throttled, 0)
		if r := p.Stats().Rate; r >= want {
			t.Fatalf("rate %v after a throttle of a request sent after the cut, want below %v", r, want)
		}
	})
}

// cutAt40 sends 40 requests a second for a second, all accepted, then one
// throttled: the cut's time, the rate of the cut (40/s) and CUBIC's time
// to grow back to it.
func cutAt40(t *testing.T, p *Pacer) (cut time.Time, wMax, k float64) {
	t.Helper()
	for range 40 {
		send(t, p, 25*time.Millisecond, Accepted, 0) // 40/s
	}
	send(t, p, 0, Throttled, 0)
	wMax = 40.0
	return time.Now(), wMax, math.Cbrt(wMax * (1 - cubicBeta) / cubicC)
}

// TestPacerGrowsBack: after a cut, the rate grows back along CUBIC's curve:
// it reaches the rate of the cut after K seconds and passes it afterwards.
func TestPacerGrowsBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		cut, wMax, k := cutAt40(t, p)
		var atK, later float64
		for time.Since(cut).Seconds() < k+3 {
			// Keep many requests flowing so the growth is not capped by use.
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() { send(t, p, 20*time.Millisecond, Accepted, 0) })
			}
			wg.Wait()
			el := time.Since(cut).Seconds()
			if atK == 0 && el >= k {
				atK = p.Stats().Rate
			}
			later = p.Stats().Rate
		}
		if atK < wMax*0.95 || atK > wMax*1.1 {
			t.Fatalf("rate %v at K = %.2fs after the cut, want about %v", atK, k, wMax)
		}
		if later <= wMax*1.2 {
			t.Fatalf("rate %v three seconds past K, want it to probe above %v", later, wMax)
		}
	})
}

// TestPacerGrowthCappedByUse: past the rate of the last cut, the rate
// grows no higher than twice what the API accepted over the last second,
// however far CUBIC's curve has gone: a pacer is not raised far beyond
// what is used.
func TestPacerGrowthCappedByUse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		cut, _, k := cutAt40(t, p)
		// One request at a time, 30 per second, for six seconds past K:
		// the curve is at 40 + 0.4 * 6^3 = 126/s by then, use is 30/s.
		for time.Since(cut).Seconds() < k+6 {
			send(t, p, time.Second/30, Accepted, 0)
		}
		if r := p.Stats().Rate; r < 2*25 || r > 2*31 {
			t.Fatalf("rate %v six seconds past K at 30 requests/s, want twice that use (about 60), not the curve's 126", r)
		}
	})
}

// TestPacerRateSharedAcrossGoroutines: forty goroutines share one pacer
// whose rate is limited; together they send no faster than the rate.
func TestPacerRateSharedAcrossGoroutines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		for range 10 {
			send(t, p, 100*time.Millisecond, Accepted, 0) // 10/s
		}
		send(t, p, 0, Throttled, 0) // rate 7/s
		rate := p.Stats().Rate
		start := time.Now()
		var wg sync.WaitGroup
		var mu sync.Mutex
		var sends []time.Duration
		for range 40 {
			wg.Go(func() {
				tk, err := p.Acquire(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				sends = append(sends, time.Since(start))
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
				tk.Done(Failed, 0) // neither accepted nor throttled: the rate stays
			})
		}
		wg.Wait()
		took := time.Since(start).Seconds()
		if least := 39 / rate; took < least*0.99 || took > least*1.1 {
			t.Fatalf("40 requests at %.1f/s took %.2fs, want about %.2fs", rate, took, least)
		}
		if len(sends) != 40 {
			t.Fatalf("%d sent", len(sends))
		}
	})
}

// TestPacerUserCapRespected: max_requests_per_second holds from the first
// request, before any throttle, for every goroutine together.
func TestPacerUserCapRespected(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(10, 0)
		start := time.Now()
		var wg sync.WaitGroup
		var mu sync.Mutex
		var perSecond [3]int
		for range 30 {
			wg.Go(func() {
				tk, err := p.Acquire(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if s := int(time.Since(start).Seconds()); s < len(perSecond) {
					perSecond[s]++
				}
				mu.Unlock()
				time.Sleep(time.Millisecond)
				tk.Done(Accepted, 0)
			})
		}
		wg.Wait()
		for s, n := range perSecond {
			if n > 10 {
				t.Fatalf("%d requests sent in second %d, cap 10/s", n, s)
			}
		}
		if took := time.Since(start); took < 2900*time.Millisecond {
			t.Fatalf("30 requests at 10/s took %v", took)
		}
	})
}

// TestPacerCancelMidWait: a request waiting for its turn returns the
// context's cause when it ends, and the requests behind it still go.
func TestPacerCancelMidWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(1, 0) // one request a second
		first, _ := p.Acquire(context.Background())
		first.Done(Accepted, 0)

		ctx, cancel := context.WithCancelCause(context.Background())
		errc := make(chan error, 1)
		go func() {
			_, err := p.Acquire(ctx)
			errc <- err
		}()
		synctest.Wait() // it waits for its token
		behind := make(chan time.Time, 1)
		go func() {
			tk, err := p.Acquire(context.Background())
			if err != nil {
				t.Error(err)
			}
			behind <- time.Now()
			tk.Done(Accepted, 0)
		}()
		time.Sleep(200 * time.Millisecond)
		stop := errors.New("read cancelled")
		cancel(stop)
		if err := <-errc; !errors.Is(err, stop) {
			t.Fatalf("Acquire = %v, want the context's cause", err)
		}
		start := time.Now()
		at := <-behind
		if d := at.Sub(start); d > 900*time.Millisecond {
			t.Fatalf("the request behind the cancelled one waited %v more, want it to take the freed turn", d)
		}
		if _, err := p.Acquire(ctx); !errors.Is(err, stop) {
			t.Fatalf("Acquire on an ended context = %v", err)
		}
	})
}

// TestPacerStatedLimitCapsTheRate: a gateway's stated limit caps the rate
// the pacer grows back to.
func TestPacerStatedLimitCapsTheRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		for range 50 {
			send(t, p, 20*time.Millisecond, Accepted, 0)
		}
		send(t, p, 0, Throttled, 20)
		if r := p.Stats().Rate; math.Abs(r-20*cubicBeta) > 1e-9 {
			t.Fatalf("rate %v after a throttle stating 20/s, want %v", r, 20*cubicBeta)
		}
		for range 200 {
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() { send(t, p, 20*time.Millisecond, Accepted, 0) })
			}
			wg.Wait()
		}
		if r := p.Stats().Rate; r > 20 {
			t.Fatalf("rate %v grew past the stated limit", r)
		}
	})
}

func TestParseLimitRate(t *testing.T) {
	cases := map[string]float64{
		`{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached: policy user over ratelimit,limit:20,time:1 second"}`: 20,
		`policy user over ratelimit, limit:20, time:1 second`:       20,
		`limit:120,time:1 minute`:                                   2,
		`LIMIT: 5 , TIME: 2 SECOND`:                                 2.5,
		`{"Code":"Throttling.User","Message":"Request was denied"}`: 0,
		`limit:0,time:1 second`:                                     0,
		`limit:99999999999999999999,time:1 second`:                  0,
	}
	for body, want := range cases {
		if got := ParseLimit([]byte(body)).Rate; got != want {
			t.Errorf("ParseLimit(%q).Rate = %v, want %v", body, got, want)
		}
	}
}

// TestPacerServesEarlierReadsFirst: waiting requests go in the order their
// reads first asked, so a read that started first finishes first even when
// a later read's requests queued before some of its own.
func TestPacerServesEarlierReadsFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(10, 0) // one request every 100 ms
		first, _ := p.Acquire(context.Background())
		first.Done(Accepted, 0)
		readA, cancelA := context.WithCancel(context.Background())
		defer cancelA()
		readB, cancelB := context.WithCancel(context.Background())
		defer cancelB()
		var mu sync.Mutex
		var order []string
		send := func(name string, read context.Context) {
			tk, err := p.AcquireFor(context.Background(), read)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			tk.Done(Accepted, 0)
		}
		var wg sync.WaitGroup
		wg.Go(func() { send("a1", readA) }) // read A asks first
		synctest.Wait()
		for i := range 3 {
			wg.Go(func() { send(fmt.Sprint("b", i+1), readB) })
			synctest.Wait()
		}
		wg.Go(func() { send("a2", readA) }) // A's second page, after B's
		synctest.Wait()
		wg.Wait()
		if got := strings.Join(order, " "); got != "a1 a2 b1 b2 b3" {
			t.Fatalf("served %s, want read A's requests first: a1 a2 b1 b2 b3", got)
		}
		cancelA()
		synctest.Wait()
		p.mu.Lock()
		n := len(p.reads)
		p.mu.Unlock()
		if n != 1 {
			t.Fatalf("%d reads remembered after read A ended, want 1", n)
		}
	})
}

// TestPacerWaitsAfterACut: a throttle says the API's bucket is empty, so
// the first request after a cut waits one interval of the new rate
// instead of going at once (and being throttled again, cutting the rate a
// second time). Both for the first cut, before which the rate was
// unlimited, and for a later one.
func TestPacerWaitsAfterACut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		for range 20 {
			send(t, p, 40*time.Millisecond, Accepted, 0) // 20 answers in 800 ms
		}
		for cut := range 2 {
			if cut == 1 {
				time.Sleep(10 * time.Second) // long enough for the bucket to be full
			}
			send(t, p, 0, Throttled, 0)
			rate := p.Stats().Rate
			start := time.Now()
			send(t, p, 0, Accepted, 0)
			interval := time.Duration(float64(time.Second) / rate)
			if waited := time.Since(start); waited < interval-time.Millisecond {
				t.Fatalf("cut %d: the request after the cut went after %v, want one interval of %.1f/s (%v)", cut+1, waited, rate, interval)
			}
		}
	})
}

// burstThenStatedLimit sends 12 requests four at a time, each answered
// after 50 ms (12 answers in 150 ms), then one throttled by an answer
// stating a limit of 20/s.
func burstThenStatedLimit(t *testing.T, p *Pacer) {
	t.Helper()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 3 {
				send(t, p, 50*time.Millisecond, Accepted, 0)
			}
		})
	}
	wg.Wait()
	send(t, p, 50*time.Millisecond, Throttled, 20)
}

// TestPacerFirstBurstTakesTheStatedLimit: in the pacer's first second the
// answers counted are fewer than the API's rate (they span less than the
// second they are counted over), so a throttle stating its limit then
// cuts from that limit, not from the count. Later, a count below the
// stated limit is kept: the limit is per user, and other clients of the
// same user may be taking the rest.
func TestPacerFirstBurstTakesTheStatedLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		burstThenStatedLimit(t, p)
		if r, want := p.Stats().Rate, 20*cubicBeta; math.Abs(r-want) > 1e-9 {
			t.Fatalf("rate %v after a throttle stating 20/s in the first second (12 answers counted), want %v", r, want)
		}

		p = NewPacer(0, 0)
		for range 12 {
			send(t, p, 100*time.Millisecond, Accepted, 0) // 12 answers in 1.2 s: 11 in the last second, its ends included
		}
		send(t, p, 0, Throttled, 20)
		if r, want := p.Stats().Rate, 11*cubicBeta; math.Abs(r-want) > 1e-9 {
			t.Fatalf("rate %v after a throttle stating 20/s with 11 answers in the last second, want %v", r, want)
		}
	})
}

// TestPacerBusyAgainTakesTheStatedLimit: the first-second rule holds for
// every burst after an idle spell, not only the host's first: a pipeline
// reads one record, then ten reads start from it seconds later.
func TestPacerBusyAgainTakesTheStatedLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		send(t, p, 50*time.Millisecond, Accepted, 0) // a lone read
		time.Sleep(3 * time.Second)
		burstThenStatedLimit(t, p)
		if r, want := p.Stats().Rate, 20*cubicBeta; math.Abs(r-want) > 1e-9 {
			t.Fatalf("rate %v after a throttle stating 20/s 200 ms into a burst after an idle spell, want %v", r, want)
		}
	})
}

// throttledForever sends lone requests to p for d, each answered after
// rtt by a throttle stating a, then waiting wait before the next (the
// transport's MinThrottleWait, or the Retry-After), as one read retrying
// a request that is never accepted does. It returns the times of the
// requests.
func throttledForever(t *testing.T, p *Pacer, d, rtt, wait time.Duration, a Answer) []time.Duration {
	t.Helper()
	var sent []time.Duration
	start := time.Now()
	for time.Since(start) < d {
		tk, err := p.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, time.Since(start))
		time.Sleep(rtt)
		tk.Report(Throttled, a)
		time.Sleep(wait)
	}
	return sent
}

// TestPacerBacksOffWhenNothingIsAccepted: an API that throttles every
// request, stating a limit of 20/s, for the 20 minutes of a read's
// default budget. After BackoffAfter cuts with nothing accepted the rate
// halves at each further cut, down to one request per
// MaxBackoffInterval: about fifty requests, where a rate held at the
// stated limit's cut sent one every 100 ms (12,000).
func TestPacerBacksOffWhenNothingIsAccepted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		sent := throttledForever(t, p, 20*time.Minute, 50*time.Millisecond, DefaultMinThrottleWait,
			Answer{Limit: Limit{Rate: 20, Window: time.Second}})
		if len(sent) > 60 {
			t.Fatalf("%d requests in 20 minutes of throttling, want about 50: the pacer does not back off", len(sent))
		}
		t.Logf("%d requests in 20 minutes of throttling", len(sent))
		var longest time.Duration
		for i := 1; i < len(sent); i++ {
			longest = max(longest, sent[i]-sent[i-1])
		}
		if gap := sent[len(sent)-1] - sent[len(sent)-2]; gap < MaxBackoffInterval || longest > MaxBackoffInterval+200*time.Millisecond {
			t.Fatalf("last interval %v, longest %v; want one request per %v at the end, never less often", gap, longest, MaxBackoffInterval)
		}
		if r := p.Stats().Rate; math.Abs(r-1/MaxBackoffInterval.Seconds()) > 1e-9 {
			t.Fatalf("rate %v at the end, want one request per %v", r, MaxBackoffInterval)
		}
		// One accepted answer ends the backoff: the rate grows back.
		send(t, p, 50*time.Millisecond, Accepted, 0)
		if r := p.Stats().Rate; r < MinRate {
			t.Fatalf("rate %v after an accepted answer, want at least %v", r, MinRate)
		}
	})
}

// TestPacerBackoffHonoursALongerRetryAfter: a Retry-After longer than
// MaxBackoffInterval sets how far the backoff goes.
func TestPacerBackoffHonoursALongerRetryAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		throttledForever(t, p, 10*time.Minute, 50*time.Millisecond, 0, Answer{RetryAfter: time.Minute})
		if r := p.Stats().Rate; math.Abs(r-1/time.Minute.Seconds()) > 1e-9 {
			t.Fatalf("rate %v, want one request per minute (the Retry-After)", r)
		}
	})
}

// TestPacerBackoffKeepsAConfiguredFloor: a floor the configuration sets
// (tests whose faults throttle whatever the rate) holds in the backoff.
func TestPacerBackoffKeepsAConfiguredFloor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 50)
		throttledForever(t, p, 5*time.Second, 10*time.Millisecond, 5*time.Millisecond, Answer{RetryAfter: time.Minute})
		if r := p.Stats().Rate; r != 50 {
			t.Fatalf("rate %v, want the configured floor 50", r)
		}
	})
}

// TestPacerFirstSecondRuleOncePerSpell: the stated limit is the base of
// the first cut of a second of work only. Lone requests throttled one
// after another (nothing accepted) each cut the rate again: each is a
// throttle of a request sent after the last cut, not a new start.
func TestPacerFirstSecondRuleOncePerSpell(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		want := 20.0
		for i := range BackoffAfter {
			send(t, p, 50*time.Millisecond, Throttled, 20)
			want *= cubicBeta
			if r := p.Stats().Rate; math.Abs(r-want) > 1e-9 {
				t.Fatalf("rate %v after throttle %d of lone requests stating 20/s, want %v", r, i+1, want)
			}
			time.Sleep(1500 * time.Millisecond) // nothing in flight, nothing answered for over a second
		}
	})
}

// TestPacerLongWindowLimitDecays: a limit stated over a window longer
// than a second ("limit:1,time:1 hour") is not a rate per second: the
// throttle cuts as one stating nothing would, and the rate grows back
// while the API accepts, instead of being held at the floor.
func TestPacerLongWindowLimitDecays(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		for range 20 {
			send(t, p, 50*time.Millisecond, Accepted, 0)
		}
		tk, _ := p.Acquire(context.Background())
		tk.Report(Throttled, ParseAnswer(t, `{"error_code":"APIG.0308","error_msg":"policy user over ratelimit,limit:1,time:1 hour"}`))
		if r, want := p.Stats().Rate, 20*cubicBeta; math.Abs(r-want) > 1e-9 {
			t.Fatalf("rate %v after a throttle stating 1 an hour with 20 answers accepted in the last second, want %v", r, want)
		}
		start := time.Now()
		for time.Since(start) < 10*time.Second {
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() { send(t, p, 50*time.Millisecond, Accepted, 0) })
			}
			wg.Wait()
		}
		if r := p.Stats().Rate; r < 20 {
			t.Fatalf("rate %v after 10 s of accepted answers, want it grown back (20/s or more)", r)
		}
	})
}

// ParseAnswer is the Answer of a throttling body.
func ParseAnswer(t *testing.T, body string) Answer {
	t.Helper()
	l := ParseLimit([]byte(body))
	if l.Rate == 0 {
		t.Fatalf("no limit in %s", body)
	}
	return Answer{Limit: l}
}

// TestPacerGrowthCappedAtTwiceWhatIsUsed: growing back, the rate never
// goes above twice the answers accepted over the last second, however
// far CUBIC's curve has run: an idle host does not bank a rate it never
// tried.
func TestPacerGrowthCappedAtTwiceWhatIsUsed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(0, 0)
		for range 10 {
			send(t, p, 100*time.Millisecond, Accepted, 0) // 10/s
		}
		send(t, p, 0, Throttled, 0)
		wMax := p.c.wMax
		time.Sleep(time.Minute) // the curve is now at thousands per second
		start := time.Now()
		for time.Since(start) < 3*time.Second {
			send(t, p, 50*time.Millisecond, Accepted, 0) // one at a time: 20/s at most
		}
		p.mu.Lock()
		n := len(p.c.accepted)
		p.mu.Unlock()
		r := p.Stats().Rate
		if r != 2*float64(n) || r <= wMax {
			t.Fatalf("rate %v with %d answers accepted in the last second (rate of the cut %v), want twice that", r, n, wMax)
		}
	})
}

func TestParseLimit(t *testing.T) {
	cases := map[string]Limit{
		`policy user over ratelimit,limit:20,time:1 second`: {20, time.Second},
		`limit:120,time:1 minute`:                           {2, time.Minute},
		`limit:1,time:1 hour`:                               {1.0 / 3600, time.Hour},
		`LIMIT: 5 , TIME: 2 SECOND`:                         {2.5, 2 * time.Second},
		`limit:3,time:2 day`:                                {3.0 / 172800, 48 * time.Hour},
		`limit:3,time:400 day`:                              {},
		`{"Code":"Throttling.User"}`:                        {},
	}
	for body, want := range cases {
		if got := ParseLimit([]byte(body)); got != want {
			t.Errorf("ParseLimit(%q) = %+v, want %+v", body, got, want)
		}
	}
}
