package emulator

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // verifying the RPC signature of SignatureVersion 1.0, which is HMAC-SHA1 by definition
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// maxSkew is how far a request's date may be from the server's clock.
const maxSkew = 15 * time.Minute

const (
	huaweiAlgorithm = "SDK-HMAC-SHA256"
	aliAlgorithm    = "ACS3-HMAC-SHA256"
	huaweiDateFmt   = "20060102T150405Z"
	aliDateFmt      = "2006-01-02T15:04:05Z"
)

// authError is a rejected signature: HTTP status, cloud error code and a
// message that never contains key material or signatures.
type authError struct {
	status int
	code   string
	msg    string
}

func (e *authError) Error() string { return e.code + ": " + e.msg }

// escapeStrict percent-encodes everything except A-Z a-z 0-9 - _ . ~ with
// upper-case hex, the encoding both signing schemes use.
func escapeStrict(s string) string {
	const hexdig = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', hexdig[c>>4], hexdig[c&15])
		}
	}
	return string(b)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// canonicalQuery sorts parameters by raw name and, for a repeated name, by
// raw value, and joins escaped name=value pairs with '&'.
func canonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		vals := slices.Clone(q[k])
		slices.Sort(vals)
		ek := escapeStrict(k)
		for _, v := range vals {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(escapeStrict(v))
		}
	}
	return b.String()
}

// canonicalPath decodes each segment of an escaped path and re-encodes it
// strictly; huaweiSlash appends the trailing slash Huawei signs with.
func canonicalPath(escapedPath string, huaweiSlash bool) (string, error) {
	if escapedPath == "" {
		escapedPath = "/"
	}
	segs := strings.Split(escapedPath, "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil {
			return "", fmt.Errorf("path segment %d is not valid percent-encoding", i)
		}
		segs[i] = escapeStrict(u)
	}
	p := strings.Join(segs, "/")
	if huaweiSlash && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p, nil
}

// headerSource gives the values of a lower-case header name.
type headerSource func(name string) []string

func requestHeaders(r *http.Request) headerSource {
	return func(name string) []string {
		if name == "host" {
			if r.Host == "" {
				return nil
			}
			return []string{r.Host}
		}
		return r.Header.Values(name)
	}
}

// canonicalRequest builds METHOD\nURI\nQUERY\nHEADERS\nSIGNEDHEADERS\nHASH.
// Header values are trimmed; a header sent several times has its values
// joined with ','. A signed header that is absent is an error.
func canonicalRequest(method, uri, query string, hdr headerSource, signed []string, payloadHash string) (string, error) {
	var b strings.Builder
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(uri)
	b.WriteByte('\n')
	b.WriteString(query)
	b.WriteByte('\n')
	for _, name := range signed {
		vals := hdr(name)
		if len(vals) == 0 {
			return "", fmt.Errorf("signed header %q is missing from the request", name)
		}
		trimmed := make([]string, len(vals))
		for i, v := range vals {
			trimmed[i] = strings.TrimSpace(v)
		}
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(strings.Join(trimmed, ","))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String(), nil
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func hmacHex(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// huaweiSignature signs a canonical request the SDK-HMAC-SHA256 way.
func huaweiSignature(secret, sdkDate, canonical string) string {
	sts := huaweiAlgorithm + "\n" + sdkDate + "\n" + sha256Hex([]byte(canonical))
	return hmacHex(secret, sts)
}

// aliSignature signs a canonical request the ACS3-HMAC-SHA256 way.
func aliSignature(secret, canonical string) string {
	return hmacHex(secret, aliAlgorithm+"\n"+sha256Hex([]byte(canonical)))
}

// authParams holds the comma-separated key=value pairs after the algorithm
// name in an Authorization header.
type authParams struct {
	access        string // Access (Huawei) or Credential (Alibaba)
	signedHeaders []string
	signature     string
}

func parseAuthorization(h, algorithm, accessKey string) (authParams, error) {
	rest, ok := strings.CutPrefix(h, algorithm+" ")
	if !ok {
		if h == "" {
			return authParams{}, errors.New("the Authorization header is missing")
		}
		return authParams{}, fmt.Errorf("the Authorization header does not use %s", algorithm)
	}
	var p authParams
	var haveSH bool
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return authParams{}, errors.New("the Authorization header is malformed")
		}
		switch k {
		case accessKey:
			p.access = v
		case "SignedHeaders":
			haveSH = true
			if v != "" {
				p.signedHeaders = strings.Split(v, ";")
			}
		case "Signature":
			p.signature = v
		}
	}
	switch {
	case p.access == "":
		return authParams{}, fmt.Errorf("the Authorization header has no %s", accessKey)
	case !haveSH || len(p.signedHeaders) == 0:
		return authParams{}, errors.New("the Authorization header has no SignedHeaders")
	case p.signature == "":
		return authParams{}, errors.New("the Authorization header has no Signature")
	}
	for _, h := range p.signedHeaders {
		if h == "" || h != strings.ToLower(h) {
			return authParams{}, errors.New("SignedHeaders must be lower-case names separated by ';'")
		}
	}
	return p, nil
}

func equalSecret(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func skewed(t, now time.Time) bool {
	d := now.Sub(t)
	return d > maxSkew || d < -maxSkew
}

// verifyHuawei checks an SDK-HMAC-SHA256 signed request. All failures are
// 401 APIG.0301, as the API gateway answers.
func (s *Server) verifyHuawei(r *http.Request, body []byte) *authError {
	fail := func(format string, a ...any) *authError {
		return &authError{status: http.StatusUnauthorized, code: "APIG.0301",
			msg: "Incorrect IAM authentication information: " + fmt.Sprintf(format, a...)}
	}
	p, err := parseAuthorization(r.Header.Get("Authorization"), huaweiAlgorithm, "Access")
	if err != nil {
		return fail("%v", err)
	}
	secret, wantToken, aerr := s.credentialKey(true, p.access)
	if aerr != nil {
		return aerr
	}
	// The official SDK signs the headers it sets (user-agent,
	// x-project-id, x-sdk-date, x-security-token) and no host, and the
	// gateway accepts that: only the date, and the token of a temporary
	// key, must be signed.
	required := []string{"x-sdk-date"}
	if wantToken != "" {
		required = append(required, "x-security-token")
	}
	for _, h := range required {
		if !slices.Contains(p.signedHeaders, h) {
			return fail("SignedHeaders must include %s", h)
		}
	}
	date := r.Header.Get("X-Sdk-Date")
	if date == "" {
		return fail("the X-Sdk-Date header is missing")
	}
	t, err := time.Parse(huaweiDateFmt, date)
	if err != nil {
		return fail("X-Sdk-Date %q is not in the format YYYYMMDDTHHMMSSZ", date)
	}
	if now := s.now(); skewed(t, now) {
		return fail("X-Sdk-Date is %s away from the server time (the limit is 15m)", now.Sub(t).Abs().Round(time.Second))
	}
	token := r.Header.Get("X-Security-Token")
	switch {
	case wantToken == "" && token != "":
		return fail("a security token was sent with a permanent access key")
	case wantToken != "" && token == "":
		return fail("the X-Security-Token header is missing for a temporary access key")
	case wantToken != "" && !equalSecret(token, wantToken):
		return fail("the security token does not match the access key")
	}
	uri, err := canonicalPath(r.URL.EscapedPath(), true)
	if err != nil {
		return fail("%v", err)
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return fail("the query string is not valid")
	}
	canon, err := canonicalRequest(r.Method, uri, canonicalQuery(q), requestHeaders(r), p.signedHeaders, sha256Hex(body))
	if err != nil {
		return fail("%v", err)
	}
	want := huaweiSignature(secret, date, canon)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(p.signature))) {
		return fail("verify aksk signature fail")
	}
	return nil
}

// verifyAli checks a signed Alibaba request: ACS3-HMAC-SHA256 when it
// carries an Authorization header, else the RPC signature of
// SignatureVersion 1.0 when a Signature parameter is in its query or form
// body. Both are accepted on every RPC action, as the RPC gateway does:
// darabonba-openapi signs ACS3 by default and RPC v1 when asked, and
// credentials-go and the STS SDK sign STS with RPC v1.
func (s *Server) verifyAli(r *http.Request, body []byte) *authError {
	if r.Header.Get("Authorization") == "" {
		if params, err := aliParams(r, body); err != nil || params.Has("Signature") {
			if err != nil {
				return &authError{status: http.StatusBadRequest, code: "SignatureDoesNotMatch",
					msg: "Specified signature does not match our calculation: the parameters are not valid form encoding"}
			}
			return s.verifyRPCv1(r.Method, params)
		}
	}
	return s.verifyACS3(r, body)
}

// verifyACS3 checks an ACS3-HMAC-SHA256 signed request, including the body
// hash, the date window and the one-time nonce.
func (s *Server) verifyACS3(r *http.Request, body []byte) *authError {
	mismatch := func(why string) *authError {
		return &authError{status: http.StatusBadRequest, code: "SignatureDoesNotMatch",
			msg: "Specified signature does not match our calculation: " + why}
	}
	p, err := parseAuthorization(r.Header.Get("Authorization"), aliAlgorithm, "Credential")
	if err != nil {
		if r.Header.Get("Authorization") == "" {
			return aliIncomplete("the request has neither an Authorization header (ACS3-HMAC-SHA256) nor a Signature parameter (SignatureVersion 1.0)")
		}
		return aliIncomplete("%v", err)
	}
	secret, wantToken, aerr := s.credentialKey(false, p.access)
	if aerr != nil {
		return aerr
	}
	for _, h := range []string{"x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"} {
		if r.Header.Get(h) == "" {
			return aliIncomplete("the %s header is missing", h)
		}
	}
	mustSign := []string{"host"}
	for name := range r.Header {
		l := strings.ToLower(name)
		if strings.HasPrefix(l, "x-acs-") || l == "content-type" {
			mustSign = append(mustSign, l)
		}
	}
	for _, h := range mustSign {
		if !slices.Contains(p.signedHeaders, h) {
			return aliIncomplete("header %s is sent but not in SignedHeaders", h)
		}
	}
	now := s.now()
	if aerr := aliTimestamp(r.Header.Get("x-acs-date"), now); aerr != nil {
		return aerr
	}
	contentHash := r.Header.Get("x-acs-content-sha256")
	if !strings.EqualFold(contentHash, sha256Hex(body)) {
		return mismatch("x-acs-content-sha256 does not match the request body")
	}
	if aerr := aliToken(r.Header.Get("x-acs-security-token"), wantToken, "The x-acs-security-token header"); aerr != nil {
		return aerr
	}
	uri, err := canonicalPath(r.URL.EscapedPath(), false)
	if err != nil {
		return mismatch(err.Error())
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return mismatch("the query string is not valid")
	}
	canon, err := canonicalRequest(r.Method, uri, canonicalQuery(q), requestHeaders(r), p.signedHeaders, contentHash)
	if err != nil {
		return aliIncomplete("%v", err)
	}
	want := aliSignature(secret, canon)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(p.signature))) {
		return mismatch("the signature is wrong")
	}
	if !s.useNonce(r.Header.Get("x-acs-signature-nonce"), now) {
		return &authError{status: http.StatusBadRequest, code: "SignatureNonceUsed",
			msg: "Specified signature nonce was used already."}
	}
	return nil
}

// aliIncomplete refuses an Alibaba signature that does not conform:
// a part missing, malformed or of an unsupported kind.
func aliIncomplete(format string, a ...any) *authError {
	return &authError{status: http.StatusBadRequest, code: "IncompleteSignature",
		msg: "The request signature does not conform to Aliyun standards: " + fmt.Sprintf(format, a...)}
}

// aliTimestamp refuses an Alibaba request's date (x-acs-date, or the
// Timestamp parameter of SignatureVersion 1.0) that is malformed or more
// than maxSkew away from now.
func aliTimestamp(date string, now time.Time) *authError {
	t, err := time.Parse(aliDateFmt, date)
	if err != nil {
		return &authError{status: http.StatusBadRequest, code: "InvalidTimeStamp.Format",
			msg: "Specified time stamp or date value is not well formatted."}
	}
	if skewed(t, now) {
		return &authError{status: http.StatusBadRequest, code: "InvalidTimeStamp.Expired",
			msg: fmt.Sprintf("Specified time stamp or date value is expired: it is %s away from the server time (the limit is 15m).", now.Sub(t).Abs().Round(time.Second))}
	}
	return nil
}

// aliToken refuses the security token sent with an Alibaba access key
// (token, "" for none) when it is not the one the key needs (want, ""
// for a permanent key); where names where it is sent, for the message
// that it is missing.
func aliToken(token, want, where string) *authError {
	var msg string
	switch {
	case want == "" && token != "":
		msg = "A security token was sent with a permanent access key."
	case want != "" && token == "":
		msg = where + " is required for a temporary access key."
	case want != "" && !equalSecret(token, want):
		msg = "The security token does not match the access key."
	default:
		return nil
	}
	return &authError{status: http.StatusBadRequest, code: "InvalidSecurityToken.MismatchWithAccessKey", msg: msg}
}

// useNonce records a nonce for 15 minutes; it reports false when the nonce
// was seen within that time.
func (s *Server) useNonce(nonce string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if exp, ok := s.nonces[nonce]; ok && now.Before(exp) {
		return false
	}
	s.nonces[nonce] = now.Add(maxSkew)
	s.nonceAdds++
	if s.nonceAdds%256 == 0 {
		for k, exp := range s.nonces {
			if !now.Before(exp) {
				delete(s.nonces, k)
			}
		}
	}
	return true
}

// rpcStringToSign is the string to sign of SignatureVersion 1.0: the
// method, the encoded "/", and the canonical query (every parameter but
// Signature) encoded once more.
func rpcStringToSign(method string, params url.Values) string {
	signed := make(url.Values, len(params))
	for k, v := range params {
		if k != "Signature" {
			signed[k] = v
		}
	}
	return method + "&" + escapeStrict("/") + "&" + escapeStrict(canonicalQuery(signed))
}

// rpcSignature is Base64(HMAC-SHA1(secret + "&", string to sign)).
func rpcSignature(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// verifyRPCv1 checks a request signed with SignatureVersion 1.0
// (HMAC-SHA1): the signature parameters given once each, the method and
// version, the timestamp window, the token of a temporary key, the
// signature over every parameter, then the one-time nonce.
func (s *Server) verifyRPCv1(method string, params url.Values) *authError {
	for _, k := range []string{"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"} {
		switch len(params[k]) {
		case 0:
			return aliIncomplete("the %s parameter is missing", k)
		case 1:
		default:
			return aliIncomplete("the %s parameter is given %d times", k, len(params[k]))
		}
		if params.Get(k) == "" {
			return aliIncomplete("the %s parameter is empty", k)
		}
	}
	if m := params.Get("SignatureMethod"); m != "HMAC-SHA1" {
		return aliIncomplete("SignatureMethod %q is not supported (HMAC-SHA1)", m)
	}
	if v := params.Get("SignatureVersion"); v != "1.0" {
		return aliIncomplete("SignatureVersion %q is not supported (1.0)", v)
	}
	secret, wantToken, aerr := s.credentialKey(false, params.Get("AccessKeyId"))
	if aerr != nil {
		return aerr
	}
	now := s.now()
	if aerr := aliTimestamp(params.Get("Timestamp"), now); aerr != nil {
		return aerr
	}
	if aerr := aliToken(params.Get("SecurityToken"), wantToken, "The SecurityToken parameter"); aerr != nil {
		return aerr
	}
	want := rpcSignature(secret, rpcStringToSign(method, params))
	if !hmac.Equal([]byte(want), []byte(params.Get("Signature"))) {
		return &authError{status: http.StatusBadRequest, code: "SignatureDoesNotMatch",
			msg: "Specified signature does not match our calculation: the signature is wrong"}
	}
	if !s.useNonce(params.Get("SignatureNonce"), now) {
		return &authError{status: http.StatusBadRequest, code: "SignatureNonceUsed",
			msg: "Specified signature nonce was used already."}
	}
	return nil
}
