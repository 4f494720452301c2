package huaweicloud

import (
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// TestAccount: the account that keys a pacer's shared state says who
// signs (the access key id, the profile, the identity provider, the
// agencies assumed) and nothing secret; none when no credential is set.
func TestAccount(t *testing.T) {
	str := clienttest.Str
	resolved := func(top credchain.Written, nested map[string][]credchain.Written) *credchain.Resolved {
		return clienttest.Resolve(t, Settings, credchain.Config{Top: top, Nested: nested}, nil)
	}
	account := func(r *credchain.Resolved) string { return NewClient(Config{Credentials: r}, nil).Account() }
	keys := credchain.Written{"access_key": str("AK1"), "secret_key": str("SECRET-SK"), "security_token": str("SECRET-TOKEN")}
	agency := func(name string) map[string][]credchain.Written {
		return map[string][]credchain.Written{credchain.BlockAssumeRole: {{"agency_name": str(name), "domain_name": str("d")}}}
	}
	clienttest.Accounts(t, account, map[string]*credchain.Resolved{
		"keys":            resolved(keys, nil),
		"other keys":      resolved(credchain.Written{"access_key": str("AK2"), "secret_key": str("s")}, nil),
		"keys and agency": resolved(keys, agency("audit")),
		"other agency":    resolved(keys, agency("ops")),
		"profile":         resolved(credchain.Written{"shared_config_file": str("/a/config.json"), "profile": str("ci")}, nil),
		"other profile":   resolved(credchain.Written{"shared_config_file": str("/a/config.json"), "profile": str("dev")}, nil),
		"ecs metadata":    resolved(credchain.Written{"use_ecs_metadata": credchain.Value{Bool: true, Set: true}}, nil),
		"oidc":            resolved(nil, map[string][]credchain.Written{credchain.BlockOIDC: {{"idp_id": str("idp"), "id_token": str("SECRET-ID-TOKEN")}}}),
	}, resolved(credchain.Written{"region": str("cn-north-4")}, nil), nil)
	sameKey := resolved(credchain.Written{"access_key": str("AK1"), "secret_key": str("other"), "region": str("r2"), "project_id": str("p")}, nil)
	if a, b := account(resolved(keys, nil)), account(sameKey); a != b {
		t.Errorf("the same access key gives %q and %q: the secret, region and project are not the account", a, b)
	}
}
