package emulator

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Demo credentials and regions. They are public values for the emulator
// only and may be printed.
const (
	DemoHuaweiAccessKey = "OPSAUDITDEMOHWAK0001"
	DemoHuaweiSecretKey = "opsaudit-demo-huawei-secret-key-0001"
	DemoAliAccessKey    = "OPSAUDITDEMOALIAK001"
	DemoAliSecretKey    = "opsaudit-demo-alicloud-secret-key-001"
	DemoRegionHuawei    = "cn-north-4"
	DemoRegionAli       = "cn-hangzhou"
)

// APIUnknown counts requests that match no route: an unknown path
// (answered 404 before any signature check, as the API gateway does) or
// an unknown RPC action (answered InvalidAction.NotFound once the
// signature is checked). Each API's name, for
// counters, faults and recordings, is declared in its plug-in (api_*.go).
const APIUnknown = "unknown"

// StatusClientGone is the Status recorded for a request whose client went
// away while it was delayed or stalled (nothing was written).
const StatusClientGone = 499

// MaxRecorded is how many recordings are kept per API; when it is reached
// the oldest tenth is dropped, so a long-running emulator does not grow
// without bound.
const MaxRecorded = 100000

// maxBodyBytes bounds request bodies.
const maxBodyBytes = 1 << 20

// Options configures a Server.
type Options struct {
	// HuaweiAccessKey and HuaweiSecretKey are the only Huawei credentials
	// accepted; both empty means the demo values.
	HuaweiAccessKey, HuaweiSecretKey string
	// HuaweiSecurityToken, when set, must be sent (and signed) as
	// X-Security-Token on every Huawei request; when empty, sending one is
	// an error.
	HuaweiSecurityToken string
	// AliAccessKey and AliSecretKey are the only Alibaba credentials
	// accepted; both empty means the demo values.
	AliAccessKey, AliSecretKey string
	// AliSecurityToken is to x-acs-security-token what
	// HuaweiSecurityToken is to X-Security-Token.
	AliSecurityToken string
	// Data is the dataset served (nil maps in it are made empty); nil means
	// Generate(DefaultSeed, DefaultSizes()).
	Data *Dataset
	// Faults are the initial faults; see SetFaults.
	Faults Faults
	// Now is the server clock for date checks; nil means time.Now.
	Now func() time.Time
	// CredentialLifetime caps the life of the temporary credentials the
	// credential services issue (credentials.go); 0: the duration asked.
	CredentialLifetime time.Duration
	// TLSAddr, when set (a loopback address, as for StartAt), makes
	// StartAt serve the same emulator over HTTPS there too, with a
	// certificate of a CA made at start (tls.go): TLSURL and CA. For
	// clients that insist on HTTPS, such as credentials-go's STS calls.
	TLSAddr string
}

// Faults are injected failures. Counters are per API and count only
// requests whose signature was valid (latency applies before the
// signature check, to every request).
type Faults struct {
	// APIs limits faults to these API names; empty means every API
	// but the ones that take faults only when named here (the IAM
	// project lookup).
	APIs []string
	// Latency is added to every request before the signature check.
	Latency time.Duration
	// ThrottleEvery: every Nth request gets a throttling answer (Huawei 429
	// APIG.0308; Alibaba 400 Throttling.User).
	ThrottleEvery int
	// ThrottleLimit is the limit Huawei's answers to ThrottleEvery state,
	// in the gateway's words ("limit:1,time:1 hour"); empty: "limit:20,
	// time:1 second". Alibaba's throttling answers state none.
	ThrottleLimit string
	// RetryAfter, when > 0, adds Retry-After (whole seconds, rounded up) to
	// throttling answers.
	RetryAfter time.Duration
	// ServerErrorEvery: every Mth request gets 500 (Huawei) or 503
	// ServiceUnavailable (Alibaba). Throttling wins when both apply.
	ServerErrorEvery int
	// StallEvery: every Kth request waits StallFor, or until the client goes
	// away, before it is answered normally.
	StallEvery int
	// StallFor is how long a stalled request waits.
	StallFor time.Duration
	// TruncateEvery: every Jth 200 answer has its body cut in half.
	TruncateEvery int
	// CountDrift is added to count / total_count in answers for offset > 0.
	CountDrift int
	// RepeatToken makes every page of a token-paged API, the last
	// included, carry the first page's NextToken.
	RepeatToken bool
	// Hostile answers as a broken or hostile server would (hostile.go).
	Hostile Hostile
	// RateLimit, when > 0, is a gateway's rate limit (ratelimit.go): a
	// token bucket per API for every client together, RateLimit requests
	// per second with a burst of RateLimit; a request over it gets the
	// cloud's throttling answer, which states the limit.
	RateLimit int
}

func (f *Faults) applies(a *api) bool {
	if len(f.APIs) == 0 {
		return !a.optInFaults
	}
	return slices.Contains(f.APIs, a.name)
}

// RecordedRequest is one request as received.
type RecordedRequest struct {
	Method   string
	Path     string
	RawQuery string
	// Header is the request header; it includes Host.
	Header http.Header
	Body   []byte
	// Status is the status answered, 0 while the request is in progress,
	// StatusClientGone when the client left before an answer.
	Status int
}

type apiState struct {
	requests    int
	inFlight    int
	maxInFlight int
	faultN      int
	successN    int
	recorded    []*RecordedRequest
}

// Server is a running (or, from New, not yet listening) emulator.
type Server struct {
	opts     Options
	data     *Dataset
	projects map[string]string // project id -> region
	handler  http.Handler

	mu        sync.Mutex
	faults    Faults
	apis      map[string]*apiState
	nonces    map[string]time.Time
	nonceAdds int
	cache     map[string][]int

	srv *http.Server
	url string

	// tlsSrv serves the handler over HTTPS at tlsURL with a certificate
	// of ca (Options.TLSAddr).
	tlsSrv *http.Server
	tlsURL string
	ca     *CA

	// creds holds what the credential services issued (credentials.go).
	creds credStore

	// limits holds the rate limit's buckets and throttle counts
	// (ratelimit.go).
	limits rateLimits
}

// New makes a Server that does not listen; serve Handler() yourself (for
// example with httptest.NewServer).
func New(opts Options) (*Server, error) {
	if opts.HuaweiAccessKey == "" && opts.HuaweiSecretKey == "" {
		opts.HuaweiAccessKey, opts.HuaweiSecretKey = DemoHuaweiAccessKey, DemoHuaweiSecretKey
	}
	if opts.AliAccessKey == "" && opts.AliSecretKey == "" {
		opts.AliAccessKey, opts.AliSecretKey = DemoAliAccessKey, DemoAliSecretKey
	}
	if opts.HuaweiAccessKey == "" || opts.HuaweiSecretKey == "" {
		return nil, errors.New("emulator: Huawei access key and secret key must be set together")
	}
	if opts.AliAccessKey == "" || opts.AliSecretKey == "" {
		return nil, errors.New("emulator: Alibaba access key and secret key must be set together")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	data := opts.Data
	if data == nil {
		data = Generate(DefaultSeed, DefaultSizes())
	}
	data.normalize()
	s := &Server{
		opts:     opts,
		data:     data,
		projects: map[string]string{},
		apis:     map[string]*apiState{},
		nonces:   map[string]time.Time{},
		cache:    map[string][]int{},
		faults:   cloneFaults(opts.Faults),
	}
	for region, id := range data.Projects {
		s.projects[id] = region
	}
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s, nil
}

// Start starts an emulator on 127.0.0.1 with a free port.
func Start(opts Options) (*Server, error) {
	return StartAt("127.0.0.1:0", opts)
}

// StartAt starts an emulator on addr, which must be a loopback address
// ("127.0.0.1:8787", "[::1]:0", "localhost:8787").
func StartAt(addr string, opts Options) (*Server, error) {
	if err := CheckLoopback(addr); err != nil {
		return nil, err
	}
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: listen on %s: %w", addr, err)
	}
	var tlsLn net.Listener
	if opts.TLSAddr != "" {
		if err := CheckLoopback(opts.TLSAddr); err != nil {
			_ = ln.Close()
			return nil, err
		}
		if s.ca, err = NewCA(); err != nil {
			_ = ln.Close()
			return nil, err
		}
		raw, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", opts.TLSAddr)
		if err != nil {
			_ = ln.Close()
			return nil, fmt.Errorf("emulator: listen on %s: %w", opts.TLSAddr, err)
		}
		tlsLn = tls.NewListener(raw, s.ca.ServerConfig())
		s.tlsURL = "https://" + raw.Addr().String()
	}
	s.srv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.url = "http://" + ln.Addr().String()
	go func() { _ = s.srv.Serve(ln) }()
	if tlsLn != nil {
		s.tlsSrv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = s.tlsSrv.Serve(tlsLn) }()
	}
	return s, nil
}

// TLSURL is the HTTPS base URL of the same emulator,
// "https://127.0.0.1:PORT", when Options.TLSAddr is set (else empty).
func (s *Server) TLSURL() string { return s.tlsURL }

// CA is the certificate authority of the HTTPS server (nil without
// Options.TLSAddr): clients trust CA().CertPEM().
func (s *Server) CA() *CA { return s.ca }

// CheckLoopback returns an error unless addr is host:port with a loopback host.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator: address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("emulator: address %q is not a loopback address; the emulator only listens on 127.0.0.1, ::1 or localhost", addr)
	}
	return nil
}

// URL is the base URL of every emulated service, "http://127.0.0.1:PORT"
// (empty for a Server from New).
func (s *Server) URL() string { return s.url }

// Close stops listening and ends every connection, which also ends stalls.
func (s *Server) Close() {
	if s.srv != nil {
		_ = s.srv.Close()
	}
	if s.tlsSrv != nil {
		_ = s.tlsSrv.Close()
	}
}

// Handler is the emulator's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Data is the dataset served. Do not modify it while serving.
func (s *Server) Data() *Dataset { return s.data }

func cloneFaults(f Faults) Faults {
	f.APIs = slices.Clone(f.APIs)
	return f
}

// SetFaults replaces the faults and resets the per-API fault counters. It is
// safe while serving.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = cloneFaults(f)
	for _, st := range s.apis {
		st.faultN, st.successN = 0, 0
	}
}

// Requests is the number of requests received for an API, rejected and
// faulted ones included.
func (s *Server) Requests(api string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.apis[api]; st != nil {
		return st.requests
	}
	return 0
}

// MaxInFlight is the highest number of requests for an API that were in
// progress at the same time.
func (s *Server) MaxInFlight(api string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.apis[api]; st != nil {
		return st.maxInFlight
	}
	return 0
}

// Recorded returns copies of every request received for an API, in arrival
// order (at most the latest MaxRecorded).
func (s *Server) Recorded(api string) []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.apis[api]
	if st == nil {
		return nil
	}
	out := make([]RecordedRequest, len(st.recorded))
	for i, r := range st.recorded {
		out[i] = *r
		out[i].Header = r.Header.Clone()
		out[i].Body = slices.Clone(r.Body)
	}
	return out
}

// ResetCounters clears request counts, in-flight maxima, recordings and
// fault counters. Seen Alibaba nonces are kept.
func (s *Server) ResetCounters() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.apis {
		st.requests, st.faultN, st.successN = 0, 0, 0
		st.maxInFlight = st.inFlight
		st.recorded = nil
	}
}

func (s *Server) now() time.Time { return s.opts.Now() }

func (s *Server) state(api string) *apiState {
	st := s.apis[api]
	if st == nil {
		st = &apiState{}
		s.apis[api] = st
	}
	return st
}

func (s *Server) begin(api string, r *http.Request, body []byte) *RecordedRequest {
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Host", r.Host)
	rec := &RecordedRequest{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: h, Body: body}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state(api)
	st.requests++
	st.inFlight++
	st.maxInFlight = max(st.maxInFlight, st.inFlight)
	if len(st.recorded) >= MaxRecorded {
		st.recorded = slices.Delete(st.recorded, 0, len(st.recorded)-MaxRecorded+MaxRecorded/10)
	}
	st.recorded = append(st.recorded, rec)
	return rec
}

func (s *Server) end(api string, rec *RecordedRequest, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state(api).inFlight--
	rec.Status = status
}

// faultsFor returns the current faults and whether they apply to api.
func (s *Server) faultsFor(a *api) (Faults, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults, s.faults.applies(a)
}

func (s *Server) nextFault(api string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state(api)
	st.faultN++
	return st.faultN
}

func (s *Server) nextSuccess(api string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state(api)
	st.successN++
	return st.successN
}

// cached returns the filtered item indexes for key, computing them once;
// the dataset is immutable, so results never go stale.
func (s *Server) cached(key string, compute func() []int) []int {
	s.mu.Lock()
	idx, ok := s.cache[key]
	s.mu.Unlock()
	if ok {
		return idx
	}
	idx = compute()
	s.mu.Lock()
	if len(s.cache) >= 256 {
		clear(s.cache)
	}
	s.cache[key] = idx
	s.mu.Unlock()
	return idx
}

// call is one request being served.
type call struct {
	r      *http.Request
	rt     route
	api    *api
	body   []byte
	query  url.Values
	faults Faults // zero when faults do not apply to this API
	reqID  string
}

// ali reports whether the request is for an Alibaba API.
func (c *call) ali() bool { return c.api.cloud == alibaba }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveCredentials(w, r) {
		return
	}
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	rt := router.route(r, body)
	rec := s.begin(rt.api.name, r, body)
	c := &call{r: r, rt: rt, api: rt.api, body: body}
	resp := s.serve(c, readErr)
	if resp == nil {
		s.end(rt.api.name, rec, StatusClientGone)
		return
	}
	s.end(rt.api.name, rec, resp.status)
	resp.write(w)
}

func (s *Server) serve(c *call, readErr error) *response {
	a, cl := c.api, c.api.cloud
	c.reqID = a.shape.requestID(s.now())
	if !c.rt.methodOK {
		return cl.methodNotAllowed(c)
	}
	if a.handle == nil && !c.ali() {
		// An unknown path: the gateway answers before any signature check.
		return cl.notFound(c)
	}
	f, inScope := s.faultsFor(a)
	if inScope {
		c.faults = f
		if f.Latency > 0 && !sleepCtx(c.r.Context(), f.Latency) {
			return nil
		}
	}
	if readErr != nil {
		return cl.bodyUnreadable(c)
	}
	if aerr := cl.verify(s, c.r, c.body); aerr != nil {
		return c.gatewayError(aerr.status, aerr.code, aerr.msg)
	}
	if inScope && f.RateLimit > 0 && !s.limits.allow(a.name, f.RateLimit, s.now()) {
		return cl.rateLimited(c, f.RateLimit)
	}
	if inScope {
		n := s.nextFault(a.name)
		switch {
		case f.ThrottleEvery > 0 && n%f.ThrottleEvery == 0:
			s.limits.count(a.name)
			return c.retryAfter(cl.throttled(c))
		case f.ServerErrorEvery > 0 && n%f.ServerErrorEvery == 0:
			return c.json(cl.serverErrorStatus, a.shape.errorBody(c, a.codes.ServerError, cl.serverErrorMessage))
		}
		if f.StallEvery > 0 && n%f.StallEvery == 0 && !sleepCtx(c.r.Context(), f.StallFor) {
			return nil
		}
	}
	q, err := cl.params(c.r, c.body)
	if err != nil {
		return cl.malformedParams(c)
	}
	c.query = q
	if a.handle == nil {
		// An unknown RPC action, once the request is known to be genuine.
		return cl.notFound(c)
	}
	if resp := s.hostileRefusal(c); resp != nil {
		return resp
	}
	c.hostileBefore()
	resp := s.hostileAfter(c, s.answer(c))
	if inScope && f.TruncateEvery > 0 && resp.status == http.StatusOK {
		if s.nextSuccess(a.name)%f.TruncateEvery == 0 {
			resp.body = resp.body[:len(resp.body)/2]
		}
	}
	return resp
}

// answer answers a request whose signature and faults were dealt with:
// the RPC version and the path's project are checked, then the API's
// handler answers.
func (s *Server) answer(c *call) *response {
	if !c.rt.versionOK {
		return c.api.cloud.wrongVersion(c)
	}
	if resp := s.checkProject(c); resp != nil {
		return resp
	}
	return c.api.handle(s, c)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func newHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func aliRequestID() string {
	h := strings.ToUpper(newHex(16))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// response is an answer ready to write.
type response struct {
	status int
	header http.Header // keys used verbatim
	body   []byte
}

func (r *response) write(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	h["Content-Length"] = []string{strconv.Itoa(len(r.body))}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}

func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only typed structs are encoded; this cannot happen.
		panic(fmt.Sprintf("emulator: encode answer: %v", err))
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// json answers status with v as the body, with the service's content
// type and request id header.
func (c *call) json(status int, v any) *response { return c.raw(status, marshal(v)) }

// raw answers status with body, a JSON text, as json does.
func (c *call) raw(status int, body []byte) *response {
	sh := c.api.shape
	h := http.Header{"Content-Type": {sh.contentType}, sh.requestIDHeader: {c.reqID}}
	return &response{status: status, header: h, body: body}
}

// gatewayError is an answer of the cloud's gateway (authentication,
// throttling, routing), in its error body.
func (c *call) gatewayError(status int, code, msg string) *response {
	return c.json(status, c.api.cloud.shape.errorBody(c, code, msg))
}

// serviceError is a 400-class parameter error in the service's own shape.
func (c *call) serviceError(status int, msg string) *response {
	return c.errorOf(status, c.api.codes.BadRequest, msg)
}

// notFound is the service's answer to a parent that does not exist.
func (c *call) notFound(msg string) *response {
	return c.errorOf(http.StatusNotFound, c.api.codes.NotFound, msg)
}

// errorOf is an error of the API's service, in its shape.
func (c *call) errorOf(status int, code, msg string) *response {
	return c.json(status, c.api.shape.errorBody(c, code, msg))
}
