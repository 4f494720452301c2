package alicloud

import (
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// TestAccount: the account that keys a pacer's shared state says who
// signs (the access key id, the profile, the instance role, the
// credentials URI, the OIDC provider, the roles assumed) and nothing
// secret; none when no credential is set.
func TestAccount(t *testing.T) {
	set := clienttest.Str
	resolved := func(top credchain.Written, nested map[string][]credchain.Written) *credchain.Resolved {
		return clienttest.Resolve(t, Settings, credchain.Config{Top: top, Nested: nested}, nil)
	}
	keys := credchain.Written{"access_key": set("AK1"), "secret_key": set("SECRET-SK"), "security_token": set("SECRET-TOKEN")}
	role := func(arn string) map[string][]credchain.Written {
		return map[string][]credchain.Written{credchain.BlockAssumeRole: {{"role_arn": set(arn)}}}
	}
	clienttest.Accounts(t, func(r *credchain.Resolved) string { return NewClient(Config{Credentials: r}, nil).Account() },
		map[string]*credchain.Resolved{
			"keys":          resolved(keys, nil),
			"other keys":    resolved(credchain.Written{"access_key": set("AK2"), "secret_key": set("s")}, nil),
			"keys and role": resolved(keys, role("acs:ram::1:role/a")),
			"other role":    resolved(keys, role("acs:ram::1:role/b")),
			"profile":       resolved(credchain.Written{"shared_credentials_file": set("/a/config.json"), "profile": set("ci")}, nil),
			"instance role": resolved(credchain.Written{"ecs_role_name": set("runner")}, nil),
			"uri":           resolved(credchain.Written{"credentials_uri": set("http://127.0.0.1:1/creds")}, nil),
			"oidc": resolved(nil, map[string][]credchain.Written{credchain.BlockOIDC: {{
				"oidc_provider_arn": set("acs:ram::1:oidc-provider/gh"), "role_arn": set("acs:ram::1:role/a"), "oidc_token": set("SECRET-OIDC")}}}),
		},
		resolved(credchain.Written{"region": set("cn-hangzhou")}, nil))
}
