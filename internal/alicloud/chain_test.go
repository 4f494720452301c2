package alicloud

import (
	"slices"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain/chaintest"
)

func tokenFile(t *testing.T, tok string) string {
	return clienttest.WriteFile(t, "token", tok)
}

// TestEnvironmentPrecedence pins every environment variable of the
// alicloud block, in order, to the alicloud provider's
// (https://github.com/aliyun/terraform-provider-alicloud/blob/master/alicloud/provider.go:
// MultiEnvDefaultFunc lists, ALICLOUD_* first) and, where that provider
// has none, to credentials-go and the aliyun CLI; and checks that the
// first variable set wins.
func TestEnvironmentPrecedence(t *testing.T) {
	want := map[string][]string{
		"region":                         {"ALICLOUD_REGION", "ALIBABA_CLOUD_REGION"},
		"access_key":                     {"ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_ID"},
		"secret_key":                     {"ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABACLOUD_ACCESS_KEY_SECRET"},
		"security_token":                 {"ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABACLOUD_SECURITY_TOKEN"},
		"shared_credentials_file":        {"ALICLOUD_SHARED_CREDENTIALS_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_CONFIG_FILE"},
		"profile":                        {"ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE"},
		"ecs_role_name":                  {"ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA"},
		"credentials_uri":                {"ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI"},
		"sts_region":                     {"ALIBABA_CLOUD_STS_REGION"},
		"vpc_endpoint":                   {"ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"},
		"imdsv1_disabled":                {"ALIBABA_CLOUD_IMDSV1_DISABLED"},
		"assume_role.role_arn":           {"ALICLOUD_ASSUME_ROLE_ARN", "ALIBABA_CLOUD_ROLE_ARN"},
		"assume_role.session_name":       {"ALICLOUD_ASSUME_ROLE_SESSION_NAME", "ALIBABA_CLOUD_ROLE_SESSION_NAME"},
		"assume_role.session_expiration": {"ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION"},
		"assume_role_with_oidc.oidc_provider_arn": {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN"},
		"assume_role_with_oidc.role_arn":          {"ALIBABA_CLOUD_ROLE_ARN"},
		"assume_role_with_oidc.oidc_token":        {"ALIBABA_CLOUD_OIDC_TOKEN"},
		"assume_role_with_oidc.oidc_token_file":   {"ALIBABA_CLOUD_OIDC_TOKEN_FILE"},
	}
	got := map[string][]string{}
	for _, b := range Settings.Blocks {
		for _, s := range b.Settings {
			if len(s.Env) == 0 {
				continue
			}
			name := s.Name
			if b.Name != "" {
				name = b.Name + "." + name
			}
			got[name] = s.Env
		}
	}
	for name, w := range want {
		if !slices.Equal(got[name], w) {
			t.Errorf("%s: environment %v, want %v", name, got[name], w)
		}
		delete(got, name)
	}
	for name, env := range got {
		t.Errorf("%s reads %v, which no official tool names here", name, env)
	}

	// The first variable set wins, whatever the others say.
	for name, env := range want {
		if strings.Contains(name, ".") || name == "vpc_endpoint" || name == "imdsv1_disabled" {
			continue
		}
		for i := range env {
			e := map[string]string{}
			for j, v := range env[i:] {
				e[v] = "value-" + string(rune('a'+i+j))
			}
			r, err := Settings.Resolve(credchain.Config{}, func(k string) string { return e[k] })
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Top.Str(name); got != e[env[i]] {
				t.Errorf("%s with %v set: %q, want %s's", name, env[i:], got, env[i])
			}
		}
	}
}

// TestChainSources: each way the settings select a chain, seen from the
// requests it sends, including every environment-only selection.
func TestChainSources(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  credchain.Config
		env  func(t *testing.T) map[string]string
		want []string
	}{
		{"keys, the alicloud provider's variables first", credchain.Config{},
			func(*testing.T) map[string]string {
				return map[string]string{"ALICLOUD_ACCESS_KEY": "AK1", "ALIBABA_CLOUD_ACCESS_KEY_ID": "AK2", "ALIBABACLOUD_ACCESS_KEY_SECRET": "s"}
			},
			[]string{"ListExecutionLogs AK1"}},
		{"the OIDC variables of a pipeline or of ACK RRSA", credchain.Config{},
			func(t *testing.T) map[string]string {
				return map[string]string{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::1:oidc-provider/ci", "ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/r",
					"ALIBABA_CLOUD_OIDC_TOKEN_FILE": tokenFile(t, "tok")}
			},
			[]string{"AssumeRoleWithOIDC -", "ListExecutionLogs STS.AK1"}},
		{"ALIBABA_CLOUD_ROLE_ARN with keys assumes nothing", credchain.Config{},
			func(*testing.T) map[string]string {
				return map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "AK1", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "SK1", "ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/r"}
			},
			[]string{"ListExecutionLogs AK1"}},
		{"an assume_role block takes its role from the environment", chaintest.Config(nil, map[string][]map[string]string{credchain.BlockAssumeRole: {{"external_id": "ext"}}}),
			func(*testing.T) map[string]string {
				return map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "AK1", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "SK1", "ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/r"}
			},
			[]string{"AssumeRole AK1", "ListExecutionLogs STS.AK1"}},
		{"ecs_role_name from the environment", credchain.Config{},
			func(*testing.T) map[string]string { return map[string]string{"ALIBABA_CLOUD_ECS_METADATA": "ci-role"} },
			[]string{"PUT /latest/api/token -", "GET /latest/meta-data/ram/security-credentials/ci-role -", "ListExecutionLogs STS.AK1"}},
		{"credentials_uri then assume_role", chaintest.Config(map[string]string{"credentials_uri": "URI"}, map[string][]map[string]string{credchain.BlockAssumeRole: {{"role_arn": "acs:ram::1:role/r"}}}),
			func(*testing.T) map[string]string { return nil },
			[]string{"GET /uri -", "AssumeRole STS.AK1", "ListExecutionLogs STS.AK2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeSTS(t)
			cfg := tc.cfg
			if u, ok := cfg.Top["credentials_uri"]; ok {
				u.Str = f.Srv.URL + "/uri"
				cfg.Top["credentials_uri"] = u
			}
			c := f.client(cfg, tc.env(t))
			if err := f.read(c); err != nil {
				t.Fatal(err)
			}
			chaintest.Sequence(t, f.seen(), tc.want)
			if w := c.CredentialWarnings(); len(w) != 0 {
				t.Errorf("warnings %v", w)
			}
		})
	}
}

// TestChainSelectionErrors: a source configured in part before any
// complete one is an error naming what is missing (plan time); none at
// all is the missing-credentials error (read time).
func TestChainSelectionErrors(t *testing.T) {
	for _, tc := range []chaintest.Case{
		chaintest.C("nothing", credchain.Config{}, nil, "missing Alibaba Cloud credentials: set access_key (ALICLOUD_ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABACLOUD_ACCESS_KEY_ID) and secret_key", false),
		chaintest.C("ALIBABA_CLOUD_ROLE_ARN alone selects nothing", credchain.Config{}, map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::1:role/r"}, "missing Alibaba Cloud credentials", false),
		chaintest.C("an OIDC role without its token file", credchain.Config{},
			map[string]string{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "p", "ALIBABA_CLOUD_ROLE_ARN": "r"},
			"set assume_role_with_oidc.oidc_token (ALIBABA_CLOUD_OIDC_TOKEN) or assume_role_with_oidc.oidc_token_file (ALIBABA_CLOUD_OIDC_TOKEN_FILE)", true),
		chaintest.C("a token without its provider", credchain.Config{}, map[string]string{"ALIBABA_CLOUD_OIDC_TOKEN_FILE": "/t"},
			"assume_role_with_oidc is configured in part; set assume_role_with_oidc.oidc_provider_arn (ALIBABA_CLOUD_OIDC_PROVIDER_ARN) and assume_role_with_oidc.role_arn (ALIBABA_CLOUD_ROLE_ARN)", true),
		chaintest.C("a credentials_uri that is no URL", credchain.Config{}, map[string]string{"ALIBABA_CLOUD_CREDENTIALS_URI": "file:///etc/creds"},
			"credentials_uri is configured in part; set credentials_uri (ALICLOUD_CREDENTIALS_URI, ALIBABA_CLOUD_CREDENTIALS_URI) as an absolute http(s) URL", true),
		chaintest.C("an assume_role block without a role", chaintest.Config(nil, map[string][]map[string]string{credchain.BlockAssumeRole: {{"session_name": "x"}}}), nil,
			"assume_role is configured in part; set assume_role.role_arn (ALICLOUD_ASSUME_ROLE_ARN, ALIBABA_CLOUD_ROLE_ARN)", true),
		chaintest.C("half a key pair before a profile", credchain.Config{}, map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s", "ALICLOUD_PROFILE": "p"},
			"set access_key (ALICLOUD_ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABACLOUD_ACCESS_KEY_ID)", true),
	} {
		t.Run(tc.Name, func(t *testing.T) {
			f := newFakeSTS(t)
			chaintest.SelectionError(t, f.client(tc.Cfg, tc.Env).CheckCredentials(), tc.Want, tc.Incomplete)
			if len(f.reqs) != 0 {
				t.Errorf("the check sent %d requests", len(f.reqs))
			}
		})
	}
}

// TestChainPrecedenceWarning: the first source in the documented order
// is used, and a warning names it and the ignored ones.
func TestChainPrecedenceWarning(t *testing.T) {
	f := newFakeSTS(t)
	c := f.client(credchain.Config{}, map[string]string{"ALICLOUD_ACCESS_KEY": "AK1", "ALICLOUD_SECRET_KEY": "s", "ALICLOUD_ECS_ROLE_NAME": "r",
		"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "p", "ALIBABA_CLOUD_ROLE_ARN": "r", "ALIBABA_CLOUD_OIDC_TOKEN": "t"})
	if err := f.read(c); err != nil {
		t.Fatal(err)
	}
	if got := f.seen(); strings.Join(got, ",") != "ListExecutionLogs AK1" {
		t.Errorf("requests %v, want the keys alone: no instance metadata, no STS", got)
	}
	want := "Several Alibaba Cloud credential sources are configured. The first in the documented order is used, as the official provider does: access_key and secret_key. Ignored: ecs_role_name; assume_role_with_oidc."
	if w := c.CredentialWarnings(); len(w) != 1 || w[0] != want {
		t.Errorf("warnings %q\nwant %q", w, want)
	}
}
