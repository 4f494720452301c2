package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The credential services: Huawei IAM security tokens (agency and OIDC),
// Alibaba STS AssumeRole and AssumeRoleWithOIDC, the ECS instance metadata
// service (IMDSv2) and a credentials_uri. Credentials they issue are
// accepted by every API of the emulator until they expire; their lifetime
// is the one asked for, capped by Options.CredentialLifetime so that a
// test can watch a refresh during one read.

// Public test values of the credential services (emulator only).
const (
	DemoHuaweiAgency   = "opsaudit-auditor"
	DemoHuaweiDomain   = "opsaudit-domain"
	DemoHuaweiIdpID    = "opsaudit-ci"
	DemoHuaweiDomainID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"

	DemoAliRoleARN         = "acs:ram::1234567890123456:role/opsaudit-auditor"
	DemoAliOIDCProviderARN = "acs:ram::1234567890123456:oidc-provider/opsaudit-ci"
	DemoAliECSRoleName     = "opsaudit-ecs"

	// CredentialsURIPath is where the emulator answers as a credentials_uri.
	CredentialsURIPath = "/opsaudit/credentials"
)

// API names of the credential services, for Requests and Recorded.
const (
	APISecurityTokens = "iam-securitytokens"
	APIIDTokenTokens  = "iam-id-token-tokens"
	APISTS            = "sts"
	APIIMDS           = "imds"
	APICredentialsURI = "credentials-uri"
)

// Issuers of credentials, as IssuedBy reports them.
const (
	IssuerHuaweiAgency = "huawei-assume-role"
	IssuerHuaweiOIDC   = "huawei-oidc"
	IssuerAliAssume    = "ali-assume-role"
	IssuerAliOIDC      = "ali-oidc"
	IssuerAliIMDS      = "ali-imds"
	IssuerAliURI       = "ali-credentials-uri"
)

// issued is a credential the emulator handed out.
type issued struct {
	huawei         bool
	secret, token  string
	expires        time.Time
	issuer, signer string // signer: the access key that asked, if any
}

// credStore holds issued credentials, IAM tokens and metadata tokens.
type credStore struct {
	mu       sync.Mutex
	keys     map[string]issued
	tokens   map[string]time.Time // IAM X-Subject-Token and IMDS tokens -> expiry
	sequence int
}

func (st *credStore) issue(now time.Time, life time.Duration, huawei bool, issuer, signer string) (string, issued) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.keys == nil {
		st.keys = map[string]issued{}
	}
	st.sequence++
	prefix := "STS.EMU"
	if huawei {
		prefix = "HWSTSEMU"
	}
	ak := fmt.Sprintf("%s%04d%s", prefix, st.sequence, strings.ToUpper(newHex(6)))
	is := issued{huawei: huawei, secret: "emu-sk-" + newHex(16), token: "emu-token-" + newHex(32),
		expires: now.Add(life).Truncate(time.Second), issuer: issuer, signer: signer}
	st.keys[ak] = is
	return ak, is
}

func (st *credStore) lookup(ak string) (issued, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	is, ok := st.keys[ak]
	return is, ok
}

func (st *credStore) newToken(now time.Time, life time.Duration) string {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.tokens == nil {
		st.tokens = map[string]time.Time{}
	}
	t := "emu-" + newHex(24)
	st.tokens[t] = now.Add(life)
	return t
}

func (st *credStore) validToken(t string, now time.Time) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	exp, ok := st.tokens[t]
	return ok && now.Before(exp)
}

// IssuedBy reports which credential service issued an access key (one of
// the Issuer constants), and false for a key the emulator did not issue.
func (s *Server) IssuedBy(accessKey string) (string, bool) {
	is, ok := s.creds.lookup(accessKey)
	return is.issuer, ok
}

// IssuedTo reports the access key that signed the request that obtained
// accessKey (empty for a key obtained without a signature).
func (s *Server) IssuedTo(accessKey string) string {
	is, _ := s.creds.lookup(accessKey)
	return is.signer
}

// SignedBy returns the access key named in a recorded request's
// Authorization header (either cloud's), or in its AccessKeyId parameter
// when it is signed with Alibaba's SignatureVersion 1.0 (a Signature
// parameter), or "" for an unsigned request.
func SignedBy(r RecordedRequest) string {
	h := r.Header.Get("Authorization")
	for _, field := range []string{"Access=", "Credential="} {
		if _, rest, ok := strings.Cut(h, field); ok {
			ak, _, _ := strings.Cut(rest, ",")
			return strings.TrimSpace(ak)
		}
	}
	if h == "" {
		req := &http.Request{Header: r.Header, URL: &url.URL{RawQuery: r.RawQuery}}
		if p, err := rpcParams(req, r.Body); err == nil && p.Get("Signature") != "" {
			return p.Get("AccessKeyId")
		}
	}
	return ""
}

// credentialKey resolves an access key for signature checks: the
// configured one, or an issued one of the same cloud that has not
// expired. It returns the secret and the token that must come with it.
func (s *Server) credentialKey(huawei bool, ak string) (secret, token string, aerr *authError) {
	switch {
	case huawei && equalSecret(ak, s.opts.HuaweiAccessKey):
		return s.opts.HuaweiSecretKey, s.opts.HuaweiSecurityToken, nil
	case !huawei && equalSecret(ak, s.opts.AliAccessKey):
		return s.opts.AliSecretKey, s.opts.AliSecurityToken, nil
	}
	is, ok := s.creds.lookup(ak)
	if !ok || is.huawei != huawei {
		if huawei {
			return "", "", &authError{status: http.StatusUnauthorized, code: "APIG.0301",
				msg: "Incorrect IAM authentication information: the access key does not exist"}
		}
		return "", "", &authError{status: http.StatusNotFound, code: "InvalidAccessKeyId.NotFound", msg: "Specified access key is not found."}
	}
	if !s.now().Before(is.expires) {
		if huawei {
			return "", "", &authError{status: http.StatusUnauthorized, code: "APIG.0301",
				msg: "Incorrect IAM authentication information: the temporary access key has expired"}
		}
		return "", "", &authError{status: http.StatusBadRequest, code: "InvalidSecurityToken.Expired", msg: "Specified SecurityToken is expired."}
	}
	return is.secret, is.token, nil
}

// lifetime is how long issued credentials live: the duration asked for,
// capped by Options.CredentialLifetime.
func (s *Server) lifetime(requested time.Duration) time.Duration {
	if c := s.opts.CredentialLifetime; c > 0 && c < requested {
		return c
	}
	return requested
}

// credentialRoute names the credential service a request is for, or "".
func credentialRoute(r *http.Request) string {
	p := r.URL.Path
	switch {
	case p == "/v3.0/OS-CREDENTIAL/securitytokens":
		return APISecurityTokens
	case p == "/v3.0/OS-AUTH/id-token/tokens":
		return APIIDTokenTokens
	case p == "/latest/api/token", strings.HasPrefix(p, "/latest/meta-data/"):
		return APIIMDS
	case p == CredentialsURIPath:
		return APICredentialsURI
	case p == "/" || p == "":
		action := r.Header.Get("x-acs-action")
		if action == "" {
			action = r.URL.Query().Get("Action")
		}
		if action == "AssumeRole" || action == "AssumeRoleWithOIDC" {
			return APISTS
		}
	}
	return ""
}

// serveCredentials answers a request for a credential service and
// reports true, or reports false for any other request.
func (s *Server) serveCredentials(w http.ResponseWriter, r *http.Request) bool {
	if s.serveHuaweiMetadata(w, r) {
		return true
	}
	api := credentialRoute(r)
	if api == "" {
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	rec := s.begin(api, r, body)
	var resp *response
	c := &credCall{s: s, r: r, body: body, reqID: newHex(16)}
	switch {
	case err != nil && (api == APISecurityTokens || api == APIIDTokenTokens):
		resp = c.hwErr(http.StatusRequestEntityTooLarge, "APIG.0201", "The request body could not be read.")
	case err != nil && api == APISTS:
		resp = c.aliErr(http.StatusRequestEntityTooLarge, "InvalidParameter", "The request body could not be read.")
	case err != nil:
		resp = plain(http.StatusRequestEntityTooLarge, "the request body could not be read")
	default:
		switch api {
		case APISecurityTokens:
			resp = c.securityTokens()
		case APIIDTokenTokens:
			resp = c.idTokenTokens()
		case APISTS:
			resp = c.sts()
		case APIIMDS:
			resp = c.imds()
		case APICredentialsURI:
			resp = c.credentialsURI()
		}
	}
	s.end(api, rec, resp.status)
	resp.write(w)
	return true
}

type credCall struct {
	s     *Server
	r     *http.Request
	body  []byte
	reqID string
}

func plain(status int, text string) *response {
	return &response{status: status, header: http.Header{"Content-Type": {"text/plain"}}, body: []byte(text)}
}

func (c *credCall) hwJSON(status int, v any) *response {
	return &response{status: status, header: http.Header{"Content-Type": {"application/json;charset=UTF-8"}, "X-Request-Id": {c.reqID}}, body: marshal(v)}
}

func (c *credCall) hwErr(status int, code, msg string) *response {
	return c.hwJSON(status, hwErrorBody{ErrorCode: code, ErrorMsg: msg})
}

func (c *credCall) aliJSON(status int, v any) *response {
	return &response{status: status, header: http.Header{"Content-Type": {"application/json;charset=utf-8"}, "x-acs-request-id": {c.reqID}}, body: marshal(v)}
}

func (c *credCall) aliErr(status int, code, msg string) *response {
	return c.aliJSON(status, aliErrorBody{Code: code, Message: msg, RequestID: c.reqID, HostID: c.r.Host})
}

// hwCredential is the credential object of IAM securitytokens answers.
type hwCredential struct {
	Access        string `json:"access"`
	Secret        string `json:"secret"`
	SecurityToken string `json:"securitytoken"`
	ExpiresAt     string `json:"expires_at"`
}

// securityTokens answers IAM POST /v3.0/OS-CREDENTIAL/securitytokens:
// method assume_role signed with AK/SK, or method token with the subject
// token in the X-Auth-Token header or in the body's token.id (the
// official SDK and the huaweicloud provider send the body form; IAM's
// model gives the body id as the header's equal). A request that also
// carries an AK/SK signature must verify, as the gateway checks it first.
func (c *credCall) securityTokens() *response {
	if c.r.Method != http.MethodPost {
		return c.hwErr(http.StatusMethodNotAllowed, "APIG.0101", "Method not allowed.")
	}
	var req struct {
		Auth struct {
			Identity struct {
				Methods    []string `json:"methods"`
				AssumeRole *struct {
					AgencyName      string `json:"agency_name"`
					DomainName      string `json:"domain_name"`
					DomainID        string `json:"domain_id"`
					DurationSeconds int    `json:"duration_seconds"`
				} `json:"assume_role"`
				Token *struct {
					ID              string `json:"id"`
					DurationSeconds int    `json:"duration_seconds"`
				} `json:"token"`
			} `json:"identity"`
		} `json:"auth"`
	}
	bodyErr := json.Unmarshal(c.body, &req)
	id := req.Auth.Identity
	header := c.r.Header.Get("X-Auth-Token")
	tokenMethod := header != "" || (bodyErr == nil && len(id.Methods) == 1 && id.Methods[0] == "token")
	if c.r.Header.Get("Authorization") != "" || !tokenMethod {
		if aerr := c.s.verifyHuawei(c.r, c.body); aerr != nil {
			return c.hwErr(aerr.status, aerr.code, aerr.msg)
		}
	}
	var duration int
	var issuer, signer string
	if tokenMethod {
		if bodyErr != nil || id.Token == nil || len(id.Methods) != 1 || id.Methods[0] != "token" {
			return c.hwErr(http.StatusBadRequest, "IAM.0007", "The request body is invalid: methods must be [\"token\"] with a token object.")
		}
		tok := header
		switch body := id.Token.ID; {
		case tok == "" && body == "":
			return c.hwErr(http.StatusUnauthorized, "IAM.0001", "The token is missing: send it as X-Auth-Token or as auth.identity.token.id.")
		case tok == "":
			tok = body
		case body != "" && !equalSecret(body, tok):
			return c.hwErr(http.StatusBadRequest, "IAM.0007", "The request body is invalid: auth.identity.token.id differs from X-Auth-Token.")
		}
		if !c.s.creds.validToken(tok, c.s.now()) {
			return c.hwErr(http.StatusUnauthorized, "IAM.0001", "The token is invalid or has expired.")
		}
		duration, issuer = id.Token.DurationSeconds, IssuerHuaweiOIDC
	} else {
		if bodyErr != nil || id.AssumeRole == nil || len(id.Methods) != 1 || id.Methods[0] != "assume_role" {
			return c.hwErr(http.StatusBadRequest, "IAM.0007", "The request body is invalid: methods must be [\"assume_role\"] with an assume_role object.")
		}
		ar := id.AssumeRole
		// The agency's domain by name or by id (IAM's model takes
		// either; the SDK's IdentityAssumerole has both).
		domain := ar.DomainName
		if domain == "" && ar.DomainID == DemoHuaweiDomainID {
			domain = DemoHuaweiDomain
		}
		if domain != DemoHuaweiDomain || ar.AgencyName != DemoHuaweiAgency {
			return c.hwErr(http.StatusNotFound, "IAM.0002", fmt.Sprintf("Could not find agency %q in domain %q.", ar.AgencyName, ar.DomainName+ar.DomainID))
		}
		duration, issuer, signer = ar.DurationSeconds, IssuerHuaweiAgency, SignedBy(RecordedRequest{Header: c.r.Header})
	}
	if duration == 0 {
		duration = 900
	}
	if duration < 900 || duration > 86400 {
		return c.hwErr(http.StatusBadRequest, "IAM.0007", "duration_seconds must be between 900 and 86400.")
	}
	ak, is := c.s.creds.issue(c.s.now(), c.s.lifetime(time.Duration(duration)*time.Second), true, issuer, signer)
	return c.hwJSON(http.StatusCreated, map[string]hwCredential{"credential": {
		Access: ak, Secret: is.secret, SecurityToken: is.token, ExpiresAt: is.expires.UTC().Format("2006-01-02T15:04:05.000000Z"),
	}})
}

// idTokenTokens answers IAM POST /v3.0/OS-AUTH/id-token/tokens: an OIDC
// id token of the emulator's provider for an IAM token in X-Subject-Token.
func (c *credCall) idTokenTokens() *response {
	if c.r.Method != http.MethodPost {
		return c.hwErr(http.StatusMethodNotAllowed, "APIG.0101", "Method not allowed.")
	}
	if idp := c.r.Header.Get("X-Idp-Id"); idp != DemoHuaweiIdpID {
		return c.hwErr(http.StatusNotFound, "IAM.1000", fmt.Sprintf("The identity provider %q does not exist.", idp))
	}
	var req struct {
		Auth struct {
			IDToken struct {
				ID string `json:"id"`
			} `json:"id_token"`
			Scope *struct {
				Domain struct {
					ID string `json:"id"`
				} `json:"domain"`
			} `json:"scope"`
		} `json:"auth"`
	}
	if json.Unmarshal(c.body, &req) != nil || req.Auth.IDToken.ID == "" {
		return c.hwErr(http.StatusBadRequest, "IAM.0007", "The request body is invalid: auth.id_token.id is required.")
	}
	if sc := req.Auth.Scope; sc != nil && sc.Domain.ID != DemoHuaweiDomainID {
		return c.hwErr(http.StatusBadRequest, "IAM.0007", "The scope's domain does not own the identity provider.")
	}
	if err := checkIDToken(req.Auth.IDToken.ID, c.s.now()); err != nil {
		if errors.Is(err, errTokenExpired) {
			return c.hwErr(http.StatusBadRequest, "IAM.1001", "The id_token has expired.")
		}
		return c.hwErr(http.StatusBadRequest, "IAM.1002", "The id_token is invalid: its signature or claims do not verify.")
	}
	life := c.s.lifetime(24 * time.Hour)
	tok := c.s.creds.newToken(c.s.now(), life)
	resp := c.hwJSON(http.StatusCreated, map[string]any{"token": map[string]any{
		"expires_at": c.s.now().Add(life).UTC().Format("2006-01-02T15:04:05.000000Z"), "methods": []string{"mapped"},
	}})
	resp.header["X-Subject-Token"] = []string{tok}
	return resp
}

// stsCredentials is the Credentials object of STS and metadata answers.
type stsCredentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken"`
	Expiration      string `json:"Expiration"`
}

func aliCredentials(ak string, is issued) stsCredentials {
	return stsCredentials{AccessKeyID: ak, AccessKeySecret: is.secret, SecurityToken: is.token, Expiration: is.expires.UTC().Format(aliDateFmt)}
}

// sts answers STS AssumeRole (signed) and AssumeRoleWithOIDC (unsigned).
func (c *credCall) sts() *response {
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return c.aliErr(http.StatusBadRequest, "InvalidParameter", "The request parameters are malformed.")
	}
	if strings.HasPrefix(strings.ToLower(c.r.Header.Get("Content-Type")), "application/x-www-form-urlencoded") && len(c.body) > 0 {
		form, err := url.ParseQuery(string(c.body))
		if err != nil {
			return c.aliErr(http.StatusBadRequest, "InvalidParameter", "The request body is malformed.")
		}
		for k, v := range form {
			q[k] = append(q[k], v...)
		}
	}
	action := c.r.Header.Get("x-acs-action")
	if action == "" {
		action = q.Get("Action")
	}
	version := c.r.Header.Get("x-acs-version")
	if version == "" {
		version = q.Get("Version")
	}
	if version != "2015-04-01" {
		return c.aliErr(http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid.")
	}
	duration := 3600
	if v := q.Get("DurationSeconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 900 || n > 43200 {
			return c.aliErr(http.StatusBadRequest, "InvalidParameter.DurationSeconds", "The DurationSeconds must be between 900 and 43200.")
		}
		duration = n
	}
	if q.Get("RoleSessionName") == "" {
		return c.aliErr(http.StatusBadRequest, "MissingRoleSessionName", "RoleSessionName is mandatory for this action.")
	}
	var issuer, signer string
	if action == "AssumeRole" {
		if aerr := c.s.verifyAli(c.r, c.body); aerr != nil {
			return c.aliErr(aerr.status, aerr.code, aerr.msg)
		}
		issuer, signer = IssuerAliAssume, SignedBy(RecordedRequest{Header: c.r.Header, RawQuery: c.r.URL.RawQuery, Body: c.body})
	} else {
		if c.r.Header.Get("Authorization") != "" || q.Has("Signature") {
			return c.aliErr(http.StatusBadRequest, "InvalidParameter", "AssumeRoleWithOIDC is an anonymous call: send it without a signature.")
		}
		// credentials-go and the STS SDK send a Timestamp with the
		// anonymous call too; when there is one, it is held to the
		// signed calls' format and window.
		if ts := q.Get("Timestamp"); ts != "" {
			t, err := time.Parse(aliDateFmt, ts)
			switch {
			case err != nil:
				return c.aliErr(http.StatusBadRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
			case skewed(t, c.s.now()):
				return c.aliErr(http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
			}
		}
		if arn := q.Get("OIDCProviderArn"); arn != DemoAliOIDCProviderARN {
			return c.aliErr(http.StatusNotFound, "EntityNotExist.OIDCProvider", fmt.Sprintf("The OIDC provider does not exist: %s.", arn))
		}
		switch err := checkIDToken(q.Get("OIDCToken"), c.s.now()); {
		case errors.Is(err, errTokenExpired):
			return c.aliErr(http.StatusBadRequest, "AuthenticationFail.OIDCToken.Expired", "The OIDCToken has expired.")
		case err != nil:
			return c.aliErr(http.StatusBadRequest, "AuthenticationFail.OIDCToken.Invalid", "The OIDCToken is invalid: its signature or claims do not verify.")
		}
		issuer = IssuerAliOIDC
	}
	if refused := c.trustRole(q); refused != nil {
		return refused
	}
	ak, is := c.s.creds.issue(c.s.now(), c.s.lifetime(time.Duration(duration)*time.Second), false, issuer, signer)
	return c.aliJSON(http.StatusOK, map[string]any{
		"RequestId":       c.reqID,
		"AssumedRoleUser": map[string]string{"Arn": q.Get("RoleArn") + "/" + q.Get("RoleSessionName"), "AssumedRoleId": "3000000000000000:" + q.Get("RoleSessionName")},
		"Credentials":     aliCredentials(ak, is),
	})
}

type metadataAnswer struct {
	Code        string `json:"Code"`
	LastUpdated string `json:"LastUpdated"`
	stsCredentials
}

// imds answers the ECS instance metadata service in IMDSv2 mode: a token
// first (PUT), then, with it, the role's name (GET
// /latest/meta-data/ram/security-credentials/) or its credentials (the
// same path ending in the role name).
func (c *credCall) imds() *response {
	now := c.s.now()
	if c.r.URL.Path == "/latest/api/token" {
		if c.r.Method != http.MethodPut {
			return plain(http.StatusMethodNotAllowed, "Method Not Allowed")
		}
		ttl, err := strconv.Atoi(c.r.Header.Get("X-aliyun-ecs-metadata-token-ttl-seconds"))
		if err != nil || ttl < 1 || ttl > 21600 {
			return plain(http.StatusBadRequest, "X-aliyun-ecs-metadata-token-ttl-seconds must be 1 to 21600")
		}
		return plain(http.StatusOK, c.s.creds.newToken(now, time.Duration(ttl)*time.Second))
	}
	if c.r.Method != http.MethodGet {
		return plain(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	if !c.s.creds.validToken(c.r.Header.Get("X-aliyun-ecs-metadata-token"), now) {
		return plain(http.StatusUnauthorized, "Unauthorized")
	}
	role, ok := strings.CutPrefix(c.r.URL.Path, "/latest/meta-data/ram/security-credentials/")
	if ok && role == "" {
		// The role discovery of credentials-go when no role name is
		// configured: the instance's role, as plain text.
		return plain(http.StatusOK, DemoAliECSRoleName)
	}
	if !ok || role != DemoAliECSRoleName {
		return plain(http.StatusNotFound, "Not Found")
	}
	ak, is := c.s.creds.issue(now, c.s.lifetime(6*time.Hour), false, IssuerAliIMDS, "")
	return &response{status: http.StatusOK, header: http.Header{"Content-Type": {"text/plain"}},
		body: marshal(metadataAnswer{Code: "Success", LastUpdated: now.UTC().Format(aliDateFmt), stsCredentials: aliCredentials(ak, is)})}
}

// credentialsURI answers a plain GET with credentials, as a credentials_uri does.
func (c *credCall) credentialsURI() *response {
	if c.r.Method != http.MethodGet {
		return plain(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	now := c.s.now()
	ak, is := c.s.creds.issue(now, c.s.lifetime(time.Hour), false, IssuerAliURI, "")
	return &response{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}},
		body: marshal(metadataAnswer{Code: "Success", LastUpdated: now.UTC().Format(aliDateFmt), stsCredentials: aliCredentials(ak, is)})}
}

// IssuedSecrets lists every secret the credential services handed out:
// secret keys, security tokens, IAM tokens and metadata tokens (for tests
// that look for them where they must not be).
func (s *Server) IssuedSecrets() []string {
	st := &s.creds
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []string
	for _, is := range st.keys {
		out = append(out, is.secret, is.token)
	}
	for t := range st.tokens {
		out = append(out, t)
	}
	return out
}
