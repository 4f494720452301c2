package emulator

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func fixedNow(t time.Time) func() time.Time { return func() time.Time { return t } }

func mustTime(t *testing.T, layout, v string) time.Time {
	t.Helper()
	tt, err := time.Parse(layout, v)
	if err != nil {
		t.Fatal(err)
	}
	return tt
}

// HW-1: the API signature guide example, verified end to end.
func TestVectorHW1(t *testing.T) {
	const ak, sk = "QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
	const wantCanon = "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n" +
		"content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n" +
		"content-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	const wantSig = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
	newReq := func() *http.Request {
		r := httptest.NewRequest("GET", "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0", nil)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Sdk-Date", "20191115T033655Z")
		return r
	}
	r := newReq()
	uri, err := canonicalPath(r.URL.EscapedPath(), true)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery(r.URL.RawQuery)
	signed := []string{"content-type", "host", "x-sdk-date"}
	canon, err := canonicalRequest("GET", uri, canonicalQuery(q), requestHeaders(r), signed, sha256Hex(nil))
	if err != nil {
		t.Fatal(err)
	}
	if canon != wantCanon {
		t.Fatalf("canonical request\n%q\nwant\n%q", canon, wantCanon)
	}
	if h := sha256Hex([]byte(canon)); h != "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a" {
		t.Fatalf("canonical hash %s", h)
	}
	if sig := huaweiSignature(sk, "20191115T033655Z", canon); sig != wantSig {
		t.Fatalf("signature %s, want %s", sig, wantSig)
	}
	// The test signer agrees.
	if got := tCanonical(newReq(), signed, tSHA(nil), true); got != wantCanon {
		t.Fatalf("test signer canonical\n%q", got)
	}

	s, err := New(Options{HuaweiAccessKey: ak, HuaweiSecretKey: sk, Now: fixedNow(mustTime(t, huaweiDateFmt, "20191115T034000Z"))})
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+ak+", SignedHeaders=content-type;host;x-sdk-date, Signature="+wantSig)
	if aerr := s.verifyHuawei(r, nil); aerr != nil {
		t.Fatalf("vector rejected: %v", aerr)
	}
	r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+ak+", SignedHeaders=content-type;host;x-sdk-date, Signature="+strings.Replace(wantSig, "7be6", "7be7", 1))
	if aerr := s.verifyHuawei(r, nil); aerr == nil || aerr.status != 401 || aerr.code != "APIG.0301" {
		t.Fatalf("altered signature: %v", aerr)
	}
}

// HW-2 and HW-3: SDK tests that sign only x-sdk-date.
func TestVectorHW2HW3(t *testing.T) {
	const date = "20060102T150405Z"
	cases := []struct {
		name, method, path, query, body, want string
	}{
		{"HW-2", "GET", "/path", "limit=1", "", "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"},
		{"HW-3", "POST", "/path", "key=value", "{\"Name\":\"test\",\"Id\":1}\n", "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59"},
		{"HW-3 no newline", "POST", "/path", "key=value", `{"Name":"test","Id":1}`, "83599e5230b5b31fb58837c5760b4c2d407542df1f9493834ead538696e17a35"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(c.method, "http://example.com"+c.path+"?"+c.query, strings.NewReader(c.body))
			r.Header.Set("X-Sdk-Date", date)
			uri, _ := canonicalPath(r.URL.EscapedPath(), true)
			q, _ := url.ParseQuery(r.URL.RawQuery)
			canon, err := canonicalRequest(c.method, uri, canonicalQuery(q), requestHeaders(r), []string{"x-sdk-date"}, sha256Hex([]byte(c.body)))
			if err != nil {
				t.Fatal(err)
			}
			if sig := huaweiSignature("SecretKey", date, canon); sig != c.want {
				t.Fatalf("signature %s, want %s", sig, c.want)
			}
			// The official SDK signs no host and the gateway takes it: so
			// does the emulator, and it still refuses a wrong signature
			// and an unsigned date.
			s, _ := New(Options{HuaweiAccessKey: "AccessKey", HuaweiSecretKey: "SecretKey", Now: fixedNow(mustTime(t, huaweiDateFmt, date))})
			r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature="+c.want)
			if aerr := s.verifyHuawei(r, []byte(c.body)); aerr != nil {
				t.Fatalf("a signature without host refused: %v", aerr)
			}
			r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature="+strings.Replace(c.want, c.want[:2], "00", 1))
			if aerr := s.verifyHuawei(r, []byte(c.body)); aerr == nil || aerr.code != "APIG.0301" {
				t.Fatalf("altered signature: %v", aerr)
			}
			r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host, Signature="+c.want)
			if aerr := s.verifyHuawei(r, []byte(c.body)); aerr == nil || !strings.Contains(aerr.msg, "x-sdk-date") {
				t.Fatalf("unsigned date accepted or wrong reason: %v", aerr)
			}
		})
	}
}

// HW-Q: canonical query with hostile values and a repeated key.
func TestVectorHWQ(t *testing.T) {
	const want = "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
	v := url.Values{"limit": {"1"}, "enable": {"true"}, "test": {"一 (&=?!#%.*)"}, "path": {"/tmp/123"}, "multi": {"3", "1", "2"}}
	if got := canonicalQuery(v); got != want {
		t.Fatalf("canonicalQuery\n%s\nwant\n%s", got, want)
	}
	if got := tCanonQuery(v); got != want {
		t.Fatalf("test signer canonical query\n%s", got)
	}
	// The same parameters sent form-encoded ('+' for space, lower-case or
	// needless escapes) canonicalize identically.
	parsed, err := url.ParseQuery(v.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if got := canonicalQuery(parsed); got != want {
		t.Fatalf("canonicalQuery of form-encoded query\n%s", got)
	}
	parsed, _ = url.ParseQuery("enable=tru%65&limit=1&multi=1&multi=2&multi=3&path=/tmp/123&test=%e4%b8%80+(%26%3d%3f!%23%25.*)")
	if got := canonicalQuery(parsed); got != want {
		t.Fatalf("canonicalQuery of loosely encoded query\n%s", got)
	}
}

// ACS3-1: the signature documentation example, verified end to end.
func TestVectorACS31(t *testing.T) {
	const wantCanon = "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n" +
		"host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n" +
		"x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
		"x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n" +
		"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	const wantSig = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
	signed := strings.Split("host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version", ";")
	newReq := func() *http.Request {
		r := httptest.NewRequest("POST", "https://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai", nil)
		r.Header.Set("x-acs-action", "RunInstances")
		r.Header.Set("x-acs-version", "2014-05-26")
		r.Header.Set("x-acs-date", "2023-10-26T10:22:32Z")
		r.Header.Set("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d")
		r.Header.Set("x-acs-content-sha256", sha256Hex(nil))
		return r
	}
	r := newReq()
	q, _ := url.ParseQuery(r.URL.RawQuery)
	canon, err := canonicalRequest("POST", "/", canonicalQuery(q), requestHeaders(r), signed, sha256Hex(nil))
	if err != nil {
		t.Fatal(err)
	}
	if canon != wantCanon {
		t.Fatalf("canonical request\n%q\nwant\n%q", canon, wantCanon)
	}
	if h := sha256Hex([]byte(canon)); h != "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259" {
		t.Fatalf("canonical hash %s", h)
	}
	if sig := aliSignature("YourAccessKeySecret", canon); sig != wantSig {
		t.Fatalf("signature %s", sig)
	}
	if got := tCanonical(newReq(), signed, tSHA(nil), false); got != wantCanon {
		t.Fatalf("test signer canonical\n%q", got)
	}

	s, _ := New(Options{AliAccessKey: "YourAccessKeyId", AliSecretKey: "YourAccessKeySecret",
		Now: fixedNow(mustTime(t, time.RFC3339, "2023-10-26T10:30:00Z"))})
	r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders="+strings.Join(signed, ";")+",Signature="+wantSig)
	if aerr := s.verifyAli(r, nil); aerr != nil {
		t.Fatalf("vector rejected: %v", aerr)
	}
	if aerr := s.verifyAli(r, nil); aerr == nil || aerr.code != "SignatureNonceUsed" {
		t.Fatalf("replayed nonce: %v", aerr)
	}
}

// ACS3-2: empty method, empty parameter value, a header sent twice.
func TestVectorACS32(t *testing.T) {
	const payload = "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23"
	r := httptest.NewRequest("GET", "http://example.com/?test=ok&empty=", nil)
	r.Header.Add("x-acs-test", "http")
	r.Header.Add("x-acs-TEST", "https")
	q, _ := url.ParseQuery(r.URL.RawQuery)
	canon, err := canonicalRequest("", "/", canonicalQuery(q), requestHeaders(r), []string{"x-acs-test"}, payload)
	if err != nil {
		t.Fatal(err)
	}
	if want := "\n/\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n" + payload; canon != want {
		t.Fatalf("canonical request %q", canon)
	}
	if sig := aliSignature("secret", canon); sig != "4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3" {
		t.Fatalf("signature %s", sig)
	}
}

func TestEscapeStrict(t *testing.T) {
	in := "aZ09-_.~ /+&=?#%\"'补"
	want := "aZ09-_.~%20%2F%2B%26%3D%3F%23%25%22%27%E8%A1%A5"
	if got := escapeStrict(in); got != want {
		t.Fatalf("escapeStrict %s", got)
	}
	if got := tEscape(in); got != want {
		t.Fatalf("tEscape %s", got)
	}
}

func TestParseAuthorization(t *testing.T) {
	bad := []string{
		"",
		"Bearer x",
		"SDK-HMAC-SHA256 Access=AK, Signature=abc",
		"SDK-HMAC-SHA256 SignedHeaders=host, Signature=abc",
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host",
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=Host;x-sdk-date, Signature=abc",
		"SDK-HMAC-SHA256 Access=AK SignedHeaders=host Signature=abc",
	}
	for _, h := range bad {
		if _, err := parseAuthorization(h, huaweiAlgorithm, "Access"); err == nil {
			t.Errorf("accepted %q", h)
		}
	}
	p, err := parseAuthorization("SDK-HMAC-SHA256 Access=AK,SignedHeaders=host;x-sdk-date,  Signature=abc", huaweiAlgorithm, "Access")
	if err != nil || p.access != "AK" || strings.Join(p.signedHeaders, ";") != "host;x-sdk-date" || p.signature != "abc" {
		t.Fatalf("parse: %+v %v", p, err)
	}
}
