package alicloud

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// The two RPC (SignatureVersion 1.0) vectors of the signature
// documentation and the SDKs' tests, pinned at every stage: the
// canonicalized query, the string to sign and the signature. The expected
// stages are written out by hand from the parameters.
func TestVectorRPCV1(t *testing.T) {
	for _, tc := range []struct {
		name, method, secret string
		params               url.Values
		wantCQ, wantSig      string
	}{
		{
			name: "ALI-V1-1", method: "GET", secret: "testsecret",
			params: url.Values{
				"AccessKeyId": {"testid"}, "Action": {"DescribeDedicatedHosts"}, "Format": {"JSON"},
				"RegionId": {"cn-beijing"}, "SignatureMethod": {"HMAC-SHA1"},
				"SignatureNonce": {"edb2b34af0af9a6d14deaf7c1a5315eb"}, "SignatureVersion": {"1.0"},
				"Timestamp": {"2023-03-13T08:34:30Z"}, "Version": {"2014-05-26"},
			},
			wantCQ: "AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&RegionId=cn-beijing" +
				"&SignatureMethod=HMAC-SHA1&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb" +
				"&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2014-05-26",
			wantSig: "9NaGiOspFP5UPcwX8Iwt2YJXXuk=",
		},
		{
			name: "ALI-V1-2", method: "GET", secret: "testsecret",
			params: url.Values{
				"AccessKeyId": {"testid"}, "Action": {"DescribeRegions"}, "Format": {"XML"},
				"SignatureMethod": {"HMAC-SHA1"}, "SignatureNonce": {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
				"SignatureVersion": {"1.0"}, "Timestamp": {"2016-02-23T12:46:24Z"}, "Version": {"2014-05-26"},
			},
			wantCQ: "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1" +
				"&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0" +
				"&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26",
			wantSig: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cq := RPCCanonicalQuery(tc.params)
			if cq != tc.wantCQ {
				t.Fatalf("canonicalized query:\n got %s\nwant %s", cq, tc.wantCQ)
			}
			// Step 2 by hand: the canonicalized query encoded once more
			// ("%" becomes "%25", "&" "%26", "=" "%3D").
			wantSTS := tc.method + "&%2F&" + strings.NewReplacer("%", "%25", "&", "%26", "=", "%3D").Replace(tc.wantCQ)
			sts := rpcStringToSign(tc.method, cq)
			if sts != wantSTS {
				t.Fatalf("string to sign:\n got %s\nwant %s", sts, wantSTS)
			}
			if got := rpcSignature(tc.secret, sts); got != tc.wantSig {
				t.Errorf("signature = %s, want %s", got, tc.wantSig)
			}
			if got := RPCSignature(tc.method, tc.params, tc.secret); got != tc.wantSig {
				t.Errorf("RPCSignature = %s, want %s", got, tc.wantSig)
			}
			// A Signature among the parameters is not signed.
			withSig := cloneValues(tc.params)
			withSig.Set("Signature", "anything")
			if got := RPCSignature(tc.method, withSig, tc.secret); got != tc.wantSig {
				t.Errorf("RPCSignature with a Signature parameter = %s, want %s", got, tc.wantSig)
			}
			if _, ok := withSig["Signature"]; !ok {
				t.Error("RPCSignature removed Signature from its input")
			}
		})
	}
}

// SignRPC end to end on ALI-V1-1: it sets every signature parameter
// itself, and gives the vector's signature.
func TestSignRPCVector(t *testing.T) {
	q := url.Values{"Action": {"DescribeDedicatedHosts"}, "Format": {"JSON"}, "RegionId": {"cn-beijing"}, "Version": {"2014-05-26"}}
	now := time.Date(2023, 3, 13, 16, 34, 30, 0, time.FixedZone("CST", 8*3600))
	if err := SignRPC("GET", q, nil, Credentials{AccessKeyID: "testid", AccessKeySecret: "testsecret"}, "edb2b34af0af9a6d14deaf7c1a5315eb", now); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"AccessKeyId": "testid", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
		"SignatureNonce": "edb2b34af0af9a6d14deaf7c1a5315eb", "Timestamp": "2023-03-13T08:34:30Z",
		"Signature": "9NaGiOspFP5UPcwX8Iwt2YJXXuk=",
	} {
		if got := q.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if _, ok := q["SecurityToken"]; ok {
		t.Error("SecurityToken set without a token")
	}
}

// Form parameters are signed as query parameters are, and not copied
// into the query; a security token is a signed parameter.
func TestSignRPCFormAndToken(t *testing.T) {
	cred := Credentials{AccessKeyID: "id", AccessKeySecret: "sec", SecurityToken: "tok"}
	now := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	base := url.Values{"Action": {"AssumeRole"}, "Version": {"2015-04-01"}, "Format": {"JSON"}}
	form := url.Values{"RoleArn": {"acs:ram::1:role/x"}, "RoleSessionName": {"s p/ä"}}

	q1 := cloneValues(base)
	if err := SignRPC("POST", q1, form, cred, "n1", now); err != nil {
		t.Fatal(err)
	}
	if q1.Get("SecurityToken") != "tok" || q1.Has("RoleArn") {
		t.Fatalf("query %v", q1)
	}
	// The same parameters all in the query sign the same.
	all := cloneValues(q1)
	for k, v := range form {
		all[k] = v
	}
	if got := RPCSignature("POST", all, "sec"); got != q1.Get("Signature") {
		t.Errorf("form parameters are not signed as query parameters: %s vs %s", got, q1.Get("Signature"))
	}
	// Each input is covered: the method, a form value, the nonce, the token.
	for name, mutate := range map[string]func() (string, url.Values, url.Values, Credentials, string){
		"method": func() (string, url.Values, url.Values, Credentials, string) {
			return "GET", cloneValues(base), form, cred, "n1"
		},
		"form value": func() (string, url.Values, url.Values, Credentials, string) {
			return "POST", cloneValues(base), url.Values{"RoleArn": {"acs:ram::1:role/y"}, "RoleSessionName": {"s p/ä"}}, cred, "n1"
		},
		"nonce": func() (string, url.Values, url.Values, Credentials, string) {
			return "POST", cloneValues(base), form, cred, "n2"
		},
		"token": func() (string, url.Values, url.Values, Credentials, string) {
			c := cred
			c.SecurityToken = "other"
			return "POST", cloneValues(base), form, c, "n1"
		},
	} {
		m, q, f, c, n := mutate()
		if err := SignRPC(m, q, f, c, n, now); err != nil {
			t.Fatal(err)
		}
		if q.Get("Signature") == q1.Get("Signature") {
			t.Errorf("%s is not covered by the signature", name)
		}
	}
	// Signing again replaces the signature parameters instead of adding to them.
	if err := SignRPC("POST", q1, form, Credentials{AccessKeyID: "id", AccessKeySecret: "sec"}, "n3", now); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"AccessKeyId", "SignatureNonce", "Timestamp", "Signature"} {
		if len(q1[k]) != 1 {
			t.Errorf("%s given %d times after signing twice", k, len(q1[k]))
		}
	}
	if q1.Has("SecurityToken") {
		t.Error("a stale SecurityToken was kept for credentials without one")
	}
}

func TestSignRPCErrors(t *testing.T) {
	now := time.Now()
	if err := SignRPC("POST", nil, nil, Credentials{AccessKeyID: "a", AccessKeySecret: "b"}, "n", now); err == nil {
		t.Error("nil query accepted")
	}
	if err := SignRPC("POST", url.Values{}, nil, Credentials{AccessKeyID: "a"}, "n", now); err == nil {
		t.Error("no error without a secret")
	}
	if err := SignRPC("POST", url.Values{}, nil, Credentials{AccessKeyID: "a", AccessKeySecret: "b"}, "", now); err == nil {
		t.Error("no error without a nonce")
	}
}
