package emulator

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestRateLimit: a token bucket per API with a burst of the limit; the
// requests over it get each cloud's throttling answer, stating the limit
// for Huawei, and are counted per API; the bucket refills at the rate.
func TestRateLimit(t *testing.T) {
	now := time.Now()
	e := newEnv(t, Options{Faults: Faults{RateLimit: 3}, Now: func() time.Time { return now }})
	for i := range 5 {
		r := e.send(e.hwReq("GET", recPath(), nil, nil))
		if i < 3 {
			wantOK(t, r)
			continue
		}
		er := wantHWErr(t, r, 429, "APIG.0308")
		if !strings.Contains(er.ErrorMsg, "policy user over ratelimit,limit:3,time:1 second") {
			t.Fatalf("throttle message %q does not state the limit", er.ErrorMsg)
		}
	}
	// Another API has its own bucket; Alibaba answers Throttling.User.
	for range 3 {
		wantOK(t, e.send(e.aliReq(url.Values{"ExecutionId": {"exec-0001"}})))
	}
	wantAliErr(t, e.send(e.aliReq(url.Values{"ExecutionId": {"exec-0001"}})), 400, "Throttling.User")
	if a, b := e.s.Throttled(APIScriptRecords), e.s.Throttled(APIExecutionLogs); a != 2 || b != 1 {
		t.Fatalf("throttled %d and %d, want 2 and 1", a, b)
	}
	// Half a second later one token and a half are back.
	now = now.Add(time.Second / 2)
	wantOK(t, e.send(e.hwReq("GET", recPath(), nil, nil)))
	wantHWErr(t, e.send(e.hwReq("GET", recPath(), nil, nil)), 429, "APIG.0308")
	e.s.ResetThrottled()
	if n := e.s.Throttled(APIScriptRecords); n != 0 {
		t.Fatalf("throttled %d after ResetThrottled", n)
	}
}
