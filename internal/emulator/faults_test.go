package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHuaweiSignatureFaults(t *testing.T) {
	const token = "hw-temporary-token-value"
	e := newEnv(t, Options{})
	et := newEnv(t, Options{HuaweiSecurityToken: token})
	ws := WorkspaceID(1)
	body := []byte(`{"status":"FAILED"}`)
	post := func(e *env) *http.Request { return e.hwReq("POST", alPath(ws), pageQ(0, 10), body) }
	get := func(e *env) *http.Request { return e.hwReq("GET", recPath(), url.Values{"limit": {"5"}}, nil) }

	wantOK(t, e.send(post(e)))
	wantOK(t, e.send(get(e)))
	wantOK(t, et.send(get(et)))

	cases := []struct {
		name string
		env  *env
		req  func() *http.Request
	}{
		{"changed body", e, func() *http.Request {
			r := post(e)
			nb := []byte(`{"status":"RUNNING"}`)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(nb)), int64(len(nb))
			return r
		}},
		{"changed query", e, func() *http.Request { r := get(e); r.URL.RawQuery = "limit=6"; return r }},
		{"added query", e, func() *http.Request { r := get(e); r.URL.RawQuery += "&status=FAILED"; return r }},
		{"changed path", e, func() *http.Request {
			r := get(e)
			r.URL.Path = "/v2/" + ProjectID("cn-east-3") + "/script-execution-records"
			return r
		}},
		{"changed signed header", e, func() *http.Request {
			r := post(e)
			r.Header.Set("Content-Type", "application/json")
			return r
		}},
		{"changed date", e, func() *http.Request {
			r := get(e)
			d, _ := time.Parse(huaweiDateFmt, r.Header.Get("X-Sdk-Date"))
			r.Header.Set("X-Sdk-Date", d.Add(time.Second).Format(huaweiDateFmt))
			return r
		}},
		{"date 16 minutes old", e, func() *http.Request {
			r := e.newReq("GET", recPath(), nil, nil)
			signHW(r, nil, e.hw, time.Now().Add(-16*time.Minute))
			return r
		}},
		{"date 16 minutes ahead", e, func() *http.Request {
			r := e.newReq("GET", recPath(), nil, nil)
			signHW(r, nil, e.hw, time.Now().Add(16*time.Minute))
			return r
		}},
		{"wrong secret", e, func() *http.Request {
			r := e.newReq("GET", recPath(), nil, nil)
			signHW(r, nil, hwCreds{DemoHuaweiAccessKey, "not-the-secret", ""}, time.Now())
			return r
		}},
		{"unknown access key", e, func() *http.Request {
			r := e.newReq("GET", recPath(), nil, nil)
			signHW(r, nil, hwCreds{"SOMEOTHERAK", DemoHuaweiSecretKey, ""}, time.Now())
			return r
		}},
		{"no authorization", e, func() *http.Request { return e.newReq("GET", recPath(), nil, nil) }},
		{"no date", e, func() *http.Request { r := get(e); r.Header.Del("X-Sdk-Date"); return r }},
		{"token sent without one configured", e, func() *http.Request {
			r := e.newReq("GET", recPath(), nil, nil)
			signHW(r, nil, hwCreds{DemoHuaweiAccessKey, DemoHuaweiSecretKey, "stray"}, time.Now())
			return r
		}},
		{"missing token", et, func() *http.Request {
			r := et.newReq("GET", recPath(), nil, nil)
			signHW(r, nil, hwCreds{DemoHuaweiAccessKey, DemoHuaweiSecretKey, ""}, time.Now())
			return r
		}},
		{"wrong token", et, func() *http.Request {
			r := et.newReq("GET", recPath(), nil, nil)
			signHW(r, nil, hwCreds{DemoHuaweiAccessKey, DemoHuaweiSecretKey, "other-token"}, time.Now())
			return r
		}},
		{"token not signed", et, func() *http.Request {
			r := et.newReq("GET", recPath(), nil, nil)
			signHW(r, nil, hwCreds{DemoHuaweiAccessKey, DemoHuaweiSecretKey, ""}, time.Now())
			r.Header.Set("X-Security-Token", token)
			return r
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.env.send(c.req())
			er := wantHWErr(t, r, 401, "APIG.0301")
			if !strings.HasPrefix(er.ErrorMsg, "Incorrect IAM authentication information: ") {
				t.Fatalf("message %q", er.ErrorMsg)
			}
			for _, secret := range []string{DemoHuaweiSecretKey, token} {
				if bytes.Contains(r.body, []byte(secret)) {
					t.Fatal("error answer contains a secret")
				}
			}
		})
	}
	// 14 minutes of skew is within the window.
	r := e.newReq("GET", recPath(), nil, nil)
	signHW(r, nil, e.hw, time.Now().Add(-14*time.Minute))
	wantOK(t, e.send(r))
}

func TestAliSignatureFaults(t *testing.T) {
	const token = "ali-sts-token-value"
	e := newEnv(t, Options{})
	et := newEnv(t, Options{AliSecurityToken: token})
	q := url.Values{"ExecutionId": {ExecutionID(1)}, "MaxResults": {"5"}}
	wantOK(t, e.send(e.aliReq(q)))
	wantOK(t, et.send(et.aliReq(q)))
	unsigned := func(e *env) *http.Request {
		r := e.newReq("POST", "/", q, nil)
		r.Header.Set("x-acs-action", "ListExecutionLogs")
		r.Header.Set("x-acs-version", "2019-06-01")
		return r
	}
	cases := []struct {
		name   string
		env    *env
		req    func() *http.Request
		status int
		code   string
	}{
		{"changed body", e, func() *http.Request {
			r := e.aliReq(q)
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader("x=1")), 3
			return r
		}, 400, "SignatureDoesNotMatch"},
		{"changed query", e, func() *http.Request { r := e.aliReq(q); r.URL.RawQuery += "&LogType=System"; return r }, 400, "SignatureDoesNotMatch"},
		{"changed header", e, func() *http.Request {
			r := e.aliReq(q)
			r.Header.Set("x-acs-signature-nonce", r.Header.Get("x-acs-signature-nonce")+"0")
			return r
		}, 400, "SignatureDoesNotMatch"},
		{"wrong secret", e, func() *http.Request {
			r := unsigned(e)
			signAli(r, nil, aliCreds{DemoAliAccessKey, "wrong", ""}, time.Now())
			return r
		}, 400, "SignatureDoesNotMatch"},
		{"unknown access key", e, func() *http.Request {
			r := unsigned(e)
			signAli(r, nil, aliCreds{"LTAIother", DemoAliSecretKey, ""}, time.Now())
			return r
		}, 404, "InvalidAccessKeyId.NotFound"},
		{"date 16 minutes old", e, func() *http.Request {
			r := unsigned(e)
			signAli(r, nil, e.ali, time.Now().Add(-16*time.Minute))
			return r
		}, 400, "InvalidTimeStamp.Expired"},
		{"no authorization", e, func() *http.Request { return unsigned(e) }, 400, "IncompleteSignature"},
		{"no nonce", e, func() *http.Request { r := e.aliReq(q); r.Header.Del("x-acs-signature-nonce"); return r }, 400, "IncompleteSignature"},
		{"unsigned x-acs header", e, func() *http.Request { r := e.aliReq(q); r.Header.Set("x-acs-extra", "1"); return r }, 400, "IncompleteSignature"},
		{"token sent without one configured", e, func() *http.Request {
			r := unsigned(e)
			signAli(r, nil, aliCreds{DemoAliAccessKey, DemoAliSecretKey, "stray"}, time.Now())
			return r
		}, 400, "InvalidSecurityToken.MismatchWithAccessKey"},
		{"missing token", et, func() *http.Request {
			r := unsigned(et)
			signAli(r, nil, aliCreds{DemoAliAccessKey, DemoAliSecretKey, ""}, time.Now())
			return r
		}, 400, "InvalidSecurityToken.MismatchWithAccessKey"},
		{"wrong token", et, func() *http.Request {
			r := unsigned(et)
			signAli(r, nil, aliCreds{DemoAliAccessKey, DemoAliSecretKey, "other"}, time.Now())
			return r
		}, 400, "InvalidSecurityToken.MismatchWithAccessKey"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.env.send(c.req())
			wantAliErr(t, r, c.status, c.code)
			for _, secret := range []string{DemoAliSecretKey, token} {
				if bytes.Contains(r.body, []byte(secret)) {
					t.Fatal("error answer contains a secret")
				}
			}
		})
	}
	t.Run("replayed nonce", func(t *testing.T) {
		r := e.aliReq(q)
		wantOK(t, e.send(r))
		wantAliErr(t, e.send(r.Clone(t.Context())), 400, "SignatureNonceUsed")
	})
}

// A bad signature is never turned into a fault answer (or a success).
func TestSignatureCheckedBeforeFaults(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{ThrottleEvery: 1}})
	wantHWErr(t, e.send(e.newReq("GET", recPath(), nil, nil)), 401, "APIG.0301")
	wantAliErr(t, e.send(e.newReq("POST", "/", url.Values{"ExecutionId": {"exec-0001"}}, nil)), 400, "IncompleteSignature")
	wantHWErr(t, e.send(e.hwReq("GET", recPath(), nil, nil)), 429, "APIG.0308")
}

func TestFaultLatency(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{Latency: 60 * time.Millisecond}})
	start := time.Now()
	wantOK(t, e.send(e.hwReq("GET", recPath(), nil, nil)))
	if el := time.Since(start); el < 60*time.Millisecond {
		t.Fatalf("answered after %v, before the injected latency", el)
	}
	// IAM is out of scope by default: its answer does not wait.
	e.s.SetFaults(Faults{Latency: time.Hour})
	wantOK(t, e.send(e.hwReq("GET", "/v3/projects", nil, nil)))
	// A client that gives up is let go, and the request is recorded as such.
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := sendCtx(ctx, e.hwReq("GET", recPath(), nil, nil)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	waitStatus(t, e.s, APIScriptRecords, 1, StatusClientGone)
}

// waitStatus polls until recorded request i of api has status want.
func waitStatus(t *testing.T, s *Server, api string, i, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if rec := s.Recorded(api); len(rec) > i && rec[i].Status == want {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("request %d of %s never reached status %d: %+v", i, api, want, s.Recorded(api))
}

func TestFaultThrottle(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{ThrottleEvery: 3}})
	for i := 1; i <= 6; i++ {
		r := e.send(e.hwReq("GET", recPath(), nil, nil))
		if i%3 != 0 {
			wantOK(t, r)
			continue
		}
		er := wantHWErr(t, r, 429, "APIG.0308")
		if !strings.Contains(er.ErrorMsg, "throttling threshold") || r.header.Get("Retry-After") != "" {
			t.Fatalf("throttle answer %+v, Retry-After %q", er, r.header.Get("Retry-After"))
		}
	}
	e.s.SetFaults(Faults{ThrottleEvery: 1, RetryAfter: 1500 * time.Millisecond})
	r := e.send(e.hwReq("GET", recPath(), nil, nil))
	wantHWErr(t, r, 429, "APIG.0308")
	if r.header.Get("Retry-After") != "2" {
		t.Fatalf("Retry-After %q, want 2", r.header.Get("Retry-After"))
	}
	r = e.send(e.aliReq(url.Values{"ExecutionId": {"exec-0001"}}))
	wantAliErr(t, r, 400, "Throttling.User")
	if r.header.Get("Retry-After") != "2" {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	// SetFaults resets the counters: with every 2nd throttled, the first
	// request after it passes again.
	e.s.SetFaults(Faults{ThrottleEvery: 2})
	wantOK(t, e.send(e.hwReq("GET", recPath(), nil, nil)))
	wantHWErr(t, e.send(e.hwReq("GET", recPath(), nil, nil)), 429, "APIG.0308")
	// Counters are per API.
	wantOK(t, e.send(e.hwReq("GET", evPath("sr-0001"), nil, nil)))
	// The limit Huawei's answers state: 20 a second unless set.
	e.s.SetFaults(Faults{ThrottleEvery: 1})
	if er := wantHWErr(t, e.send(e.hwReq("GET", recPath(), nil, nil)), 429, "APIG.0308"); !strings.HasSuffix(er.ErrorMsg, "limit:20, time:1 second") {
		t.Fatalf("message %q, want the default limit", er.ErrorMsg)
	}
	e.s.SetFaults(Faults{ThrottleEvery: 1, ThrottleLimit: "limit:1,time:1 hour"})
	if er := wantHWErr(t, e.send(e.hwReq("GET", recPath(), nil, nil)), 429, "APIG.0308"); !strings.HasSuffix(er.ErrorMsg, "policy user over ratelimit, limit:1,time:1 hour") {
		t.Fatalf("message %q, want the limit set", er.ErrorMsg)
	}
}

func TestFaultScope(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{APIs: []string{APIDesktopEvents}, ThrottleEvery: 1}})
	wantOK(t, e.send(e.hwReq("GET", recPath(), nil, nil)))
	wantHWErr(t, e.send(e.hwReq("GET", evPath("sr-0001"), nil, nil)), 429, "APIG.0308")
	e.s.SetFaults(Faults{ThrottleEvery: 1})
	wantOK(t, e.send(e.hwReq("GET", "/v3/projects", nil, nil)))
	e.s.SetFaults(Faults{ThrottleEvery: 1, APIs: []string{APIIAM}})
	wantHWErr(t, e.send(e.hwReq("GET", "/v3/projects", nil, nil)), 429, "APIG.0308")
}

func TestFaultServerError(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{ServerErrorEvery: 2}})
	wantOK(t, e.send(e.hwReq("GET", recPath(), nil, nil)))
	wantHWErr(t, e.send(e.hwReq("GET", recPath(), nil, nil)), 500, "WKS.00000500")
	wantOK(t, e.send(e.hwReq("POST", alPath("ws-0001"), pageQ(0, 10), []byte(`{}`))))
	wantSMErr(t, e.send(e.hwReq("POST", alPath("ws-0001"), pageQ(0, 10), []byte(`{}`))), 500, "SecMaster.00050001")
	wantOK(t, e.send(e.aliReq(url.Values{"ExecutionId": {"exec-0001"}})))
	wantAliErr(t, e.send(e.aliReq(url.Values{"ExecutionId": {"exec-0001"}})), 503, "ServiceUnavailable")
}

func TestFaultStall(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{StallEvery: 2, StallFor: time.Hour}})
	wantOK(t, e.send(e.hwReq("GET", recPath(), nil, nil)))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := sendCtx(ctx, e.hwReq("GET", recPath(), nil, nil))
		done <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for e.s.Requests(APIScriptRecords) < 2 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	if st := e.s.Recorded(APIScriptRecords)[1].Status; st != 0 {
		t.Fatalf("stalled request already answered with %d", st)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("client err %v", err)
	}
	// The handler stops when the client goes away (long before an hour).
	waitStatus(t, e.s, APIScriptRecords, 1, StatusClientGone)

	// A short stall answers normally afterwards.
	e.s.SetFaults(Faults{StallEvery: 1, StallFor: 30 * time.Millisecond})
	start := time.Now()
	wantOK(t, e.send(e.hwReq("GET", recPath(), nil, nil)))
	if time.Since(start) < 30*time.Millisecond {
		t.Fatal("no stall")
	}
}

// waitInFlight polls until MaxInFlight(api) reaches n.
func waitInFlight(t *testing.T, s *Server, api string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if s.MaxInFlight(api) >= n {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("MaxInFlight(%s) = %d, never reached %d", api, s.MaxInFlight(api), n)
}

func TestFaultTruncate(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{TruncateEvery: 2}})
	q := url.Values{"limit": {"3"}}
	full := e.send(e.hwReq("GET", recPath(), q, nil))
	wantOK(t, full)
	// An error answer does not count as a success.
	wantHWErr(t, e.send(e.hwReq("GET", recPath(), url.Values{"limit": {"0"}}, nil)), 400, "WKS.00000400")
	cut := e.send(e.hwReq("GET", recPath(), q, nil))
	if cut.status != 200 || json.Valid(cut.body) || len(cut.body) != len(full.body)/2 ||
		!bytes.HasPrefix(full.body, cut.body) {
		t.Fatalf("truncated answer: status %d, %d of %d bytes", cut.status, len(cut.body), len(full.body))
	}
	wantOK(t, e.send(e.hwReq("GET", recPath(), q, nil)))
	r := e.send(e.aliReq(url.Values{"ExecutionId": {"exec-0001"}}))
	wantOK(t, r)
	r = e.send(e.aliReq(url.Values{"ExecutionId": {"exec-0001"}}))
	if r.status != 200 || json.Valid(r.body) {
		t.Fatalf("OOS truncation: %d %s", r.status, r.body)
	}
}

func TestFaultCountDrift(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{CountDrift: 7}})
	first := decodeAs[tScriptRecords](t, e.send(e.hwReq("GET", recPath(), nil, nil)))
	next := decodeAs[tScriptRecords](t, e.send(e.hwReq("GET", recPath(), url.Values{"offset": {"10"}}, nil)))
	if next.Count != first.Count+7 {
		t.Fatalf("counts %d then %d", first.Count, next.Count)
	}
	ev0 := decodeAs[tEvents](t, e.send(e.hwReq("GET", evPath("sr-0001"), nil, nil)))
	ev1 := decodeAs[tEvents](t, e.send(e.hwReq("GET", evPath("sr-0001"), url.Values{"offset": {"10"}}, nil)))
	if ev1.TotalCount != ev0.TotalCount+7 {
		t.Fatalf("total counts %d then %d", ev0.TotalCount, ev1.TotalCount)
	}
	a0 := decodeAs[tAuditLogs](t, e.send(e.hwReq("POST", alPath("ws-0001"), pageQ(0, 10), []byte(`{}`))))
	a1 := decodeAs[tAuditLogs](t, e.send(e.hwReq("POST", alPath("ws-0001"), pageQ(10, 10), []byte(`{}`))))
	if a1.Count != a0.Count+7 {
		t.Fatalf("audit counts %d then %d", a0.Count, a1.Count)
	}
}

func TestFaultRepeatToken(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{RepeatToken: true}})
	q := url.Values{"ExecutionId": {"exec-0001"}, "MaxResults": {"100"}}
	p1 := decodeAs[tExecLogs](t, e.send(e.aliReq(q)))
	q.Set("NextToken", p1.NextToken)
	p2 := decodeAs[tExecLogs](t, e.send(e.aliReq(q)))
	if p1.NextToken == "" || p2.NextToken != p1.NextToken || !p2.IsTruncated {
		t.Fatalf("tokens %q then %q (truncated %v)", p1.NextToken, p2.NextToken, p2.IsTruncated)
	}
	// 130 logs: page 2 is the last one, yet it still repeats the token.
	if len(p2.ExecutionLogs) != 30 {
		t.Fatalf("page 2 has %d logs", len(p2.ExecutionLogs))
	}
}

func TestCountersAndRecordings(t *testing.T) {
	e := newEnv(t, Options{})
	wantOK(t, e.send(e.hwReq("GET", recPath(), url.Values{"limit": {"2"}}, nil)))
	wantHWErr(t, e.send(e.newReq("GET", recPath(), nil, nil)), 401, "APIG.0301")
	wantOK(t, e.send(e.hwReq("POST", alPath("ws-0001"), pageQ(0, 10), []byte(`{"status":"FAILED"}`))))
	if n := e.s.Requests(APIScriptRecords); n != 2 {
		t.Fatalf("Requests = %d, want 2 (rejected ones count)", n)
	}
	rec := e.s.Recorded(APIScriptRecords)
	if len(rec) != 2 || rec[0].Status != 200 || rec[1].Status != 401 || rec[0].Method != "GET" ||
		rec[0].Path != recPath() || rec[0].RawQuery != "limit=2" ||
		!strings.HasPrefix(rec[0].Header.Get("Authorization"), "SDK-HMAC-SHA256 ") || rec[0].Header.Get("Host") == "" {
		t.Fatalf("recordings %+v", rec)
	}
	al := e.s.Recorded(APIAuditLogs)
	if len(al) != 1 || string(al[0].Body) != `{"status":"FAILED"}` || al[0].Method != "POST" {
		t.Fatalf("audit recordings %+v", al)
	}
	al[0].Body[0] = 'X' // a copy: the server's recording is unchanged
	if string(e.s.Recorded(APIAuditLogs)[0].Body) != `{"status":"FAILED"}` {
		t.Fatal("Recorded returned the server's own slice")
	}
	if e.s.Requests(APIExecutionLogs) != 0 || e.s.Recorded(APIExecutionLogs) != nil {
		t.Fatal("counts for an API never called")
	}
	e.s.ResetCounters()
	if e.s.Requests(APIScriptRecords) != 0 || len(e.s.Recorded(APIScriptRecords)) != 0 || e.s.MaxInFlight(APIScriptRecords) != 0 {
		t.Fatal("ResetCounters left counts")
	}
}

func TestMaxInFlight(t *testing.T) {
	e := newEnv(t, Options{Faults: Faults{StallEvery: 1, StallFor: time.Hour}})
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for range 3 {
		req := e.hwReq("GET", recPath(), nil, nil)
		wg.Go(func() { _, _ = sendCtx(ctx, req) })
	}
	waitInFlight(t, e.s, APIScriptRecords, 3)
	cancel()
	wg.Wait()
	for i := range 3 {
		waitStatus(t, e.s, APIScriptRecords, i, StatusClientGone)
	}
	if m := e.s.MaxInFlight(APIScriptRecords); m != 3 {
		t.Fatalf("MaxInFlight %d", m)
	}
	// Sequential requests never overlap.
	e.s.SetFaults(Faults{})
	e.s.ResetCounters()
	for range 3 {
		wantOK(t, e.send(e.hwReq("GET", recPath(), nil, nil)))
	}
	if m := e.s.MaxInFlight(APIScriptRecords); m != 1 {
		t.Fatalf("sequential MaxInFlight %d", m)
	}
}
