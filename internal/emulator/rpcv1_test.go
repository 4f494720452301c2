package emulator

// The RPC signature of SignatureVersion 1.0 (HMAC-SHA1): the verifier
// pinned by the published vectors, a test-side signer written the way the
// SDKs write it (url.Values.Encode with '+' made %20), and the server's
// answers to signed, tampered and incomplete requests on OOS and STS.

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestVectorRPCV1Verifier(t *testing.T) {
	for name, tc := range map[string]struct {
		params url.Values
		want   string
	}{
		"ALI-V1-1": {url.Values{
			"AccessKeyId": {"testid"}, "Action": {"DescribeDedicatedHosts"}, "Format": {"JSON"}, "RegionId": {"cn-beijing"},
			"SignatureMethod": {"HMAC-SHA1"}, "SignatureNonce": {"edb2b34af0af9a6d14deaf7c1a5315eb"}, "SignatureVersion": {"1.0"},
			"Timestamp": {"2023-03-13T08:34:30Z"}, "Version": {"2014-05-26"}}, "9NaGiOspFP5UPcwX8Iwt2YJXXuk="},
		"ALI-V1-2": {url.Values{
			"AccessKeyId": {"testid"}, "Action": {"DescribeRegions"}, "Format": {"XML"}, "SignatureMethod": {"HMAC-SHA1"},
			"SignatureNonce": {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"}, "SignatureVersion": {"1.0"},
			"Timestamp": {"2016-02-23T12:46:24Z"}, "Version": {"2014-05-26"}}, "OLeaidS1JvxuMvnyHOwuJ+uX5qY="},
	} {
		t.Run(name, func(t *testing.T) {
			if got := rpcSignature("testsecret", rpcStringToSign("GET", tc.params)); got != tc.want {
				t.Errorf("signature %s, want %s", got, tc.want)
			}
			if got := tRPCSign("GET", tc.params, "testsecret"); got != tc.want {
				t.Errorf("test signer %s, want %s", got, tc.want)
			}
			// The server checks the vector as a request.
			p := url.Values{}
			for k, v := range tc.params {
				p[k] = v
			}
			p.Set("Signature", tc.want)
			ts, _ := time.Parse(aliDateFmt, p.Get("Timestamp"))
			s, _ := New(Options{AliAccessKey: "testid", AliSecretKey: "testsecret", Now: fixedNow(ts.Add(time.Minute))})
			if aerr := s.verifyRPCv1("GET", p); aerr != nil {
				t.Fatalf("vector refused: %v", aerr)
			}
		})
	}
}

// tRPCSign signs the way credentials-go and darabonba-openapi do.
func tRPCSign(method string, params url.Values, secret string) string {
	p := url.Values{}
	for k, v := range params {
		if k != "Signature" {
			p[k] = v
		}
	}
	cq := strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(p.Encode())
	sts := method + "&%2F&" + url.QueryEscape(cq)
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(sts))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// rpcV1Req builds a POST / signed with SignatureVersion 1.0: query holds
// the action's parameters, form (when not nil) is sent as a form body and
// signed with them. edit changes the parameters after signing.
func (e *env) rpcV1Req(query, form url.Values, c aliCreds, at time.Time, edit func(q, f url.Values)) *http.Request {
	e.t.Helper()
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("AccessKeyId", c.ak)
	q.Set("SignatureMethod", "HMAC-SHA1")
	q.Set("SignatureVersion", "1.0")
	q.Set("SignatureNonce", fmt.Sprintf("v1-%d-%d", time.Now().UnixNano(), nonceSeq.Add(1)))
	q.Set("Timestamp", at.UTC().Format(aliDateFmt))
	q.Set("Format", "JSON")
	if c.token != "" {
		q.Set("SecurityToken", c.token)
	}
	all := url.Values{}
	for k, v := range q {
		all[k] = v
	}
	for k, v := range form {
		all[k] = append(all[k], v...)
	}
	q.Set("Signature", tRPCSign(http.MethodPost, all, c.sk))
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if edit != nil {
		edit(q, f)
	}
	var body []byte
	if form != nil {
		body = []byte(f.Encode())
	}
	req := e.newReq(http.MethodPost, "/", nil, body)
	req.URL.RawQuery = q.Encode() // as the SDKs send it: '+' for a space
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

func oosParams() url.Values {
	return url.Values{"Action": {"ListExecutionLogs"}, "Version": {"2019-06-01"}, "ExecutionId": {ExecutionID(1)}, "RegionId": {DemoRegionAli}}
}

func TestRPCV1AcceptedOnOOS(t *testing.T) {
	e := newEnv(t, Options{})
	now := time.Now()
	wantOK(t, e.send(e.rpcV1Req(oosParams(), nil, e.ali, now, nil)))
	// Parameters in a form body are signed too.
	form := url.Values{"ExecutionId": {ExecutionID(1)}, "LogType": {"Output"}}
	q := url.Values{"Action": {"ListExecutionLogs"}, "Version": {"2019-06-01"}}
	wantOK(t, e.send(e.rpcV1Req(q, form, e.ali, now, nil)))
	// Values that need escaping, a space included (sent as '+').
	hostile := oosParams()
	hostile.Set("TaskExecutionId", "t 1+2/3~*'()&=?一")
	wantOK(t, e.send(e.rpcV1Req(hostile, nil, e.ali, now, nil)))
}

func TestRPCV1Refusals(t *testing.T) {
	e := newEnv(t, Options{})
	now := time.Now()
	for _, tc := range []struct {
		name   string
		at     time.Time
		creds  aliCreds
		edit   func(q, f url.Values)
		form   url.Values
		status int
		code   string
	}{
		{name: "altered signature", edit: func(q, _ url.Values) { q.Set("Signature", "AAAA"+q.Get("Signature")[4:]) }, status: 400, code: "SignatureDoesNotMatch"},
		{name: "parameter changed after signing", edit: func(q, _ url.Values) { q.Set("ExecutionId", ExecutionID(2)) }, status: 400, code: "SignatureDoesNotMatch"},
		{name: "parameter added after signing", edit: func(q, _ url.Values) { q.Set("LogType", "Output") }, status: 400, code: "SignatureDoesNotMatch"},
		{name: "form value changed after signing", form: url.Values{"LogType": {"Output"}}, edit: func(_, f url.Values) { f.Set("LogType", "Task") }, status: 400, code: "SignatureDoesNotMatch"},
		{name: "expired timestamp", at: now.Add(-16 * time.Minute), status: 400, code: "InvalidTimeStamp.Expired"},
		{name: "future timestamp", at: now.Add(16 * time.Minute), status: 400, code: "InvalidTimeStamp.Expired"},
		{name: "timestamp format", edit: func(q, _ url.Values) { q.Set("Timestamp", now.UTC().Format(time.RFC1123)) }, status: 400, code: "InvalidTimeStamp.Format"},
		{name: "no nonce", edit: func(q, _ url.Values) { q.Del("SignatureNonce") }, status: 400, code: "IncompleteSignature"},
		{name: "no timestamp", edit: func(q, _ url.Values) { q.Del("Timestamp") }, status: 400, code: "IncompleteSignature"},
		{name: "no access key", edit: func(q, _ url.Values) { q.Del("AccessKeyId") }, status: 400, code: "IncompleteSignature"},
		{name: "no signature method", edit: func(q, _ url.Values) { q.Del("SignatureMethod") }, status: 400, code: "IncompleteSignature"},
		{name: "other signature method", edit: func(q, _ url.Values) { q.Set("SignatureMethod", "HMAC-SHA256") }, status: 400, code: "IncompleteSignature"},
		{name: "other signature version", edit: func(q, _ url.Values) { q.Set("SignatureVersion", "2.0") }, status: 400, code: "IncompleteSignature"},
		{name: "signature given twice", edit: func(q, _ url.Values) { q.Add("Signature", q.Get("Signature")) }, status: 400, code: "IncompleteSignature"},
		{name: "empty signature", edit: func(q, _ url.Values) { q.Set("Signature", "") }, status: 400, code: "IncompleteSignature"},
		{name: "unknown access key", creds: aliCreds{"NOSUCHKEY", "x", ""}, status: 404, code: "InvalidAccessKeyId.NotFound"},
		{name: "wrong secret", creds: aliCreds{DemoAliAccessKey, "wrong", ""}, status: 400, code: "SignatureDoesNotMatch"},
		{name: "token with a permanent key", creds: aliCreds{DemoAliAccessKey, DemoAliSecretKey, "tok"}, status: 400, code: "InvalidSecurityToken.MismatchWithAccessKey"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at := tc.at
			if at.IsZero() {
				at = now
			}
			c := tc.creds
			if c.ak == "" {
				c = e.ali
			}
			q := oosParams()
			if tc.form != nil {
				for k := range tc.form {
					q.Del(k)
				}
			}
			wantAliErr(t, e.send(e.rpcV1Req(q, tc.form, c, at, tc.edit)), tc.status, tc.code)
		})
	}
	t.Run("nonce used twice", func(t *testing.T) {
		req := e.rpcV1Req(oosParams(), nil, e.ali, now, nil)
		again := req.Clone(t.Context())
		wantOK(t, e.send(req))
		wantAliErr(t, e.send(again), 400, "SignatureNonceUsed")
	})
	t.Run("neither signature", func(t *testing.T) {
		r := wantAliErr(t, e.send(e.newReq(http.MethodPost, "/", oosParams(), nil)), 400, "IncompleteSignature")
		if !strings.Contains(r.Message, "Signature parameter") {
			t.Errorf("message %q does not name both signatures", r.Message)
		}
	})
}

// STS AssumeRole as credentials-go sends it (signature parameters in the
// query, the action's in a form body), then the temporary key it gives,
// signed the same way with its SecurityToken, on OOS.
func TestRPCV1AssumeRole(t *testing.T) {
	e := newEnv(t, Options{})
	now := time.Now()
	q := url.Values{"Action": {"AssumeRole"}, "Version": {"2015-04-01"}}
	form := url.Values{"RoleArn": {DemoAliRoleARN}, "RoleSessionName": {"credentials-go-1"}, "DurationSeconds": {"3600"}, "Policy": {`{"Statement":[{"Action":"oos:*","Effect":"Allow","Resource":"*"}],"Version":"1"}`}}
	r := e.send(e.rpcV1Req(q, form, e.ali, now, nil))
	wantOK(t, r)
	var ans struct{ Credentials stsCredentials }
	if err := json.Unmarshal(r.body, &ans); err != nil || ans.Credentials.AccessKeyID == "" {
		t.Fatalf("answer %s: %v", r.body, err)
	}
	if by, _ := e.s.IssuedBy(ans.Credentials.AccessKeyID); by != IssuerAliAssume {
		t.Errorf("issued by %q", by)
	}
	if to := e.s.IssuedTo(ans.Credentials.AccessKeyID); to != DemoAliAccessKey {
		t.Errorf("issued to %q, want the key that signed (%s)", to, DemoAliAccessKey)
	}
	temp := aliCreds{ans.Credentials.AccessKeyID, ans.Credentials.AccessKeySecret, ans.Credentials.SecurityToken}
	wantOK(t, e.send(e.rpcV1Req(oosParams(), nil, temp, now, nil)))
	noToken := temp
	noToken.token = ""
	wantAliErr(t, e.send(e.rpcV1Req(oosParams(), nil, noToken, now, nil)), 400, "InvalidSecurityToken.MismatchWithAccessKey")
	// A form value changed after signing is refused on STS too.
	wantAliErr(t, e.send(e.rpcV1Req(q, form, e.ali, now, func(_, f url.Values) { f.Set("RoleSessionName", "other") })), 400, "SignatureDoesNotMatch")
}
