package huaweicloud

import "testing"

// TestAccount: the account that names a pacer's shared state follows the
// credential source the layer picks, and the agency assumed; none when
// no source is set.
func TestAccount(t *testing.T) {
	keys := Config{AccessKey: "AK1", SecretKey: "s"}
	accounts := map[string]Config{
		"keys":             keys,
		"other keys":       {AccessKey: "AK2", SecretKey: "s"},
		"keys and agency":  {AccessKey: "AK1", SecretKey: "s", AssumeRole: &AssumeRole{AgencyName: "audit", DomainName: "d"}},
		"other agency":     {AccessKey: "AK1", SecretKey: "s", AssumeRole: &AssumeRole{AgencyName: "ops", DomainName: "d"}},
		"profile":          {SharedConfigFile: "/a/config.json", Profile: "ci"},
		"other profile":    {SharedConfigFile: "/a/config.json", Profile: "dev"},
		"oidc":             {OIDC: &AssumeRoleWithOIDC{IdpID: "idp", DomainID: "d"}},
		"other oidc":       {OIDC: &AssumeRoleWithOIDC{IdpID: "idp2", DomainID: "d"}},
		"keys before oidc": {AccessKey: "AK3", SecretKey: "s", OIDC: &AssumeRoleWithOIDC{IdpID: "idp", DomainID: "d"}},
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
	if a, b := keys.account(), (Config{AccessKey: "AK1", SecretKey: "other", Region: "r2", ProjectID: "p"}).account(); a != b {
		t.Errorf("the same access key gives %q and %q: the secret, region and project are not the account", a, b)
	}
	if a := (Config{Region: "cn-north-4"}).account(); a != "" {
		t.Errorf("no credential source gives the account %q, want none", a)
	}
	if a := (Config{AccessKey: "AK1", SecretKey: "supersecret"}).account(); a != "huaweicloud key AK1" {
		t.Errorf("account %q", a)
	}
}
