package alicloud

import (
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain/chaintest"
)

// TestProfileModes: each aliyun CLI mode (matched case-insensitively, as
// the CLI does) becomes its source; a RamRoleArn profile's external_id,
// policy, sts_endpoint and expired_seconds reach STS; an incomplete or
// unknown profile fails naming it and what it lacks, never a silent
// fall back.
func TestProfileModes(t *testing.T) {
	f := newFakeSTS(t)
	tok := tokenFile(t, "oidc-token")
	file := writeFile(t, `{"current":"ak","profiles":[
	  {"name":"ak","mode":"AK","access_key_id":"AK1","access_key_secret":"SK1","region_id":"cn-shanghai"},
	  {"name":"sts","mode":"ststoken","access_key_id":"AK2","access_key_secret":"SK2","sts_token":"T2"},
	  {"name":"role","mode":"RamRoleArn","access_key_id":"AK3","access_key_secret":"SK3","ram_role_arn":"acs:ram::1:role/r",
	   "external_id":"ext-7","policy":"{}","expired_seconds":1200,"ram_session_name":"cli","sts_endpoint":"`+f.Srv.URL+`"},
	  {"name":"chain","mode":"ChainableRamRoleArn","source_profile":"role","ram_role_arn":"acs:ram::2:role/next"},
	  {"name":"oidc","mode":"OIDC","oidc_provider_arn":"p","ram_role_arn":"r","oidc_token_file":"`+tok+`"},
	  {"name":"uri","mode":"CredentialsURI","credentials_uri":"`+f.Srv.URL+`/uri"},
	  {"name":"loop","mode":"ChainableRamRoleArn","source_profile":"loop","ram_role_arn":"r"},
	  {"name":"sts-no-token","mode":"StsToken","access_key_id":"AK2","access_key_secret":"SK2"},
	  {"name":"role-no-arn","mode":"RamRoleArn","access_key_id":"AK3","access_key_secret":"SK3"},
	  {"name":"oidc-no-file","mode":"OIDC","oidc_provider_arn":"p","ram_role_arn":"r"},
	  {"name":"sso","mode":"CloudSSO"}]}`)
	for _, tc := range []struct {
		profile string
		want    []string
		wantErr string
	}{
		{"", []string{"ListExecutionLogs AK1"}, ""},
		{"sts", []string{"ListExecutionLogs AK2"}, ""},
		{"role", []string{"AssumeRole AK3", "ListExecutionLogs STS.AK1"}, ""},
		{"chain", []string{"AssumeRole AK3", "AssumeRole STS.AK1", "ListExecutionLogs STS.AK2"}, ""},
		{"oidc", []string{"AssumeRoleWithOIDC -", "ListExecutionLogs STS.AK1"}, ""},
		{"uri", []string{"GET /uri -", "ListExecutionLogs STS.AK1"}, ""},
		{"loop", nil, `profile "loop" in ` + file + ` is its own source_profile, through a loop`},
		{"sts-no-token", nil, `profile "sts-no-token" (mode StsToken) in ` + file + ` has no sts_token`},
		{"role-no-arn", nil, "has no ram_role_arn"},
		{"oidc-no-file", nil, "has no oidc_token_file"},
		{"sso", nil, `mode "CloudSSO" is not one the provider can serve`},
		{"absent", nil, `profile "absent" (profile (ALICLOUD_PROFILE, ALIBABA_CLOUD_PROFILE)) not found`},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			f.Mu.Lock()
			f.reqs, f.Issued = nil, 0
			f.Mu.Unlock()
			c := f.client(chaintest.Config(map[string]string{"shared_credentials_file": file, "profile": tc.profile}, nil), nil)
			err := f.read(c)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "Alibaba Cloud credentials from the aliyun CLI profile (profile (ALICLOUD_PROFILE, ALIBABA_CLOUD_PROFILE) in the provider's alicloud block") {
					t.Fatalf("err = %v, want %q from the profile", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := f.seen(); strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("requests %v, want %v", got, tc.want)
			}
		})
	}
	f.Mu.Lock()
	f.reqs = nil
	f.Mu.Unlock()
	if err := f.read(f.client(chaintest.Config(map[string]string{"shared_credentials_file": file, "profile": "role"}, nil), nil)); err != nil {
		t.Fatal(err)
	}
	if q := f.first("AssumeRole").form; q.Get("ExternalId") != "ext-7" || q.Get("Policy") != "{}" || q.Get("DurationSeconds") != "1200" || q.Get("RoleSessionName") != "cli" {
		t.Errorf("the RamRoleArn profile's fields did not reach STS: %v", q)
	}
	if r, _ := f.client(chaintest.Config(map[string]string{"shared_credentials_file": file}, nil), nil).Region(""); r != "cn-hangzhou" {
		t.Errorf("a configured region lost to the profile's: %q", r)
	}
	r, err := Settings.Resolve(chaintest.Config(map[string]string{"shared_credentials_file": file}, nil), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if got, err := NewClient(Config{Credentials: r}, nil).Region(""); err != nil || got != "cn-shanghai" {
		t.Errorf("region from the profile: %q, %v", got, err)
	}
}

// TestINICredentialsFile: a shared credentials file that is the SDKs'
// INI file is read as one: its types access_key, ecs_ram_role and
// ram_role_arn, the profile's section or "default".
func TestINICredentialsFile(t *testing.T) {
	file := writeFile(t, "# credentials-go\n[default]\ntype = access_key\naccess_key_id = INIAK\naccess_key_secret = s\n\n"+
		"[ecs]\ntype = ecs_ram_role\nrole_name = ini-role\n\n[ram]\ntype = ram_role_arn\naccess_key_id = INIAK2\naccess_key_secret = s\n"+
		"role_arn = acs:ram::1:role/r\nrole_session_name = ini\n\n[rsa]\ntype = rsa_key_pair\n\n[noak]\ntype = access_key\naccess_key_secret = s\n")
	for _, tc := range []struct {
		profile, want, wantErr string
	}{
		{"", "ListExecutionLogs INIAK", ""},
		{"ecs", "PUT /latest/api/token -,GET /latest/meta-data/ram/security-credentials/ini-role -,ListExecutionLogs STS.AK1", ""},
		{"ram", "AssumeRole INIAK2,ListExecutionLogs STS.AK1", ""},
		{"rsa", "", `type "rsa_key_pair" is not one the provider can serve`},
		{"noak", "", `profile "noak" (type access_key) in ` + file + ` has no access_key_id`},
		{"absent", "", `profile "absent" (profile (ALICLOUD_PROFILE, ALIBABA_CLOUD_PROFILE)) not found in ` + file},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			f := newFakeSTS(t)
			env := map[string]string{"ALIBABA_CLOUD_CONFIG_FILE": file}
			if tc.profile != "" {
				env["ALIBABA_CLOUD_PROFILE"] = tc.profile
			}
			err := f.read(f.client(credchain.Config{}, env))
			if chaintest.Failed(t, err, tc.wantErr) {
				return
			}
			if got := strings.Join(f.seen(), ","); got != tc.want {
				t.Errorf("requests %s, want %s", got, tc.want)
			}
		})
	}
}
