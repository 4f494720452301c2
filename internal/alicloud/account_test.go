package alicloud

import (
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

func resolvedFor(t *testing.T, top credchain.Written, nested map[string][]credchain.Written) *credchain.Resolved {
	t.Helper()
	r, err := Settings.Resolve(credchain.Config{Top: top, Nested: nested}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func set(s string) credchain.Value { return credchain.Value{Str: s, Set: true} }

// account is the account of a client made with the settings r.
func account(r *credchain.Resolved) string {
	return NewClient(Config{Credentials: r}, nil).Account()
}

// TestAccount: the account that keys a pacer's shared state says who
// signs (the access key id, the profile, the instance role, the
// credentials URI, the OIDC provider, the roles assumed) and nothing
// secret; none when no credential is set.
func TestAccount(t *testing.T) {
	keys := credchain.Written{"access_key": set("AK1"), "secret_key": set("SECRET-SK"), "security_token": set("SECRET-TOKEN")}
	role := func(arn string) map[string][]credchain.Written {
		return map[string][]credchain.Written{credchain.BlockAssumeRole: {{"role_arn": set(arn)}}}
	}
	accounts := map[string]*credchain.Resolved{
		"keys":          resolvedFor(t, keys, nil),
		"other keys":    resolvedFor(t, credchain.Written{"access_key": set("AK2"), "secret_key": set("s")}, nil),
		"keys and role": resolvedFor(t, keys, role("acs:ram::1:role/a")),
		"other role":    resolvedFor(t, keys, role("acs:ram::1:role/b")),
		"profile":       resolvedFor(t, credchain.Written{"shared_credentials_file": set("/a/config.json"), "profile": set("ci")}, nil),
		"instance role": resolvedFor(t, credchain.Written{"ecs_role_name": set("runner")}, nil),
		"uri":           resolvedFor(t, credchain.Written{"credentials_uri": set("http://127.0.0.1:1/creds")}, nil),
		"oidc": resolvedFor(t, nil, map[string][]credchain.Written{credchain.BlockOIDC: {{
			"oidc_provider_arn": set("acs:ram::1:oidc-provider/gh"), "role_arn": set("acs:ram::1:role/a"), "oidc_token": set("SECRET-OIDC")}}}),
	}
	seen := map[string]string{}
	for name, r := range accounts {
		a := account(r)
		if a == "" {
			t.Errorf("%s: no account", name)
		}
		if strings.Contains(a, "SECRET") {
			t.Errorf("%s: account %q holds a secret", name, a)
		}
		if other, dup := seen[a]; dup {
			t.Errorf("%s and %s share the account %q", name, other, a)
		}
		seen[a] = name
	}
	if a := account(resolvedFor(t, credchain.Written{"region": set("cn-hangzhou")}, nil)); a != "" {
		t.Errorf("no credential setting gives the account %q, want none", a)
	}
}
