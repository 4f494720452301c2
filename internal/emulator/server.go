package emulator

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
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

// API names used for counters, faults and recordings.
const (
	APIIAM           = "iam"
	APIScriptRecords = "script-execution-records"
	APIDesktopEvents = "os-operations"
	APIAuditLogs     = "auditlogs"
	APIExecutionLogs = "ListExecutionLogs"
	// APIUnknown counts requests that match no route (answered 404 or 405
	// before any signature check, as the API gateway does).
	APIUnknown = "unknown"
)

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
}

// Faults are injected failures. Counters are per API and count only
// requests whose signature was valid (latency applies before the
// signature check, to every request).
type Faults struct {
	// APIs limits faults to these API names; empty means every API but APIIAM.
	APIs []string
	// Latency is added to every request before the signature check.
	Latency time.Duration
	// ThrottleEvery: every Nth request gets a throttling answer (Huawei 429
	// APIG.0308; Alibaba 400 Throttling.User).
	ThrottleEvery int
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
	// RepeatToken makes every OOS page, the last included, carry the first
	// page's NextToken.
	RepeatToken bool
	// Hostile answers as a broken or hostile server would (hostile.go).
	Hostile Hostile
	// RateLimit, when > 0, is a gateway's rate limit (ratelimit.go): a
	// token bucket per API for every client together, RateLimit requests
	// per second with a burst of RateLimit; a request over it gets the
	// cloud's throttling answer, which states the limit.
	RateLimit int
}

func (f *Faults) applies(api string) bool {
	if len(f.APIs) == 0 {
		return api != APIIAM && api != APIUnknown
	}
	return slices.Contains(f.APIs, api)
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
	s.srv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.url = "http://" + ln.Addr().String()
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

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
func (s *Server) faultsFor(api string) (Faults, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults, s.faults.applies(api)
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

// route is what the path says: the API and its path parameters.
type route struct {
	api       string
	methodOK  bool
	project   string
	recordID  string // screen record id
	workspace string
}

func parseRoute(r *http.Request) route {
	ep := r.URL.EscapedPath()
	if ep == "/" || ep == "" {
		return route{api: APIExecutionLogs, methodOK: r.Method == http.MethodPost || r.Method == http.MethodGet}
	}
	raw := strings.Split(strings.TrimPrefix(ep, "/"), "/")
	segs := make([]string, len(raw))
	for i, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil || u == "" {
			return route{api: APIUnknown}
		}
		segs[i] = u
	}
	get := r.Method == http.MethodGet
	switch {
	case len(segs) == 2 && segs[0] == "v3" && segs[1] == "projects":
		return route{api: APIIAM, methodOK: get}
	case len(segs) == 3 && segs[0] == "v2" && segs[2] == "script-execution-records":
		return route{api: APIScriptRecords, methodOK: get, project: segs[1]}
	case len(segs) == 5 && segs[0] == "v2" && segs[2] == "screen-records" && segs[4] == "os-operations":
		return route{api: APIDesktopEvents, methodOK: get, project: segs[1], recordID: segs[3]}
	case len(segs) == 8 && segs[0] == "v1" && segs[2] == "workspaces" &&
		strings.Join(segs[4:], "/") == "soc/playbooks/instances/auditlogs":
		return route{api: APIAuditLogs, methodOK: r.Method == http.MethodPost, project: segs[1], workspace: segs[3]}
	}
	return route{api: APIUnknown}
}

// call is one request being served.
type call struct {
	r      *http.Request
	rt     route
	body   []byte
	query  url.Values
	faults Faults // zero when faults do not apply to this API
	reqID  string
}

func (c *call) ali() bool       { return c.rt.api == APIExecutionLogs }
func (c *call) secmaster() bool { return c.rt.api == APIAuditLogs }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveCredentials(w, r) {
		return
	}
	rt := parseRoute(r)
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	rec := s.begin(rt.api, r, body)
	c := &call{r: r, rt: rt, body: body}
	resp := s.serve(c, readErr)
	if resp == nil {
		s.end(rt.api, rec, StatusClientGone)
		return
	}
	s.end(rt.api, rec, resp.status)
	resp.write(w)
}

func (s *Server) serve(c *call, readErr error) *response {
	switch {
	case c.ali():
		c.reqID = aliRequestID()
	case c.secmaster():
		c.reqID = fmt.Sprintf("%s-%d-opsaudit-emulator", newHex(16), s.now().UnixMilli())
	default:
		c.reqID = newHex(16)
	}
	if c.rt.api == APIUnknown {
		return c.hwError(http.StatusNotFound, "APIG.0101", "The API does not exist or has not been published in the environment.")
	}
	if !c.rt.methodOK {
		if c.ali() {
			return c.aliError(http.StatusMethodNotAllowed, "UnsupportedHTTPMethod", "This http method is not supported.")
		}
		return c.hwError(http.StatusMethodNotAllowed, "APIG.0101", fmt.Sprintf("Method %s is not allowed for this API.", c.r.Method))
	}
	f, inScope := s.faultsFor(c.rt.api)
	if inScope {
		c.faults = f
		if f.Latency > 0 && !sleepCtx(c.r.Context(), f.Latency) {
			return nil
		}
	}
	if readErr != nil {
		if c.ali() {
			return c.aliError(http.StatusRequestEntityTooLarge, "InvalidParameter", "The request body could not be read.")
		}
		return c.hwError(http.StatusRequestEntityTooLarge, "APIG.0201", "The request body could not be read.")
	}
	var aerr *authError
	if c.ali() {
		aerr = s.verifyAli(c.r, c.body)
	} else {
		aerr = s.verifyHuawei(c.r, c.body)
	}
	if aerr != nil {
		if c.ali() {
			return c.aliError(aerr.status, aerr.code, aerr.msg)
		}
		return c.hwError(aerr.status, aerr.code, aerr.msg)
	}
	if inScope && f.RateLimit > 0 && !s.limits.allow(c.rt.api, f.RateLimit, s.now()) {
		return c.rateLimited(f.RateLimit)
	}
	if inScope {
		n := s.nextFault(c.rt.api)
		switch {
		case f.ThrottleEvery > 0 && n%f.ThrottleEvery == 0:
			s.limits.count(c.rt.api)
			return c.throttled()
		case f.ServerErrorEvery > 0 && n%f.ServerErrorEvery == 0:
			return c.serverError()
		}
		if f.StallEvery > 0 && n%f.StallEvery == 0 && !sleepCtx(c.r.Context(), f.StallFor) {
			return nil
		}
	}
	q, err := c.params()
	if err != nil {
		if c.ali() {
			return c.aliError(http.StatusBadRequest, "InvalidParameter", "The request parameters are malformed.")
		}
		return c.serviceError(http.StatusBadRequest, "The query string is malformed.")
	}
	c.query = q
	if resp := s.hostileRefusal(c); resp != nil {
		return resp
	}
	c.hostileBefore()
	resp := s.hostileAfter(c, s.answer(c))
	if inScope && f.TruncateEvery > 0 && resp.status == http.StatusOK {
		if s.nextSuccess(c.rt.api)%f.TruncateEvery == 0 {
			resp.body = resp.body[:len(resp.body)/2]
		}
	}
	return resp
}

// answer answers a request whose signature and faults were dealt with.
func (s *Server) answer(c *call) *response {
	switch c.rt.api {
	case APIIAM:
		return s.handleIAM(c)
	case APIScriptRecords:
		return s.handleScriptRecords(c)
	case APIDesktopEvents:
		return s.handleDesktopEvents(c)
	case APIAuditLogs:
		return s.handleAuditLogs(c)
	case APIExecutionLogs:
		return s.handleExecutionLogs(c)
	}
	return nil
}

// params parses the query; for OOS a form-encoded body is merged in.
func (c *call) params() (url.Values, error) {
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	if c.ali() && len(c.body) > 0 && strings.HasPrefix(strings.ToLower(c.r.Header.Get("Content-Type")), "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(c.body))
		if err != nil {
			return nil, err
		}
		for k, v := range form {
			q[k] = append(q[k], v...)
		}
	}
	return q, nil
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

// json answers status with v as the body, with the cloud's content type and request id header.
func (c *call) json(status int, v any) *response {
	h := http.Header{}
	switch {
	case c.ali():
		h["Content-Type"] = []string{"application/json;charset=utf-8"}
		h["x-acs-request-id"] = []string{c.reqID}
	case c.secmaster():
		h["Content-Type"] = []string{"application/json;charset=UTF-8"}
		h["X-request-id"] = []string{c.reqID}
	default:
		h["Content-Type"] = []string{"application/json;charset=UTF-8"}
		h["X-Request-Id"] = []string{c.reqID}
	}
	return &response{status: status, header: h, body: marshal(v)}
}

type hwErrorBody struct {
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
}

type secmasterErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type aliErrorBody struct {
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
}

// hwError answers in the API gateway / Workspace shape (used for SecMaster
// too when the gateway answers: authentication, throttling, routing).
func (c *call) hwError(status int, code, msg string) *response {
	return c.json(status, hwErrorBody{ErrorCode: code, ErrorMsg: msg})
}

func (c *call) secmasterError(status int, code, msg string) *response {
	return c.json(status, secmasterErrorBody{Code: code, Message: msg})
}

func (c *call) aliError(status int, code, msg string) *response {
	return c.json(status, aliErrorBody{Code: code, Message: msg, RequestID: c.reqID, HostID: c.r.Host})
}

// serviceError is a 400-class parameter error in the service's own shape.
func (c *call) serviceError(status int, msg string) *response {
	switch c.rt.api {
	case APIAuditLogs:
		return c.secmasterError(status, secmasterCodeBadRequest, msg)
	case APIIAM:
		return c.hwError(status, "IAM.0007", msg)
	default:
		return c.hwError(status, wksCodeBadRequest, msg)
	}
}

func (c *call) throttled() *response {
	var resp *response
	if c.ali() {
		resp = c.aliError(http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control.")
	} else {
		resp = c.hwError(http.StatusTooManyRequests, "APIG.0308", "The throttling threshold has been reached: policy user over ratelimit, limit:20, time:1 second")
	}
	if ra := c.faults.RetryAfter; ra > 0 {
		resp.header["Retry-After"] = []string{strconv.Itoa(int(math.Ceil(ra.Seconds())))}
	}
	return resp
}

func (c *call) serverError() *response {
	switch c.rt.api {
	case APIExecutionLogs:
		return c.aliError(http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
	case APIAuditLogs:
		return c.secmasterError(http.StatusInternalServerError, "SecMaster.00050001", "Internal server error.")
	case APIIAM:
		return c.hwError(http.StatusInternalServerError, "IAM.0006", "Internal server error.")
	default:
		return c.hwError(http.StatusInternalServerError, "WKS.00000500", "Internal server error.")
	}
}
