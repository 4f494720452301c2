package huaweicloud

import (
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// resolvedFor resolves a huaweicloud block written with top and nested
// settings, without the environment.
func resolvedFor(t *testing.T, top credchain.Written, nested map[string][]credchain.Written) *credchain.Resolved {
	t.Helper()
	r, err := Settings.Resolve(credchain.Config{Top: top, Nested: nested}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func str(s string) credchain.Value { return credchain.Value{Str: s, Set: true} }

// account is the account of a client made with the settings r.
func account(r *credchain.Resolved) string {
	return NewClient(Config{Credentials: r}, nil).Account()
}

// TestAccount: the account that keys a pacer's shared state says who
// signs (the access key id, the profile, the identity provider, the
// agencies assumed) and nothing secret; none when no credential is set.
func TestAccount(t *testing.T) {
	keys := credchain.Written{"access_key": str("AK1"), "secret_key": str("SECRET-SK"), "security_token": str("SECRET-TOKEN")}
	agency := func(name string) map[string][]credchain.Written {
		return map[string][]credchain.Written{credchain.BlockAssumeRole: {{"agency_name": str(name), "domain_name": str("d")}}}
	}
	accounts := map[string]*credchain.Resolved{
		"keys":            resolvedFor(t, keys, nil),
		"other keys":      resolvedFor(t, credchain.Written{"access_key": str("AK2"), "secret_key": str("s")}, nil),
		"keys and agency": resolvedFor(t, keys, agency("audit")),
		"other agency":    resolvedFor(t, keys, agency("ops")),
		"profile":         resolvedFor(t, credchain.Written{"shared_config_file": str("/a/config.json"), "profile": str("ci")}, nil),
		"other profile":   resolvedFor(t, credchain.Written{"shared_config_file": str("/a/config.json"), "profile": str("dev")}, nil),
		"ecs metadata":    resolvedFor(t, credchain.Written{"use_ecs_metadata": credchain.Value{Bool: true, Set: true}}, nil),
		"oidc":            resolvedFor(t, nil, map[string][]credchain.Written{credchain.BlockOIDC: {{"idp_id": str("idp"), "id_token": str("SECRET-ID-TOKEN")}}}),
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
	sameKey := resolvedFor(t, credchain.Written{"access_key": str("AK1"), "secret_key": str("other"), "region": str("r2"), "project_id": str("p")}, nil)
	if a, b := account(accounts["keys"]), account(sameKey); a != b {
		t.Errorf("the same access key gives %q and %q: the secret, region and project are not the account", a, b)
	}
	if a := account(resolvedFor(t, credchain.Written{"region": str("cn-north-4")}, nil)); a != "" {
		t.Errorf("no credential setting gives the account %q, want none", a)
	}
	if a := account(nil); a != "" {
		t.Errorf("no settings give the account %q", a)
	}
}
