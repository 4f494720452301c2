package alicloud

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/canonical"
)

const emptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// ACS3-1: the signature documentation's example, pinned at every stage.
func TestVectorACS3_1(t *testing.T) {
	const (
		ak      = "YourAccessKeyId"
		secret  = "YourAccessKeySecret"
		rawURL  = "https://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai"
		nonce   = "3156853299f313e23d1673dc12e1703d"
		signed  = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
		wantCR  = "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\nhost:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:" + emptyBodyHash + "\nx-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:" + nonce + "\nx-acs-version:2014-05-26\n\n" + signed + "\n" + emptyBodyHash
		wantCRH = "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
		wantSig = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
	)
	u, _ := url.Parse(rawURL)
	h := http.Header{}
	h.Set("Host", "ecs.cn-shanghai.aliyuncs.com")
	h.Set("x-acs-action", "RunInstances")
	h.Set("x-acs-version", "2014-05-26")
	h.Set("x-acs-date", "2023-10-26T10:22:32Z")
	h.Set("x-acs-signature-nonce", nonce)
	h.Set("x-acs-content-sha256", emptyBodyHash)
	cr := CanonicalRequest("POST", "/", CanonicalQuery(u.Query()), h, strings.Split(signed, ";"), emptyBodyHash)
	if cr != wantCR {
		t.Fatalf("canonical request:\n got %q\nwant %q", cr, wantCR)
	}
	if got := canonical.HexSHA256([]byte(cr)); got != wantCRH {
		t.Errorf("hash = %s, want %s", got, wantCRH)
	}
	if got := signature(secret, stringToSign(cr)); got != wantSig {
		t.Errorf("signature = %s, want %s", got, wantSig)
	}

	// End to end through Sign.
	req, err := http.NewRequest(http.MethodPost, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-acs-action", "RunInstances")
	req.Header.Set("x-acs-version", "2014-05-26")
	now := time.Date(2023, 10, 26, 18, 22, 32, 0, time.FixedZone("CST", 8*3600))
	if err := Sign(req, nil, Credentials{AccessKeyID: ak, AccessKeySecret: secret}, nonce, now); err != nil {
		t.Fatal(err)
	}
	want := "ACS3-HMAC-SHA256 Credential=" + ak + ",SignedHeaders=" + signed + ",Signature=" + wantSig
	if got := req.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization:\n got %q\nwant %q", got, want)
	}
	for k, v := range map[string]string{"x-acs-date": "2023-10-26T10:22:32Z", "x-acs-signature-nonce": nonce, "x-acs-content-sha256": emptyBodyHash} {
		if got := req.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if req.Header.Get("x-acs-security-token") != "" {
		t.Error("security token header without a token")
	}
}

// ACS3-2: the SDK's test: empty method, one header given twice in two
// spellings, a given payload hash.
func TestVectorACS3_2(t *testing.T) {
	const (
		hash    = "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23"
		wantCR  = "\n/\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n" + hash
		wantSig = "4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3"
	)
	q := url.Values{"test": {"ok"}, "empty": {""}}
	for name, h := range map[string]http.Header{
		"added through Header.Add": func() http.Header {
			h := http.Header{}
			h.Add("x-acs-test", "http")
			h.Add("x-acs-TEST", "https")
			return h
		}(),
		// Go maps have no order: the canonical spelling's values come first.
		"raw map keys": {"x-acs-TEST": {"https"}, "X-Acs-Test": {"http"}},
	} {
		t.Run(name, func(t *testing.T) {
			cr := CanonicalRequest("", "/", CanonicalQuery(q), h, []string{"x-acs-test"}, hash)
			if cr != wantCR {
				t.Fatalf("canonical request:\n got %q\nwant %q", cr, wantCR)
			}
			if got := signature("secret", stringToSign(cr)); got != wantSig {
				t.Errorf("signature = %s, want %s", got, wantSig)
			}
		})
	}
}

// The canonical query is internal/canonical's: the same rules as Huawei's.
func TestCanonicalQuery(t *testing.T) {
	q := url.Values{"b": {"2"}, "a": {"x y"}}
	if got := CanonicalQuery(q); got != canonical.Query(q) || got != "a=x%20y&b=2" {
		t.Errorf("CanonicalQuery = %q", got)
	}
}

func TestSignSecurityTokenAndContentType(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://oos.cn-hangzhou.aliyuncs.com/?b=2&a=1", strings.NewReader("x"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "unsigned")
	req.Header.Set("x-acs-action", "A")
	cred := Credentials{AccessKeyID: "id", AccessKeySecret: "s", SecurityToken: "sts-token"}
	now := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	if err := Sign(req, []byte("x"), cred, "n1", now); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("x-acs-security-token"); got != "sts-token" {
		t.Errorf("x-acs-security-token = %q", got)
	}
	if got := req.Header.Get("x-acs-content-sha256"); got != "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881" {
		t.Errorf("x-acs-content-sha256 = %q", got)
	}
	auth := req.Header.Get("Authorization")
	const wantSigned = "SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce,"
	if !strings.Contains(auth, wantSigned) {
		t.Errorf("Authorization %q lacks %q", auth, wantSigned)
	}
	if strings.Contains(auth, "sts-token") || strings.Contains(auth, "Credential=id,") == false {
		t.Errorf("Authorization %q", auth)
	}
	// A different nonce signs differently.
	req2, _ := http.NewRequest(http.MethodPost, req.URL.String(), nil)
	req2.Header.Set("Content-Type", "application/json")
	req2.Header.Set("x-acs-action", "A")
	if err := Sign(req2, []byte("x"), cred, "n2", now); err != nil {
		t.Fatal(err)
	}
	if req2.Header.Get("Authorization") == auth {
		t.Error("the nonce is not covered by the signature")
	}
}

func TestSignErrors(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://h/", nil)
	if err := Sign(req, nil, Credentials{AccessKeyID: "a"}, "n", time.Now()); err == nil {
		t.Error("no error without a secret")
	}
	if err := Sign(req, nil, Credentials{AccessKeyID: "a", AccessKeySecret: "b"}, "", time.Now()); err == nil {
		t.Error("no error without a nonce")
	}
	req.URL.RawQuery = "a=%zz"
	if err := Sign(req, nil, Credentials{AccessKeyID: "a", AccessKeySecret: "b"}, "n", time.Now()); err == nil {
		t.Error("unparsable query accepted")
	}
}

func TestNewNonce(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		n := NewNonce()
		if len(n) != 32 || strings.Trim(n, "0123456789abcdef") != "" {
			t.Fatalf("nonce %q is not 16 bytes of hex", n)
		}
		if seen[n] {
			t.Fatalf("nonce %q repeated", n)
		}
		seen[n] = true
	}
}

func BenchmarkSign(b *testing.B) {
	cred := Credentials{AccessKeyID: "AK", AccessKeySecret: "SK"}
	now := time.Now()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, "https://oos.cn-hangzhou.aliyuncs.com/?ExecutionId=exec-1&MaxResults=50&RegionId=cn-hangzhou", nil)
		req.Header.Set("x-acs-action", "ListExecutionLogs")
		req.Header.Set("x-acs-version", "2019-06-01")
		if err := Sign(req, nil, cred, NewNonce(), now); err != nil {
			b.Fatal(err)
		}
	}
}
