package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// idTokenSubject exchanges an id token of the emulator's provider for an
// IAM subject token, as the SDK's federation does.
func (e *env) idTokenSubject() string {
	e.t.Helper()
	idt, err := IDToken("ci", time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	req := e.newReq(http.MethodPost, "/v3.0/OS-AUTH/id-token/tokens", nil, []byte(`{"auth":{"id_token":{"id":"`+idt+`"}}}`))
	req.Header.Set("X-Idp-Id", DemoHuaweiIdpID)
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	r := e.send(req)
	if r.status != http.StatusCreated || r.header.Get("X-Subject-Token") == "" {
		e.t.Fatalf("id token exchange: %d %s", r.status, r.body)
	}
	if r.header.Get("X-Request-Id") == "" {
		e.t.Fatal("id token answer without X-Request-Id (the SDK fails without it)")
	}
	return r.header.Get("X-Subject-Token")
}

func tokenBody(id string) []byte {
	tok := map[string]any{"duration_seconds": 900}
	if id != "" {
		tok["id"] = id
	}
	b, _ := json.Marshal(map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{"token"}, "token": tok}}})
	return b
}

// IAM securitytokens with method token: the subject token in the header
// (as the provider sends it) or in the body's token.id (as the official
// SDK and the huaweicloud provider do), both forms accepted.
func TestSecurityTokensTokenForms(t *testing.T) {
	e := newEnv(t, Options{})
	subject := e.idTokenSubject()
	post := func(header string, body []byte, sign bool) result {
		req := e.newReq(http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens", nil, body)
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
		if header != "" {
			req.Header.Set("X-Auth-Token", header)
		}
		if sign {
			signHW(req, body, e.hw, time.Now())
		}
		return e.send(req)
	}
	issued := func(r result) {
		t.Helper()
		if r.status != http.StatusCreated {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		var ans struct{ Credential hwCredential }
		if err := json.Unmarshal(r.body, &ans); err != nil || ans.Credential.Access == "" {
			t.Fatalf("answer %s", r.body)
		}
		if by, _ := e.s.IssuedBy(ans.Credential.Access); by != IssuerHuaweiOIDC {
			t.Errorf("issued by %q", by)
		}
		if r.header.Get("X-Request-Id") == "" {
			t.Error("no X-Request-Id")
		}
	}
	t.Run("header", func(t *testing.T) { issued(post(subject, tokenBody(""), false)) })
	t.Run("body", func(t *testing.T) { issued(post("", tokenBody(subject), false)) })
	t.Run("both, equal", func(t *testing.T) { issued(post(subject, tokenBody(subject), false)) })
	t.Run("body, with a valid AK/SK signature", func(t *testing.T) { issued(post("", tokenBody(subject), true)) })
	t.Run("both, different", func(t *testing.T) {
		wantHWErr(t, post(subject, tokenBody("emu-other"), false), 400, "IAM.0007")
	})
	t.Run("neither", func(t *testing.T) { wantHWErr(t, post("", tokenBody(""), false), 401, "IAM.0001") })
	t.Run("unknown token in the body", func(t *testing.T) {
		wantHWErr(t, post("", tokenBody("emu-0000"), false), 401, "IAM.0001")
	})
	t.Run("bad AK/SK signature", func(t *testing.T) {
		req := e.newReq(http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens", nil, tokenBody(subject))
		req.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+DemoHuaweiAccessKey+", SignedHeaders=x-sdk-date, Signature=00")
		req.Header.Set("X-Sdk-Date", time.Now().UTC().Format(huaweiDateFmt))
		wantHWErr(t, e.send(req), 401, "APIG.0301")
	})
	t.Run("assume_role body without a signature", func(t *testing.T) {
		body := []byte(`{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"agency_name":"` + DemoHuaweiAgency + `","domain_name":"` + DemoHuaweiDomain + `"}}}}`)
		wantHWErr(t, post("", body, false), 401, "APIG.0301")
	})
}

// The agency call as the official SDK signs it: user-agent, x-project-id
// (none for IAM) and x-sdk-date, no host.
func TestSecurityTokensAssumeRoleWithoutHost(t *testing.T) {
	e := newEnv(t, Options{})
	body := []byte(`{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"agency_name":"` + DemoHuaweiAgency + `","domain_name":"` + DemoHuaweiDomain + `","duration_seconds":3600}}}}`)
	req := e.newReq(http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens", nil, body)
	req.Header.Set("User-Agent", "huaweicloud-usdk-go/3.0")
	date := time.Now().UTC().Format(huaweiDateFmt)
	req.Header.Set("X-Sdk-Date", date)
	signed := []string{"user-agent", "x-sdk-date"}
	canon := tCanonical(req, signed, tSHA(body), true)
	sig := tHMAC(e.hw.sk, "SDK-HMAC-SHA256\n"+date+"\n"+tSHA([]byte(canon)))
	req.Header.Set("Authorization", fmt.Sprintf("SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s", e.hw.ak, strings.Join(signed, ";"), sig))
	if r := e.send(req); r.status != http.StatusCreated {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
}

// Every answer of the Huawei credential services carries X-Request-Id,
// errors included (the SDK reads it from every IAM answer).
func TestHuaweiCredentialAnswersCarryRequestID(t *testing.T) {
	e := newEnv(t, Options{})
	for name, req := range map[string]*http.Request{
		"securitytokens, wrong method":   e.newReq(http.MethodGet, "/v3.0/OS-CREDENTIAL/securitytokens", nil, nil),
		"securitytokens, bad body":       e.newReq(http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens", nil, []byte("{")),
		"id-token, wrong method":         e.newReq(http.MethodGet, "/v3.0/OS-AUTH/id-token/tokens", nil, nil),
		"id-token, unknown provider":     e.newReq(http.MethodPost, "/v3.0/OS-AUTH/id-token/tokens", nil, []byte("{}")),
		"securitytokens, body too large": e.newReq(http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens", nil, bytes.Repeat([]byte("x"), maxBodyBytes+1)),
	} {
		t.Run(name, func(t *testing.T) {
			r := e.send(req)
			if r.status < 400 {
				t.Fatalf("status %d", r.status)
			}
			if r.header.Get("X-Request-Id") == "" {
				t.Errorf("status %d without X-Request-Id: %s", r.status, r.body)
			}
			var body hwErr
			if err := json.Unmarshal(r.body, &body); err != nil || body.ErrorCode == "" {
				t.Errorf("not Huawei's error shape: %s", r.body)
			}
		})
	}
}

// ECS role discovery (credentials-go with no role name): the role name,
// with a metadata token, then its credentials.
func TestIMDSRoleDiscovery(t *testing.T) {
	e := newEnv(t, Options{})
	put := e.newReq(http.MethodPut, "/latest/api/token", nil, nil)
	put.Header.Set("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")
	tok := e.send(put)
	if tok.status != http.StatusOK {
		t.Fatalf("token: %d", tok.status)
	}
	get := func(path, token string) result {
		req := e.newReq(http.MethodGet, path, nil, nil)
		if token != "" {
			req.Header.Set("X-aliyun-ecs-metadata-token", token)
		}
		return e.send(req)
	}
	r := get("/latest/meta-data/ram/security-credentials/", string(tok.body))
	if r.status != http.StatusOK || string(r.body) != DemoAliECSRoleName {
		t.Fatalf("role discovery: %d %q", r.status, r.body)
	}
	if r := get("/latest/meta-data/ram/security-credentials/"+string(r.body), string(tok.body)); r.status != http.StatusOK {
		t.Fatalf("credentials of the discovered role: %d %s", r.status, r.body)
	}
	if r := get("/latest/meta-data/ram/security-credentials/", ""); r.status != http.StatusUnauthorized {
		t.Errorf("role discovery without a token: %d", r.status)
	}
	if r := get("/latest/meta-data/ram/security-credentials/other-role", string(tok.body)); r.status != http.StatusNotFound {
		t.Errorf("another role: %d", r.status)
	}
}

// AssumeRoleWithOIDC in both shapes: the action in headers and every
// parameter in the query, and credentials-go's (Action, Version, Format
// and Timestamp in the query, the parameters in a form body).
func TestAssumeRoleWithOIDCShapes(t *testing.T) {
	e := newEnv(t, Options{})
	idt, err := IDToken("ci", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	params := url.Values{"RoleArn": {DemoAliRoleARN}, "OIDCProviderArn": {DemoAliOIDCProviderARN}, "OIDCToken": {idt}, "RoleSessionName": {"ci"}, "DurationSeconds": {"900"}}
	headerShape := func() *http.Request {
		req := e.newReq(http.MethodPost, "/", params, nil)
		req.Header.Set("x-acs-action", "AssumeRoleWithOIDC")
		req.Header.Set("x-acs-version", "2015-04-01")
		return req
	}
	formShape := func(ts string, edit func(q url.Values)) *http.Request {
		q := url.Values{"Action": {"AssumeRoleWithOIDC"}, "Version": {"2015-04-01"}, "Format": {"JSON"}, "Timestamp": {ts}}
		if edit != nil {
			edit(q)
		}
		req := e.newReq(http.MethodPost, "/", nil, []byte(params.Encode()))
		req.URL.RawQuery = q.Encode()
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	}
	now := time.Now().UTC()
	for name, req := range map[string]*http.Request{
		"headers and query":         headerShape(),
		"credentials-go":            formShape(now.Format(aliDateFmt), nil),
		"credentials-go, no format": formShape(now.Format(aliDateFmt), func(q url.Values) { q.Del("Format") }),
	} {
		t.Run(name, func(t *testing.T) {
			r := e.send(req)
			wantOK(t, r)
			var ans struct{ Credentials stsCredentials }
			if err := json.Unmarshal(r.body, &ans); err != nil || ans.Credentials.SecurityToken == "" {
				t.Fatalf("answer %s", r.body)
			}
		})
	}
	t.Run("timestamp format", func(t *testing.T) {
		wantAliErr(t, e.send(formShape(now.Format(time.RFC1123), nil)), 400, "InvalidTimeStamp.Format")
	})
	t.Run("old timestamp", func(t *testing.T) {
		wantAliErr(t, e.send(formShape(now.Add(-time.Hour).Format(aliDateFmt), nil)), 400, "InvalidTimeStamp.Expired")
	})
	t.Run("signed", func(t *testing.T) {
		wantAliErr(t, e.send(formShape(now.Format(aliDateFmt), func(q url.Values) { q.Set("Signature", "x") })), 400, "InvalidParameter")
	})
}
