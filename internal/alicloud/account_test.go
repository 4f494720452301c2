package alicloud

import "testing"

// TestAccount: the account that names a pacer's shared state follows the
// credential source the layer picks, and the role assumed; none when no
// source is set.
func TestAccount(t *testing.T) {
	keys := Config{AccessKey: "AK1", SecretKey: "s"}
	accounts := map[string]Config{
		"keys":            keys,
		"other keys":      {AccessKey: "AK2", SecretKey: "s"},
		"keys and role":   {AccessKey: "AK1", SecretKey: "s", AssumeRole: &AssumeRole{RoleARN: "acs:ram::1:role/a"}},
		"other role":      {AccessKey: "AK1", SecretKey: "s", AssumeRole: &AssumeRole{RoleARN: "acs:ram::1:role/b"}},
		"profile":         {SharedCredentialsFile: "/a/config.json", Profile: "ci"},
		"other profile":   {SharedCredentialsFile: "/a/config.json", Profile: "dev"},
		"instance role":   {ECSRoleName: "runner"},
		"uri":             {CredentialsURI: "http://127.0.0.1:1/creds"},
		"oidc":            {OIDC: &AssumeRoleWithOIDC{OIDCProviderARN: "acs:ram::1:oidc-provider/gh", RoleARN: "acs:ram::1:role/a"}},
		"other oidc":      {OIDC: &AssumeRoleWithOIDC{OIDCProviderARN: "acs:ram::1:oidc-provider/gh", RoleARN: "acs:ram::1:role/b"}},
		"keys before ecs": {AccessKey: "AK3", SecretKey: "s", ECSRoleName: "runner"},
	}
	seen := map[string]string{}
	for name, cfg := range accounts {
		a := cfg.account()
		if a == "" {
			t.Errorf("%s: no account", name)
		}
		if other, dup := seen[a]; dup {
			t.Errorf("%s and %s share the account %q", name, other, a)
		}
		seen[a] = name
	}
	if a, b := keys.account(), (Config{AccessKey: "AK1", SecretKey: "other", SecurityToken: "t", Region: "r2"}).account(); a != b {
		t.Errorf("the same access key gives %q and %q: the secret, token and region are not the account", a, b)
	}
	if a := (Config{Region: "cn-hangzhou"}).account(); a != "" {
		t.Errorf("no credential source gives the account %q, want none", a)
	}
}
