package huaweicloud

import (
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain/chaintest"
)

// trace reads a data API through c and returns every request the fake
// saw, as "path signer" lines ("path -" when unsigned).
func trace(t *testing.T, f *fakeCreds, c *Client) []string {
	t.Helper()
	if _, err := c.Do(t.Context(), Call{Operation: "List", Service: "workspace", Region: "cn-north-4", Path: "/v2/p/records"}); err != nil {
		t.Fatal(err)
	}
	f.Mu.Lock()
	defer f.Mu.Unlock()
	var out []string
	for _, r := range f.reqs {
		s := r.signer
		if s == "" {
			s = "-"
		}
		out = append(out, r.method+" "+r.path+" "+s)
	}
	return out
}

func tokenFile(t *testing.T, tok string) string {
	return clienttest.WriteFile(t, "token", tok+"\n")
}

// TestChainSources: each way the settings (the configuration, or the
// environment alone, as the huaweicloud provider and the SDK read it)
// select a chain, seen from the requests it sends: which service, signed
// by which key.
func TestChainSources(t *testing.T) {
	keys := map[string]string{"HW_ACCESS_KEY": "BASEAK", "HW_SECRET_KEY": "base-sk"}
	with := func(a, b map[string]string) map[string]string {
		out := map[string]string{}
		for _, m := range []map[string]string{a, b} {
			for k, v := range m {
				out[k] = v
			}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		cfg  credchain.Config
		env  func(t *testing.T) map[string]string
		want []string
	}{
		{"keys from the SDK's variables", credchain.Config{},
			func(*testing.T) map[string]string {
				return map[string]string{"HUAWEICLOUD_SDK_AK": "SDKAK", "HUAWEICLOUD_SDK_SK": "sdk-sk"}
			},
			[]string{"GET /v2/p/records SDKAK"}},
		{"the official OIDC environment: the exchanged credentials assume the agency through IAM v5", credchain.Config{},
			func(t *testing.T) map[string]string {
				return map[string]string{"HW_ASSUME_ROLE_IDP_ID": "idp", "HW_ASSUME_ROLE_ID_TOKEN_FILE": tokenFile(t, "id-token"),
					"HW_ASSUME_ROLE_AGENCY_NAME": "ci-agency", "HW_ASSUME_ROLE_DOMAIN_ID": "dom-id"}
			},
			[]string{"POST /v3.0/OS-AUTH/id-token/tokens -", "POST /v3.0/OS-CREDENTIAL/securitytokens -",
				"POST /v5/agencies/assume TEMPAK1", "GET /v2/p/records TEMPAK2"}},
		{"the SDK's OIDC variables without an agency", credchain.Config{},
			func(t *testing.T) map[string]string {
				return map[string]string{"HUAWEICLOUD_SDK_IDP_ID": "idp", "HUAWEICLOUD_SDK_ID_TOKEN_FILE": tokenFile(t, "id-token")}
			},
			[]string{"POST /v3.0/OS-AUTH/id-token/tokens -", "POST /v3.0/OS-CREDENTIAL/securitytokens -", "GET /v2/p/records TEMPAK1"}},
		{"HW_ASSUME_ROLE_AGENCY_NAME without an IdP selects the agency, v3 with a domain name", credchain.Config{},
			func(*testing.T) map[string]string {
				return with(keys, map[string]string{"HW_ASSUME_ROLE_AGENCY_NAME": "a", "HW_ASSUME_ROLE_DOMAIN_NAME": "d"})
			},
			[]string{"POST /v3.0/OS-CREDENTIAL/securitytokens BASEAK", "GET /v2/p/records TEMPAK1"}},
		{"and v5 with a domain id", credchain.Config{},
			func(*testing.T) map[string]string {
				return with(keys, map[string]string{"HW_ASSUME_ROLE_AGENCY_NAME": "a", "HW_ASSUME_ROLE_DOMAIN_ID": "d"})
			},
			[]string{"POST /v5/agencies/assume BASEAK", "GET /v2/p/records TEMPAK1"}},
		{"a chain of assume_role blocks, in order", chaintest.Config(nil, map[string][]map[string]string{credchain.BlockAssumeRole: {
			{"agency_name": "first", "domain_id": "d1"}, {"agency_name": "second", "domain_name": "d2"}, {"agency_name": "third", "domain_id": "d3"}}}),
			func(*testing.T) map[string]string { return keys },
			[]string{"POST /v5/agencies/assume BASEAK", "POST /v3.0/OS-CREDENTIAL/securitytokens TEMPAK1",
				"POST /v5/agencies/assume TEMPAK2", "GET /v2/p/records TEMPAK3"}},
		{"an OIDC block then its agency then assume_role", chaintest.Config(nil, map[string][]map[string]string{
			credchain.BlockOIDC:       {{"idp_id": "idp", "id_token": "id-token", "agency_name": "oidc-agency", "domain_id": "d0"}},
			credchain.BlockAssumeRole: {{"agency_name": "next", "domain_name": "d1"}}}),
			func(*testing.T) map[string]string { return nil },
			[]string{"POST /v3.0/OS-AUTH/id-token/tokens -", "POST /v3.0/OS-CREDENTIAL/securitytokens -",
				"POST /v5/agencies/assume TEMPAK1", "POST /v3.0/OS-CREDENTIAL/securitytokens TEMPAK2", "GET /v2/p/records TEMPAK3"}},
		{"ECS metadata", credchain.Config{},
			func(*testing.T) map[string]string { return map[string]string{"HW_USE_ECS_METADATA": "true"} },
			[]string{"PUT /meta-data/latest/api/token -", "GET /openstack/latest/securitykey -", "GET /v2/p/records TEMPAK1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeCreds(t)
			c := f.client(tc.cfg, tc.env(t))
			chaintest.Sequence(t, trace(t, f, c), tc.want)
			if w := c.CredentialWarnings(); len(w) != 0 {
				t.Errorf("warnings: %v", w)
			}
		})
	}
}

// TestChainSelectionErrors: a source configured in part with nothing
// complete before it is an error naming what is missing, with its
// environment variables (a plan-time error); no source at all is the
// missing-credentials error (a read-time one).
func TestChainSelectionErrors(t *testing.T) {
	for _, tc := range []chaintest.Case{
		chaintest.C("nothing", credchain.Config{}, nil,
			"missing Huawei Cloud credentials: set access_key (HW_ACCESS_KEY, OS_ACCESS_KEY, HUAWEICLOUD_SDK_AK) and secret_key (HW_SECRET_KEY, OS_SECRET_KEY, HUAWEICLOUD_SDK_SK); or a KooCLI profile", false),
		chaintest.C("half a key pair, before a profile", credchain.Config{}, map[string]string{"OS_ACCESS_KEY": "A", "HW_PROFILE": "p"},
			"access_key and secret_key is configured in part; set secret_key (HW_SECRET_KEY, OS_SECRET_KEY, HUAWEICLOUD_SDK_SK)", true),
		chaintest.C("a security token alone", credchain.Config{}, map[string]string{"HW_SECURITY_TOKEN": "t"},
			"set access_key (HW_ACCESS_KEY, OS_ACCESS_KEY, HUAWEICLOUD_SDK_AK) and secret_key", true),
		chaintest.C("an IdP without a token", credchain.Config{}, map[string]string{"HW_ASSUME_ROLE_IDP_ID": "i"},
			"assume_role_with_oidc is configured in part; set assume_role_with_oidc.id_token (HW_ASSUME_ROLE_ID_TOKEN) or assume_role_with_oidc.id_token_file (HW_ASSUME_ROLE_ID_TOKEN_FILE, HUAWEICLOUD_SDK_ID_TOKEN_FILE)", true),
		chaintest.C("a token file without an IdP", credchain.Config{}, map[string]string{"HUAWEICLOUD_SDK_ID_TOKEN_FILE": "/f"},
			"set assume_role_with_oidc.idp_id (HW_ASSUME_ROLE_IDP_ID, HUAWEICLOUD_SDK_IDP_ID)", true),
		chaintest.C("the OIDC agency without its domain id", credchain.Config{},
			map[string]string{"HW_ASSUME_ROLE_IDP_ID": "i", "HW_ASSUME_ROLE_ID_TOKEN": "t", "HW_ASSUME_ROLE_AGENCY_NAME": "a", "HW_ASSUME_ROLE_DOMAIN_NAME": "d"},
			"set assume_role_with_oidc.domain_id (HW_ASSUME_ROLE_DOMAIN_ID) (with agency_name)", true),
		chaintest.C("an agency without a domain", credchain.Config{}, map[string]string{"HW_ACCESS_KEY": "A", "HW_SECRET_KEY": "S", "HW_ASSUME_ROLE_AGENCY_NAME": "a"},
			"assume_role is configured in part; set assume_role.domain_name (HW_ASSUME_ROLE_DOMAIN_NAME) or assume_role.domain_id (HW_ASSUME_ROLE_DOMAIN_ID)", true),
		chaintest.C("an agency block without a domain, and no source", chaintest.Config(nil, map[string][]map[string]string{credchain.BlockAssumeRole: {{"agency_name": "a"}, {"agency_name": "b"}}}), nil,
			"assume_role[0] is configured in part; set assume_role[0].domain_name", true),
		chaintest.C("an agency with no source", credchain.Config{}, map[string]string{"HW_ASSUME_ROLE_AGENCY_NAME": "a", "HW_ASSUME_ROLE_DOMAIN_ID": "d"},
			"missing Huawei Cloud credentials", false),
	} {
		t.Run(tc.Name, func(t *testing.T) {
			f := newFakeCreds(t)
			chaintest.SelectionError(t, f.client(tc.Cfg, tc.Env).CheckCredentials(), tc.Want, tc.Incomplete)
			if len(f.reqs) != 0 {
				t.Errorf("the check sent %d requests", len(f.reqs))
			}
		})
	}
}

// TestChainPrecedenceWarning: with several sources configured, the first
// in the documented order is used and a warning names it and the others.
func TestChainPrecedenceWarning(t *testing.T) {
	f := newFakeCreds(t)
	c := f.client(chaintest.Config(map[string]string{"access_key": "BASEAK", "secret_key": "base-sk"}, nil),
		map[string]string{"HW_PROFILE": "ci", "HW_USE_ECS_METADATA": "1", "HW_ASSUME_ROLE_IDP_ID": "idp", "HW_ASSUME_ROLE_ID_TOKEN": "tok"})
	if got := trace(t, f, c); strings.Join(got, ",") != "GET /v2/p/records BASEAK" {
		t.Errorf("requests %v: want the keys alone, no metadata, no exchange", got)
	}
	w := c.CredentialWarnings()
	want := "Several Huawei Cloud credential sources are configured. The first in the documented order is used, as the official provider does: access_key and secret_key. Ignored: the KooCLI profile; use_ecs_metadata; assume_role_with_oidc."
	if len(w) != 1 || w[0] != want {
		t.Errorf("warnings %q\nwant %q", w, want)
	}
}
