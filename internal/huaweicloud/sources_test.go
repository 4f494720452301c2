package huaweicloud

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain/chaintest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// TestRequestShapes: the credential requests carry what the official SDK
// and the huaweicloud provider send: the v5 agency URN, session name and
// duration in a signed JSON body; the id token with X-Idp-Id and the
// SDK's content type; the IAM token in the securitytokens body; the
// metadata session token asked with its TTL and sent back.
func TestRequestShapes(t *testing.T) {
	f := newFakeCreds(t)
	c := f.client(chaintest.Config(nil, map[string][]map[string]string{
		credchain.BlockOIDC: {{"idp_id": "ci-idp", "id_token": "the-id-token", "agency_name": "ci-agency", "domain_id": "0123abc", "duration": "1800"}}}), nil)
	trace(t, f, c)

	idt := f.requests("/v3.0/OS-AUTH/id-token/tokens")[0]
	if idt.header.Get("X-Idp-Id") != "ci-idp" || idt.header.Get("Content-Type") != "application/json;charset=UTF-8" || idt.signer != "" {
		t.Errorf("id-token request headers %v", idt.header)
	}
	if idt.body != `{"auth":{"id_token":{"id":"the-id-token"}}}` {
		t.Errorf("id-token body %s", idt.body)
	}
	st := f.requests("/v3.0/OS-CREDENTIAL/securitytokens")[0]
	if st.body != `{"auth":{"identity":{"methods":["token"],"token":{"id":"subject-token-value","duration_seconds":1800}}}}` {
		t.Errorf("securitytokens body %s", st.body)
	}
	if st.header.Get("Content-Type") != "application/json;charset=UTF-8" || st.header.Get("X-Auth-Token") != "" || st.signer != "" {
		t.Errorf("securitytokens headers %v: want the SDK's content type, the token in the body only, no signature", st.header)
	}
	v5 := f.requests("/v5/agencies/assume")[0]
	var body map[string]any
	if err := json.Unmarshal([]byte(v5.body), &body); err != nil {
		t.Fatal(err)
	}
	if body["agency_urn"] != "iam::0123abc:agency:ci-agency" || body["agency_session_name"] != "ci-agency" || body["duration_seconds"] != 1800.0 || len(body) != 3 {
		t.Errorf("v5 body %s", v5.body)
	}
	if v5.signer != "TEMPAK1" || v5.header.Get("X-Security-Token") != "temp-token-1" {
		t.Errorf("v5 signed by %q with token %q, want the exchanged TEMPAK1 and its token", v5.signer, v5.header.Get("X-Security-Token"))
	}

	f = newFakeCreds(t)
	trace(t, f, f.client(credchain.Config{}, map[string]string{"HW_USE_ECS_METADATA": "true"}))
	put := f.requests("/meta-data/latest/api/token")[0]
	get := f.requests("/openstack/latest/securitykey")[0]
	if put.method != http.MethodPut || put.header.Get("X-Metadata-Token-Ttl-Seconds") != "21600" {
		t.Errorf("token request %s %v", put.method, put.header)
	}
	if get.header.Get("X-Metadata-Token") != "metadata-session-token" {
		t.Errorf("securitykey request without the session token: %v", get.header)
	}

	// A metadata service without the token path is asked without one.
	f = newFakeCreds(t)
	f.noTokenPath = http.StatusNotFound
	trace(t, f, f.client(credchain.Config{}, map[string]string{"HW_USE_ECS_METADATA": "true"}))
	if h := f.requests("/openstack/latest/securitykey")[0].header; h.Get("X-Metadata-Token") != "" {
		t.Errorf("a token was sent: %v", h)
	}
}

// TestTemporaryCredentialsMustExpire: an answer whose expiry is missing,
// zero or not a time is refused, naming the source and its settings, for
// every temporary source.
func TestTemporaryCredentialsMustExpire(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		env        map[string]string
	}{
		{"v3 agency", "assume_role (assume_role.agency_name (HW_ASSUME_ROLE_AGENCY_NAME) and assume_role.domain_name (HW_ASSUME_ROLE_DOMAIN_NAME))",
			map[string]string{"HW_ACCESS_KEY": "A", "HW_SECRET_KEY": "S", "HW_ASSUME_ROLE_AGENCY_NAME": "a", "HW_ASSUME_ROLE_DOMAIN_NAME": "d"}},
		{"v5 agency", "assume_role (assume_role.agency_name (HW_ASSUME_ROLE_AGENCY_NAME) and assume_role.domain_id (HW_ASSUME_ROLE_DOMAIN_ID))",
			map[string]string{"HW_ACCESS_KEY": "A", "HW_SECRET_KEY": "S", "HW_ASSUME_ROLE_AGENCY_NAME": "a", "HW_ASSUME_ROLE_DOMAIN_ID": "d"}},
		{"OIDC", "Huawei Cloud credentials from assume_role_with_oidc (assume_role_with_oidc.idp_id from the environment variable HW_ASSUME_ROLE_IDP_ID",
			map[string]string{"HW_ASSUME_ROLE_IDP_ID": "i", "HW_ASSUME_ROLE_ID_TOKEN": "t"}},
		{"ECS metadata", "Huawei Cloud credentials from ECS instance metadata (use_ecs_metadata from the environment variable HW_USE_ECS_METADATA",
			map[string]string{"HW_USE_ECS_METADATA": "true"}},
	} {
		for expiry, wantErr := range map[string]string{
			"0001-01-01T00:00:00Z": "is the zero time", "": "the answer has no credential", "soon": "is not an RFC 3339 time",
			"2026-12-01T11:00:00Z": "the credentials returned have already expired",
		} {
			t.Run(tc.name+"/"+expiry, func(t *testing.T) {
				f := newFakeCreds(t)
				f.expiry = &expiry
				_, err := f.client(credchain.Config{}, tc.env).Do(t.Context(), Call{Operation: "List", Service: "workspace", Region: "r", Path: "/x"})
				var se *credchain.SourceError
				if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), wantErr) {
					t.Fatalf("err = %v\nwant a source error naming %q, with %q", err, tc.want, wantErr)
				}
				if len(f.requests("/x")) != 0 {
					t.Error("a data request went out")
				}
			})
		}
	}
}

// TestOIDCExpiryDoesNotBlameTheAgency: credentials of the OIDC exchange
// that come back expired are the exchange's failure, not the agency's
// that was to be assumed with them.
func TestOIDCExpiryDoesNotBlameTheAgency(t *testing.T) {
	f := newFakeCreds(t)
	expired := "2026-12-01T11:59:00Z"
	f.expiry = &expired
	_, err := f.client(credchain.Config{}, map[string]string{"HW_ASSUME_ROLE_IDP_ID": "i", "HW_ASSUME_ROLE_ID_TOKEN": "t",
		"HW_ASSUME_ROLE_AGENCY_NAME": "a", "HW_ASSUME_ROLE_DOMAIN_ID": "d"}).Do(t.Context(), Call{Operation: "List", Service: "workspace", Region: "r", Path: "/x"})
	var se *credchain.SourceError
	if !errors.As(err, &se) || se.Source != "assume_role_with_oidc" || !errors.Is(err, credchain.ErrExpired) {
		t.Fatalf("err = %v, want the OIDC exchange's expiry", err)
	}
	if strings.Contains(err.Error(), "agency") {
		t.Errorf("the error blames the agency: %v", err)
	}
}

// TestRetrySignedWithRefreshedCredentials: a retry is signed with the
// credentials current at that attempt, refreshed when they became due
// while the request waited.
func TestRetrySignedWithRefreshedCredentials(t *testing.T) {
	f := newFakeCreds(t)
	c := f.client(chaintest.Config(map[string]string{"access_key": "BASEAK", "secret_key": "base-sk"},
		map[string][]map[string]string{credchain.BlockAssumeRole: {{"agency_name": "a", "domain_name": "d"}}}), nil)
	throttled := false
	f.Srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/x" && !throttled {
			throttled = true
			// The credentials are due for refresh (5 minutes before
			// expiry) by the time the retry is signed.
			f.Advance(56 * time.Minute)
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		f.ServeHTTP(w, r)
	})
	if _, err := c.Do(t.Context(), Call{Operation: "List", Service: "workspace", Region: "r", Path: "/x"}); err != nil {
		t.Fatal(err)
	}
	if got := f.requests("/x"); len(got) != 1 || got[0].signer != "TEMPAK2" {
		t.Errorf("the retry was signed by %v, want TEMPAK2 (the refreshed credentials)", got)
	}
	if f.Issued != 2 {
		t.Errorf("%d agency credentials issued, want 2", f.Issued)
	}
}

func writeFile(t *testing.T, content string) string {
	return clienttest.WriteFile(t, "config.json", content)
}

// TestProfileModes: KooCLI profiles of mode AKSK and SSO give their keys;
// a profile with an agency assumes it with them (IAM v3 with
// agencyDomainName, v5 with agencyDomainId), as the huaweicloud provider
// does, never running as the profile's own identity; a mode the provider
// cannot serve is an error naming it.
func TestProfileModes(t *testing.T) {
	file := writeFile(t, `{"current":"sso","profiles":[
	  {"name":"ak","mode":"AKSK","accessKeyId":"AK1","secretAccessKey":"SK1"},
	  {"name":"sso","mode":"SSO","ssoAuth":{"stsToken":{"accessKeyId":"AK2","secretAccessKey":"SK2","securityToken":"T2"}}},
	  {"name":"v3","mode":"AKSK","accessKeyId":"AK3","secretAccessKey":"SK3","agencyName":"audit","agencyDomainName":"owner"},
	  {"name":"v5","mode":"aksk","accessKeyId":"AK4","secretAccessKey":"SK4","agencyName":"audit","agencyDomainId":"0a1b"},
	  {"name":"half","mode":"AKSK","accessKeyId":"AK5","secretAccessKey":"SK5","agencyName":"audit"},
	  {"name":"empty","mode":"AKSK"},
	  {"name":"odd","mode":"ecsAgency"}]}`)
	for _, tc := range []struct {
		profile string
		want    []string
		wantErr string
	}{
		{"", []string{"GET /v2/p/records AK2"}, ""},
		{"ak", []string{"GET /v2/p/records AK1"}, ""},
		{"v3", []string{"POST /v3.0/OS-CREDENTIAL/securitytokens AK3", "GET /v2/p/records TEMPAK1"}, ""},
		{"v5", []string{"POST /v5/agencies/assume AK4", "GET /v2/p/records TEMPAK1"}, ""},
		{"half", nil, `names agency "audit" but neither agencyDomainName nor agencyDomainId`},
		{"empty", nil, `profile "empty" (mode AKSK) in ` + file + ` has no access key and secret key`},
		{"odd", nil, `mode "ecsAgency" is not one the provider can serve (AKSK, SSO)`},
		{"nope", nil, `profile "nope" (profile (HW_PROFILE)) not found`},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			f := newFakeCreds(t)
			c := f.client(chaintest.Config(map[string]string{"shared_config_file": file, "profile": tc.profile}, nil), nil)
			if tc.wantErr != "" {
				_, err := c.Do(t.Context(), Call{Operation: "List", Service: "workspace", Region: "r", Path: "/x"})
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "the KooCLI profile (profile") {
					t.Fatalf("err = %v, want %q from the KooCLI profile", err, tc.wantErr)
				}
				return
			}
			if got := trace(t, f, c); strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("requests %v, want %v", got, tc.want)
			}
		})
	}
	if body := f0(t, file); !strings.Contains(body, `"agency_name":"audit","domain_name":"owner"`) {
		t.Errorf("v3 body %s", body)
	}
}

// f0 is the body of the v3 agency request of profile v3 in file.
func f0(t *testing.T, file string) string {
	f := newFakeCreds(t)
	trace(t, f, f.client(chaintest.Config(map[string]string{"shared_config_file": file, "profile": "v3"}, nil), nil))
	return f.requests("/v3.0/OS-CREDENTIAL/securitytokens")[0].body
}

// TestRegionFromProfile: without a configured region, the KooCLI
// profile's region is the default; a configured one wins.
func TestRegionFromProfile(t *testing.T) {
	file := writeFile(t, `{"current":"p","profiles":[{"name":"p","mode":"AKSK","accessKeyId":"A","secretAccessKey":"S","region":"ap-southeast-3"}]}`)
	tr := transport.New(transport.Options{})
	profile := resolved(t, chaintest.Config(map[string]string{"shared_config_file": file}, nil), nil)
	if r, err := NewClient(Config{Credentials: profile}, tr).Region(""); err != nil || r != "ap-southeast-3" {
		t.Errorf("region from the profile: %q, %v", r, err)
	}
	if r, _ := NewClient(Config{Credentials: profile, Region: "cn-north-4"}, tr).Region(""); r != "cn-north-4" {
		t.Errorf("configured region: %q", r)
	}
	if _, err := NewClient(Config{Credentials: Settings.Keys("A", "S", "")}, tr).Region(""); err == nil || !strings.Contains(err.Error(), "HW_REGION_NAME") {
		t.Errorf("no region anywhere: %v", err)
	}
}
