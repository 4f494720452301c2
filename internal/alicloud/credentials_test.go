package alicloud

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// TestProfileModes: each aliyun CLI profile mode becomes its source, and
// an incomplete or unknown one fails naming the profile and what it lacks,
// before anything is contacted.
func TestProfileModes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config.json")
	content := `{"current":"ak","profiles":[
	  {"name":"ak","mode":"AK","access_key_id":"AK1","access_key_secret":"SK1"},
	  {"name":"sts","mode":"StsToken","access_key_id":"AK2","access_key_secret":"SK2","sts_token":"T2"},
	  {"name":"sts-no-token","mode":"StsToken","access_key_id":"AK2","access_key_secret":"SK2"},
	  {"name":"role-no-arn","mode":"RamRoleArn","access_key_id":"AK3","access_key_secret":"SK3"},
	  {"name":"ecs-no-role","mode":"EcsRamRole"},
	  {"name":"oidc-no-file","mode":"OIDC","oidc_provider_arn":"p","ram_role_arn":"r"},
	  {"name":"chain","mode":"ChainableRamRoleArn"}]}`
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		profile string
		want    Credentials
		wantErr string
	}{
		{"", Credentials{AccessKeyID: "AK1", AccessKeySecret: "SK1"}, ""},
		{"sts", Credentials{AccessKeyID: "AK2", AccessKeySecret: "SK2", SecurityToken: "T2"}, ""},
		{"sts-no-token", Credentials{}, `profile "sts-no-token" (mode StsToken)`},
		{"role-no-arn", Credentials{}, "has no ram_role_arn"},
		{"ecs-no-role", Credentials{}, "has no ram_role_name"},
		{"oidc-no-file", Credentials{}, "oidc_token_file"},
		{"chain", Credentials{}, `mode "ChainableRamRoleArn" is not supported`},
		{"absent", Credentials{}, `profile "absent" not found`},
	} {
		// No endpoint is reachable: a profile that needed one would fail
		// on the transport, not with the error wanted here.
		c := NewClient(Config{Region: "cn-hangzhou", SharedCredentialsFile: file, Profile: tc.profile,
			Endpoints: map[string]string{"sts": "http://127.0.0.1:1", "imds": "http://127.0.0.1:1"}},
			transport.New(transport.Options{}))
		got, err := c.creds.get(context.Background())
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "ALIBABA_CLOUD_PROFILE") {
				t.Errorf("profile %q: err %v, want %q naming the setting", tc.profile, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("profile %q: %+v, %v; want %+v", tc.profile, got, err, tc.want)
		}
	}
}

func TestCheckCredentials_sources(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"nothing", Config{}, "ALIBABA_CLOUD_ECS_METADATA"},
		{"half a key pair", Config{SecretKey: "S"}, "access_key (ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY)"},
		{"instance role and uri", Config{ECSRoleName: "r", CredentialsURI: "http://127.0.0.1:1/c"}, "not both"},
		{"uri not http", Config{CredentialsURI: "file:///etc/creds"}, "absolute http(s) URL"},
		{"oidc incomplete", Config{OIDC: &AssumeRoleWithOIDC{RoleARN: "r"}}, "oidc_provider_arn (ALIBABA_CLOUD_OIDC_PROVIDER_ARN)"},
		{"assume_role without arn", Config{AccessKey: "A", SecretKey: "S", AssumeRole: &AssumeRole{}}, "role_arn (ALIBABA_CLOUD_ROLE_ARN)"},
		{"instance role", Config{ECSRoleName: "r"}, ""},
	} {
		err := NewClient(tc.cfg, transport.New(transport.Options{})).CheckCredentials()
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.wantErr)
		}
	}
}

// TestRegionFromProfile: without a configured region, the aliyun CLI
// profile's region_id is the default; a configured one wins.
func TestRegionFromProfile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(file, []byte(`{"current":"p","profiles":[{"name":"p","mode":"AK","access_key_id":"A","access_key_secret":"S","region_id":"cn-shanghai"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tr := transport.New(transport.Options{})
	if r, err := NewClient(Config{SharedCredentialsFile: file}, tr).Region(""); err != nil || r != "cn-shanghai" {
		t.Errorf("region from the profile: %q, %v", r, err)
	}
	if r, _ := NewClient(Config{Profile: "p", SharedCredentialsFile: file, Region: "cn-hangzhou"}, tr).Region(""); r != "cn-hangzhou" {
		t.Errorf("configured region: %q", r)
	}
}
