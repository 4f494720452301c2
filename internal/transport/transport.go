// Package transport is the one HTTP layer under both clouds' clients.
//
// Every call goes through Client.Do, which owns what both clouds share: one
// Pacer per API host that every attempt waits for (see Pacer); retries of
// throttled requests (HTTP 429 or a cloud's own throttling code) for as long
// as the caller's deadline allows, and of 5xx and transport-failed requests
// up to MaxRetries with capped exponential backoff and full jitter;
// Retry-After honoured (never less than MinThrottleWait after a throttle);
// a fresh signature for every attempt, a per-attempt timeout, the caller's
// context respected at every wait, and one structured tflog line per
// attempt with every secret masked.
//
// A Request is a description, not an *http.Request: the transport builds a
// new *http.Request for each attempt and hands it to Request.Sign, so each
// attempt carries its own date and nonce. Responses are read whole (bounded
// by MaxBodyBytes) before they are returned, so a body cut off mid-way is a
// transport failure that is retried, never a half-read page.
package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Defaults applied by New to zero-valued Options fields.
const (
	DefaultRequestTimeout = 60 * time.Second
	DefaultBaseBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff     = 20 * time.Second
	// MaxRetryAfter caps how long a server's Retry-After can make us wait.
	MaxRetryAfter = 2 * time.Minute
	// DefaultMinThrottleWait is the least a throttled request waits before
	// it queues again, whatever Retry-After says (a "Retry-After: 0" storm
	// does not spin).
	DefaultMinThrottleWait = 100 * time.Millisecond
	// DefaultThrottleBudget bounds the retries of a throttled request whose
	// caller set no deadline (the data sources' default timeouts.read).
	DefaultThrottleBudget = 20 * time.Minute
	// DefaultMaxBodyBytes bounds one response body, after decompression.
	// One page is all a body ever holds: at most 100 items (the largest
	// page any of the list APIs serves) of a dozen fields, the largest
	// documented item (an OOS log message) a few KiB. 8 MiB is 80 KiB per
	// item, more than 20 times the largest item the API documents show,
	// and keeps 32 pages in flight (max_parallel_requests' limit) under
	// 256 MiB of bodies even when every one of them is hostile.
	DefaultMaxBodyBytes = 8 << 20
	// bodyChunkBytes is the unit a body of unknown length is read in.
	bodyChunkBytes = 64 << 10
)

// Options configure a Client. Zero values take the defaults above.
type Options struct {
	// MaxRetries is the number of retries of 5xx answers and transport
	// failures (0: none). Throttled requests are retried until the caller's
	// deadline, or ThrottleBudget without one.
	MaxRetries int
	// MaxRequestsPerSecond caps the send rate to each API host, for every
	// request of the Client together (0: no cap; the pacers still adapt).
	MaxRequestsPerSecond float64
	// MinThrottleWait is the least wait after a throttled attempt.
	MinThrottleWait time.Duration
	// ThrottleBudget bounds throttling retries without a caller deadline.
	ThrottleBudget time.Duration
	// MinRate is the lowest rate a pacer is cut to (0: MinRate); tests
	// whose faults throttle regardless of the rate raise it.
	MinRate float64
	// InitialWindow is the requests a host gets in flight before any is
	// answered (0: InitialWindow); tests that measure many requests in
	// flight at once raise it.
	InitialWindow int
	// PacingDir, when set, is the directory of the pacers' state files
	// (share.go, DefaultPacingDir): the pacer of a host and account
	// (Request.Account) shares its rate with the other processes on the
	// machine whose pacers use the same file. Empty: each pacer is this
	// process's alone.
	PacingDir string
	// RequestTimeout bounds one attempt, from sending to the body's last byte.
	RequestTimeout time.Duration
	// Insecure skips TLS certificate verification.
	Insecure bool
	// RootCAs, when set, are the roots TLS certificates are verified
	// against instead of the system's (CACertPool adds a file's to them).
	RootCAs *x509.CertPool
	// UserAgent is sent on every request.
	UserAgent string
	// BaseBackoff and MaxBackoff shape the backoff: attempt n waits a random
	// duration in [0, min(MaxBackoff, BaseBackoff*2^(n-1))).
	BaseBackoff, MaxBackoff time.Duration
	// MaxBodyBytes bounds one response body; a larger one is an error.
	MaxBodyBytes int64
	// Secrets are masked wherever they would appear in a log line.
	Secrets []string
	// HTTPClient replaces the default client (tests).
	HTTPClient *http.Client
	// LoopbackOnly refuses requests to anything but loopback addresses,
	// judged by the target host whatever proxy the environment names, and
	// sends the others directly, never through a proxy (tests; also set by
	// the environment variable EnvLoopbackOnly). It applies to the default
	// client only.
	LoopbackOnly bool
	// Stop, when set, ends every request of the Client once it is done:
	// attempts in progress are abandoned, waits end, and new requests fail
	// at once, whatever the caller's own context, with an *Error wrapping
	// ErrStopped. The provider binary sets it to a context that ends when
	// its process is interrupted (see the provider's WithStop).
	Stop context.Context
}

// ErrStopped is the cause of requests ended by Options.Stop.
var ErrStopped = errors.New("interrupted: the provider is stopping")

// Client sends Requests with retries. It is safe for concurrent use.
type Client struct {
	opts Options
	http *http.Client
	// masked holds what Mask hides (secrets.go); secretsOnce fills it
	// from opts.Secrets.
	masked      secretSet
	secretsOnce sync.Once

	mu     sync.Mutex
	pacers map[pacerKey]*Pacer
}

// pacerKey names a pacer: its host and account (Request.Account).
type pacerKey struct{ host, account string }

// New returns a Client for the options.
func New(o Options) *Client {
	if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = DefaultBaseBackoff
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.MaxBackoff < o.BaseBackoff {
		o.MaxBackoff = o.BaseBackoff
	}
	if o.MinThrottleWait <= 0 {
		o.MinThrottleWait = DefaultMinThrottleWait
	}
	if o.ThrottleBudget <= 0 {
		o.ThrottleBudget = DefaultThrottleBudget
	}
	if o.MaxRequestsPerSecond < 0 {
		o.MaxRequestsPerSecond = 0
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.UserAgent == "" {
		o.UserAgent = "terraform-provider-opsaudit"
	}
	if loopbackOnlyFromEnv() {
		o.LoopbackOnly = true
	}
	hc := o.HTTPClient
	if hc == nil {
		dial, proxy := dialer.DialContext, http.ProxyFromEnvironment
		if o.LoopbackOnly {
			dial, proxy = loopbackOnly(dial), loopbackProxy
		}
		tr := &http.Transport{
			Proxy:                 proxy,
			DialContext:           dial,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   64,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		}
		tr.TLSClientConfig = &tls.Config{
			MinVersion: tls.VersionTLS12,
			RootCAs:    o.RootCAs,
			// Only when the user sets insecure = true, for private endpoints.
			InsecureSkipVerify: o.Insecure, //nolint:gosec // opt-in, documented
		}
		hc = &http.Client{
			Transport: tr,
			// A signed request must not be replayed at another address.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	c := &Client{opts: o, pacers: map[pacerKey]*Pacer{}}
	c.http = c.remembering(hc)
	c.secretSet()
	return c
}

// MaxRetries reports the configured number of retries.
func (c *Client) MaxRetries() int { return c.opts.MaxRetries }

// Request is one logical API call. The transport builds a fresh
// *http.Request from it for every attempt.
type Request struct {
	// Operation names the API operation in logs and errors, e.g. "ListExecutionLogs".
	Operation string
	Method    string
	// URL is the full URL; its raw query is sent exactly as given.
	URL string
	// Header holds static headers (Content-Type, X-Project-Id, ...).
	Header http.Header
	Body   []byte
	// Sign is called on every attempt's request: it sets dates, nonces and
	// the Authorization header.
	Sign func(req *http.Request, body []byte) error
	// Retryable reports cloud-specific throttling answers (e.g. a
	// throttling code in an HTTP 400 or 503) besides HTTP 429: they are
	// retried as throttled requests. May be nil.
	Retryable func(resp *Response) bool
	// Decode, when set, turns a throttling answer into the cloud's own
	// error; the error of a request throttled until its deadline wraps the
	// last one. May be nil.
	Decode func(resp *Response) error
	// Account names who sends the request (e.g. its access key), for the
	// pacer shared with other processes (Options.PacingDir): the state
	// file is per host and account, named by a hash of both; the account
	// itself is never written. Empty: the host's pacer is this process's
	// alone.
	Account string
}

// Response is a completed HTTP exchange, whatever its status.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	// Attempts is how many attempts were made, the last one included.
	Attempts int
	// Duration is the time from the first attempt to the last byte.
	Duration time.Duration
	// Throttled is how many attempts were throttled before this answer.
	Throttled int

	mask func(string) string // the client's Mask (secrets.go)
}

// RequestID returns the request id the server sent in a header, if any.
func (r *Response) RequestID() string {
	if r == nil {
		return ""
	}
	return requestID(r.Header)
}

// Error is a request that got no usable HTTP response: a transport failure
// or timeout after every retry, a body over the size limit, or a context
// that ended.
type Error struct {
	Operation string
	Method    string
	Host      string
	Attempts  int
	// Timeout is set when the last attempt ran out of its per-request time.
	Timeout time.Duration
	Err     error

	mask func(string) string // the client's Mask (secrets.go)
}

func (e *Error) Error() string {
	what := fmt.Sprintf("%s (%s %s)", e.Operation, e.Method, e.Host)
	if e.Timeout > 0 {
		return fmt.Sprintf("%s: no response within the request timeout of %s after %d attempt(s)", what, e.Timeout, e.Attempts)
	}
	s := fmt.Sprintf("%s: request failed after %d attempt(s): %v", what, e.Attempts, e.Err)
	if e.mask != nil {
		s = e.mask(s)
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Do sends r, retrying as the package documentation describes, and returns
// the final response for any HTTP status. The error is non-nil only when no
// usable response was had (see Error). Log lines and the error are masked
// (see Mask).
func (c *Client) Do(ctx context.Context, r *Request) (*Response, error) {
	resp, err := c.do(c.maskLogs(ctx, r), r)
	var te *Error
	if errors.As(err, &te) {
		te.mask = c.Mask
	}
	return resp, err
}

// DoOK is Do for a caller that takes only a 2xx answer: any other answer
// is returned as the error Request.Decode makes of it (the cloud's own
// error, as Decode returns it), or, without Decode, as an error naming the
// operation and the status.
func (c *Client) DoOK(ctx context.Context, r *Request) (*Response, error) {
	resp, err := c.Do(ctx, r)
	switch {
	case err != nil:
		return nil, err
	case resp.StatusCode >= 200 && resp.StatusCode <= 299:
		return resp, nil
	case r.Decode != nil:
		return nil, r.Decode(resp)
	}
	return nil, fmt.Errorf("%s: HTTP %d %s", r.Operation, resp.StatusCode, http.StatusText(resp.StatusCode))
}

// errTimeout marks an attempt that ran out of its own time.
var errTimeout = errors.New("request timeout")

// do is Do without the masking (Do wraps it; secrets.go has the masking).
func (c *Client) do(ctx context.Context, r *Request) (*Response, error) {
	read := ctx // the caller's: a pager gives every page of a read the same one
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, &Error{Operation: r.Operation, Method: r.Method, Attempts: 0, Err: fmt.Errorf("invalid URL: %w", err)}
	}
	if stop := c.opts.Stop; stop != nil {
		if stop.Err() != nil {
			return nil, &Error{Operation: r.Operation, Method: r.Method, Host: u.Host, Err: ErrStopped}
		}
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(ctx)
		defer cancel(nil)
		unhook := context.AfterFunc(stop, func() { cancel(ErrStopped) })
		defer unhook()
	}
	ctx = tflog.SetField(ctx, "operation", r.Operation)

	pacer := c.pacer(ctx, u.Host, r.Account)
	start := time.Now()
	// Throttled requests are retried for as long as the caller's deadline
	// allows; without one, for ThrottleBudget.
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, c.opts.ThrottleBudget, errThrottleBudget)
		defer cancel()
	}
	th := throttleRecord{host: u.Host, pacer: pacer, start: start, decode: r.Decode}
	fail := func(attempts int, err error) (*Response, error) {
		e := &Error{Operation: r.Operation, Method: r.Method, Host: u.Host, Attempts: attempts, Err: err}
		if th.count > 0 && !errors.Is(err, ErrStopped) && !errors.Is(err, context.Canceled) {
			th.deadline = errors.Is(ctx.Err(), context.DeadlineExceeded)
			e.Err = th.err(err)
		}
		return nil, e
	}
	retries := 0
	for attempt := 1; ; attempt++ {
		ticket, err := pacer.AcquireFor(ctx, read)
		if err != nil {
			return fail(attempt-1, err)
		}
		resp, err := c.attempt(ctx, r, u, attempt)
		if err == nil || ctx.Err() == nil { // not an attempt the deadline cut off
			th.sent++
		}
		throttled := err == nil && (resp.StatusCode == http.StatusTooManyRequests ||
			(resp.StatusCode >= 300 && r.Retryable != nil && r.Retryable(resp)))
		var ra time.Duration
		var raOK bool
		if err == nil {
			ra, raOK = retryAfter(resp.Header, time.Now())
		}
		switch {
		case throttled:
			th.count++
			th.status = resp.StatusCode
			th.last = resp
			ticket.Report(Throttled, Answer{Limit: ParseLimit(resp.Body), RetryAfter: ra})
		case err != nil || resp.StatusCode >= 500:
			ticket.Done(Failed, 0)
		default:
			ticket.Done(Accepted, 0)
		}
		if ctx.Err() != nil {
			return fail(attempt, context.Cause(ctx))
		}
		var wait time.Duration
		var reason string
		switch {
		case throttled:
			reason = "throttled (HTTP " + strconv.Itoa(resp.StatusCode) + ")"
			wait = max(c.opts.MinThrottleWait, ra)
		case err != nil && !errors.Is(err, errBodyTooLarge) && certificateError(err) == nil && retries < c.opts.MaxRetries:
			retries++
			reason = err.Error()
			wait = c.backoff(retries)
		case err == nil && resp.StatusCode >= 500 && retries < c.opts.MaxRetries:
			retries++
			reason = "HTTP " + strconv.Itoa(resp.StatusCode)
			wait = c.backoff(retries)
			if raOK {
				wait = ra
			}
		default:
			if err != nil {
				if cert := certificateError(err); cert != nil {
					err = cert
				}
				e := &Error{Operation: r.Operation, Method: r.Method, Host: u.Host, Attempts: attempt, Err: err}
				if errors.Is(err, errTimeout) {
					e.Timeout = c.opts.RequestTimeout
				}
				return nil, e
			}
			resp.Attempts = attempt
			resp.Duration = time.Since(start)
			resp.Throttled = th.count
			return resp, nil
		}
		c.logDebug(ctx, "Retrying request", map[string]any{
			"attempt": attempt, "retries": retries, "max_retries": c.opts.MaxRetries, "throttled": th.count,
			"reason": reason, "wait_ms": wait.Milliseconds(),
		})
		if err := sleep(ctx, wait); err != nil {
			return fail(attempt, err)
		}
	}
}

// errThrottleBudget ends the retries of a throttled request whose caller
// set no deadline.
var errThrottleBudget = errors.New("throttling budget exhausted")

// throttleRecord is what one Do saw of throttling, for its error.
type throttleRecord struct {
	host  string
	pacer *Pacer
	start time.Time
	// sent counts the attempts sent (but one the end of the wait cut
	// off), count those throttled.
	sent, count int
	status      int
	last        *Response
	decode      func(*Response) error
	// deadline is set when the context's deadline ended the request.
	deadline bool
}

func (t *throttleRecord) err(cause error) error {
	st := t.pacer.Stats()
	e := &ThrottledError{
		Host: t.host, Sent: t.sent, Throttled: t.count, LastStatus: t.status, Waited: time.Since(t.start),
		HostThrottled: st.Throttled, HostSent: st.Sent, Cause: cause, Deadline: t.deadline,
	}
	if t.decode != nil && t.last != nil {
		e.Last = t.decode(t.last)
	}
	return e
}

// ThrottledError ends a request that the API kept throttling until the
// caller's time budget ran out.
type ThrottledError struct {
	Host string
	// Sent is how many attempts of this request were sent; Throttled how
	// many of them were throttled, the last one answering LastStatus.
	Sent, Throttled, LastStatus int
	// Waited is the time from the first attempt to the end.
	Waited time.Duration
	// HostThrottled and HostSent count every request of the provider to
	// Host.
	HostThrottled, HostSent int64
	// Cause is why the wait ended: the cause of the caller's context, or
	// errThrottleBudget without a deadline.
	Cause error
	// Deadline is set when the caller's deadline ended the wait.
	Deadline bool
	// Last is the last throttling answer as the cloud's error (Request.Decode),
	// when there is one.
	Last error
}

func (e *ThrottledError) Error() string {
	var until string
	switch {
	case errors.Is(e.Cause, errThrottleBudget):
		until = "until the throttling budget ran out"
	case e.Deadline && e.Cause.Error() == context.DeadlineExceeded.Error(): // the plain deadline: nothing to add
		until = "until the deadline"
	case e.Deadline:
		until = "until the deadline (" + e.Cause.Error() + ")"
	default:
		until = "until the wait ended (" + e.Cause.Error() + ")"
	}
	last := "HTTP " + strconv.Itoa(e.LastStatus)
	if e.Last != nil {
		last = e.Last.Error()
	}
	return fmt.Sprintf("throttled by the API %s: waited %s for the rate %s allows; "+
		"sent %d attempt(s) of this request, %d throttled; %d of %d requests to this host throttled in all; last answer: %s",
		until, e.Waited.Round(time.Millisecond), e.Host, e.Sent, e.Throttled, e.HostThrottled, e.HostSent, last)
}

// Unwrap gives the cause, context.DeadlineExceeded when the deadline ended
// the wait, and the last answer's error.
func (e *ThrottledError) Unwrap() []error {
	errs := []error{e.Cause}
	if e.Deadline {
		errs = append(errs, context.DeadlineExceeded)
	}
	if e.Last != nil {
		errs = append(errs, e.Last)
	}
	return errs
}

// Pacer returns the pacer of an API host for requests without an
// account, made on first use.
func (c *Client) Pacer(host string) *Pacer { return c.pacer(context.Background(), host, "") }

// pacer returns the pacer of an API host and account, made on first use:
// every request of the Client to that host with that account goes
// through it. With Options.PacingDir and an account, the pacer shares
// its state file (share.go).
func (c *Client) pacer(ctx context.Context, host, account string) *Pacer {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := pacerKey{host, account}
	p := c.pacers[k]
	if p == nil {
		p = newPacer(c.opts.MaxRequestsPerSecond, c.opts.MinRate, c.opts.InitialWindow)
		if c.opts.PacingDir != "" && account != "" {
			lctx := context.WithoutCancel(ctx)
			p.sh = newShare(c.opts.PacingDir, host, account, func(msg string, fields map[string]any) { tflog.Debug(lctx, msg, fields) })
		}
		c.pacers[k] = p
	}
	return p
}

var errBodyTooLarge = errors.New("response body over the size limit")

// attempt makes one signed attempt and reads the whole body.
func (c *Client) attempt(ctx context.Context, r *Request, u *url.URL, n int) (*Response, error) {
	actx, cancel := context.WithTimeoutCause(ctx, c.opts.RequestTimeout, errTimeout)
	defer cancel()
	began := time.Now()

	req, err := http.NewRequestWithContext(actx, r.Method, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return nil, err
	}
	req.Header = r.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if r.Sign != nil {
		if err := r.Sign(req, r.Body); err != nil {
			return nil, fmt.Errorf("signing request: %w", err)
		}
	}

	fields := map[string]any{
		"method": r.Method, "host": u.Host, "path": u.Path, "attempt": n,
	}
	if tflog.IsTrace(ctx) {
		fields["query"] = MaskQuery(u.RawQuery)
		fields["request_headers"] = MaskHeaders(req.Header) // values masked again by logDebug
	}

	res, err := c.http.Do(req)
	if err != nil {
		fields["duration_ms"] = time.Since(began).Milliseconds()
		fields["error"] = err.Error()
		c.logDebug(ctx, "HTTP request failed", fields)
		if errors.Is(context.Cause(actx), errTimeout) && ctx.Err() == nil {
			return nil, errTimeout
		}
		return nil, err
	}
	defer res.Body.Close()

	body, err := readBody(res, c.opts.MaxBodyBytes)
	fields["status"] = res.StatusCode
	fields["duration_ms"] = time.Since(began).Milliseconds()
	fields["request_id"] = requestID(res.Header)
	fields["response_bytes"] = len(body)
	if err != nil {
		fields["error"] = err.Error()
		c.logDebug(ctx, "HTTP response body unreadable", fields)
		if errors.Is(context.Cause(actx), errTimeout) && ctx.Err() == nil {
			return nil, errTimeout
		}
		return nil, err
	}
	c.logDebug(ctx, "HTTP request", fields)
	if res.StatusCode < 200 || res.StatusCode > 299 {
		// An error answer is text for an error message: masked whole,
		// before anything cuts it to a length (DecodeError's excerpt and
		// field limits) and whoever decodes it (a credential source
		// too).
		body = []byte(c.Mask(string(body)))
	}
	return &Response{StatusCode: res.StatusCode, Header: res.Header, Body: body, mask: c.Mask}, nil
}

// readBody reads the whole body, at most limit bytes (see
// DefaultMaxBodyBytes). A declared Content-Length over the limit is
// refused before anything is read; a body of known length is read into
// one buffer of that size. A body of unknown length (net/http inflates
// gzip transparently) is read in chunks of bodyChunkBytes and joined once
// at the end, so a body that inflates without end (a gzip bomb) costs at
// most limit bytes of chunks before it is refused, and no buffer is ever
// copied into a larger one on the way.
func readBody(res *http.Response, limit int64) ([]byte, error) {
	if res.ContentLength > limit {
		return nil, fmt.Errorf("%w (%d bytes declared, limit %d)", errBodyTooLarge, res.ContentLength, limit)
	}
	if res.ContentLength >= 0 {
		buf := make([]byte, res.ContentLength+1) // +1: a body longer than declared is an error
		n, err := io.ReadFull(res.Body, buf)
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			if int64(n) < res.ContentLength {
				return nil, fmt.Errorf("reading response body: %w", io.ErrUnexpectedEOF)
			}
			return buf[:n], nil
		case err != nil:
			return nil, fmt.Errorf("reading response body: %w", err)
		}
		return nil, fmt.Errorf("reading response body: more than the declared %d bytes", res.ContentLength)
	}
	var chunks [][]byte
	var total int64
	for {
		chunk := make([]byte, bodyChunkBytes)
		n, err := io.ReadFull(res.Body, chunk)
		total += int64(n)
		if total > limit {
			return nil, fmt.Errorf("%w (%d bytes)", errBodyTooLarge, limit)
		}
		chunks = append(chunks, chunk[:n])
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading response body: %w", err)
		}
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out, nil
}

// backoff is capped exponential backoff with full jitter for the wait
// after attempt n (n >= 1).
func (c *Client) backoff(n int) time.Duration {
	ceiling := c.opts.MaxBackoff
	if shift := n - 1; shift < 31 {
		if d := c.opts.BaseBackoff << shift; d > 0 && d < ceiling {
			ceiling = d
		}
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1)) //nolint:gosec // jitter, not a secret
}

// retryAfter reads a Retry-After header in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	return min(max(d, 0), MaxRetryAfter), true
}

// sleep waits for d or until ctx ends, whichever is first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}

// requestIDHeaders are the headers the clouds put a request id in.
var requestIDHeaders = []string{"X-Request-Id", "X-Acs-Request-Id", "X-Openstack-Request-Id"}

func requestID(h http.Header) string {
	for _, k := range requestIDHeaders {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}
