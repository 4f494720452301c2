package huaweicloud

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// fakeIAM issues agency credentials expiring an hour after the fake
// clock's time, and answers data requests: the first with 429 (moving the
// clock past the refresh), the others with 200. It records which key
// signed each data request.
type fakeIAM struct {
	mu      sync.Mutex
	now     time.Time
	issued  int
	signers []string
}

func (f *fakeIAM) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeIAM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.URL.Path == "/v3.0/OS-CREDENTIAL/securitytokens" {
		f.issued++
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"credential":{"access":"TEMPAK%d","secret":"temp-secret-%d","securitytoken":"temp-token-%d","expires_at":%q}}`,
			f.issued, f.issued, f.issued, f.now.Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000000Z"))
		return
	}
	auth := r.Header.Get("Authorization")
	_, rest, _ := strings.Cut(auth, "Access=")
	ak, _, _ := strings.Cut(rest, ",")
	f.signers = append(f.signers, ak)
	if len(f.signers) == 1 {
		// The credentials are due for refresh (5 minutes before expiry)
		// by the time the retry is signed.
		f.now = f.now.Add(56 * time.Minute)
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error_code":"APIG.0308","error_msg":"throttled"}`)
		return
	}
	fmt.Fprint(w, `{"count":0}`)
}

// TestRetrySignedWithRefreshedCredentials: a retry is signed with the
// credentials current at that attempt, refreshed when they became due
// while the request waited.
func TestRetrySignedWithRefreshedCredentials(t *testing.T) {
	f := &fakeIAM{now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	srv := httptest.NewServer(f)
	defer srv.Close()
	tr := transport.New(transport.Options{MaxRetries: 2, BaseBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
	c := NewClient(Config{
		Region: "cn-north-4", AccessKey: "BASEAK", SecretKey: "base-secret",
		Endpoints:  map[string]string{"iam": srv.URL, "workspace": srv.URL},
		AssumeRole: &AssumeRole{AgencyName: "a", DomainName: "d"},
	}, tr)
	c.now = f.clock
	if _, err := c.Do(context.Background(), Call{Operation: "List", Service: "workspace", Region: "cn-north-4", Path: "/v2/p/x"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.signers, ","); got != "TEMPAK1,TEMPAK2" {
		t.Errorf("attempts signed by %s, want TEMPAK1,TEMPAK2 (the retry with the refreshed credentials)", got)
	}
	if f.issued != 2 {
		t.Errorf("%d agency credentials issued, want 2", f.issued)
	}
}

func TestReadProfile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.json")
	content := `{"current":"sso","profiles":[
	  {"name":"ak","mode":"AKSK","accessKeyId":"AK1","secretAccessKey":"SK1","securityToken":""},
	  {"name":"sso","mode":"SSO","ssoAuth":{"stsToken":{"accessKeyId":"AK2","secretAccessKey":"SK2","securityToken":"T2"}}},
	  {"name":"empty","mode":"AKSK"},
	  {"name":"odd","mode":"ECSAgency"}]}`
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		profile string
		want    Credentials
		wantErr string
	}{
		{"", Credentials{AccessKey: "AK2", SecretKey: "SK2", SecurityToken: "T2"}, ""},
		{"ak", Credentials{AccessKey: "AK1", SecretKey: "SK1"}, ""},
		{"empty", Credentials{}, `profile "empty" (mode AKSK)`},
		{"odd", Credentials{}, `mode "ECSAgency"; supported: AKSK, SSO`},
		{"nope", Credentials{}, `profile "nope" not found`},
	} {
		got, err := readProfile(t.Context(), file, tc.profile)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("profile %q: err %v, want %q", tc.profile, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("profile %q: %+v, %v; want %+v", tc.profile, got, err, tc.want)
		}
	}
	if _, err := readProfile(t.Context(), filepath.Join(dir, "absent.json"), ""); err == nil || strings.Contains(err.Error(), "SK") {
		t.Errorf("absent file: %v", err)
	}
}

func TestCheckCredentials_sources(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"nothing", Config{}, "access_key (HW_ACCESS_KEY)"},
		{"half a key pair", Config{AccessKey: "A"}, "secret_key (HW_SECRET_KEY)"},
		{"profile", Config{Profile: "p"}, ""},
		{"oidc without token", Config{OIDC: &AssumeRoleWithOIDC{IdpID: "i"}}, "id_token_file (HW_ASSUME_ROLE_ID_TOKEN_FILE)"},
		{"oidc without idp", Config{OIDC: &AssumeRoleWithOIDC{IDToken: "t"}}, "idp_id (HW_ASSUME_ROLE_IDP_ID)"},
		{"agency without domain", Config{AccessKey: "A", SecretKey: "S", AssumeRole: &AssumeRole{AgencyName: "a"}}, "domain_name (HW_ASSUME_ROLE_DOMAIN_NAME)"},
		{"agency over oidc", Config{OIDC: &AssumeRoleWithOIDC{IdpID: "i", IDTokenFile: "/f"}, AssumeRole: &AssumeRole{AgencyName: "a", DomainName: "d"}}, ""},
	} {
		err := NewClient(tc.cfg, transport.New(transport.Options{})).CheckCredentials()
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.wantErr)
		}
	}
}

// TestRegionFromProfile: without a configured region, the KooCLI
// profile's region is the default; a configured one wins.
func TestRegionFromProfile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(file, []byte(`{"current":"p","profiles":[{"name":"p","mode":"AKSK","accessKeyId":"A","secretAccessKey":"S","region":"ap-southeast-3"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tr := transport.New(transport.Options{})
	if r, err := NewClient(Config{SharedConfigFile: file}, tr).Region(""); err != nil || r != "ap-southeast-3" {
		t.Errorf("region from the profile: %q, %v", r, err)
	}
	if r, _ := NewClient(Config{SharedConfigFile: file, Region: "cn-north-4"}, tr).Region(""); r != "cn-north-4" {
		t.Errorf("configured region: %q", r)
	}
	if _, err := NewClient(Config{AccessKey: "A", SecretKey: "S"}, tr).Region(""); err == nil || !strings.Contains(err.Error(), "HW_REGION_NAME") {
		t.Errorf("no region anywhere: %v", err)
	}
}
