package emulator

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The credential services: Huawei IAM security tokens (agency and OIDC)
// and the id-token exchange, Huawei ECS metadata, Alibaba STS AssumeRole
// and AssumeRoleWithOIDC, the Alibaba ECS instance metadata service
// (IMDSv2) and a credentials_uri, each a plug-in in a file of its own
// (credentials_*.go) that registers itself (registerCredentials); IAM v5
// AssumeAgency is a plug-in of the list APIs' kind (api_iam_v5_agencies.go),
// since it is signed like them. This file holds what they share: the
// store of what they issued, the signature keys it adds, and the
// dispatch. Credentials they issue are accepted by every API of the
// emulator until they expire; their lifetime is the one asked for, capped
// by Options.CredentialLifetime so that a test can watch a refresh during
// one read.

// Public test values of the credential services (emulator only).
const (
	DemoHuaweiAgency   = "opsaudit-auditor"
	DemoHuaweiDomain   = "opsaudit-domain"
	DemoHuaweiIdpID    = "opsaudit-ci"
	DemoHuaweiDomainID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"

	DemoAliRoleARN         = "acs:ram::1234567890123456:role/opsaudit-auditor"
	DemoAliOIDCProviderARN = "acs:ram::1234567890123456:oidc-provider/opsaudit-ci"
	DemoAliECSRoleName     = "opsaudit-ecs"
)

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
		if p, err := aliParams(req, r.Body); err == nil && p.Get("Signature") != "" {
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

// credService is a credential service the emulator serves, declared in
// its own file and registered from it: its name (for Requests and
// Recorded), which requests are its, its answer, and its answer to a
// body that could not be read (nil: a plain 413).
type credService struct {
	name       string
	match      func(r *http.Request) bool
	serve      func(c *credCall) *response
	unreadable func(c *credCall) *response
}

// credServices are the registered credential services.
var credServices []*credService

// registerCredentials adds a credential service; it panics on one
// without a name, a match or an answer, or whose name is taken.
func registerCredentials(cs *credService) {
	if cs.name == "" || cs.match == nil || cs.serve == nil {
		panic(fmt.Sprintf("emulator: credential service %q needs a name, a match and an answer", cs.name))
	}
	for _, o := range credServices {
		if o.name == cs.name {
			panic(fmt.Sprintf("emulator: two credential services named %q", cs.name))
		}
	}
	credServices = append(credServices, cs)
}

// serveCredentials answers a request for a credential service and
// reports true, or reports false for any other request.
func (s *Server) serveCredentials(w http.ResponseWriter, r *http.Request) bool {
	i := slices.IndexFunc(credServices, func(cs *credService) bool { return cs.match(r) })
	if i < 0 {
		return false
	}
	cs := credServices[i]
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	rec := s.begin(cs.name, r, body)
	c := &credCall{s: s, r: r, body: body, reqID: newHex(16)}
	var resp *response
	switch {
	case err != nil && cs.unreadable != nil:
		resp = cs.unreadable(c)
	case err != nil:
		resp = plain(http.StatusRequestEntityTooLarge, "the request body could not be read")
	default:
		resp = cs.serve(c)
	}
	s.end(cs.name, rec, resp.status)
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
