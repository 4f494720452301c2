package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestResolveCredentialSources_environmentAlone: the environment variables
// of a source, without its block, select it as the block would
// (docs/index.md, credential sources).
func TestResolveCredentialSources_environmentAlone(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   map[string]string
		model providerModel
		check func(t *testing.T, s settings)
	}{
		{"nothing selects nothing", nil, providerModel{}, func(t *testing.T, s settings) {
			if s.Huawei.AssumeRole != nil || s.Huawei.OIDC != nil || s.Ali.AssumeRole != nil || s.Ali.OIDC != nil {
				t.Errorf("sources selected from an empty environment: %+v %+v", s.Huawei, s.Ali)
			}
		}},
		{"huawei agency", map[string]string{"HW_ASSUME_ROLE_AGENCY_NAME": "a", "HW_ASSUME_ROLE_DOMAIN_NAME": "d", "HW_ASSUME_ROLE_DURATION": "1200"},
			providerModel{}, func(t *testing.T, s settings) {
				if a := s.Huawei.AssumeRole; a == nil || a.AgencyName != "a" || a.DomainName != "d" || a.Duration != 1200 {
					t.Errorf("assume_role = %+v", a)
				}
			}},
		{"huawei oidc needs a token", map[string]string{"HW_ASSUME_ROLE_IDP_ID": "i"}, providerModel{}, func(t *testing.T, s settings) {
			if s.Huawei.OIDC != nil {
				t.Errorf("HW_ASSUME_ROLE_IDP_ID alone selected OIDC: %+v", s.Huawei.OIDC)
			}
		}},
		{"huawei oidc with a token file", map[string]string{"HW_ASSUME_ROLE_IDP_ID": "i", "HW_ASSUME_ROLE_ID_TOKEN_FILE": "/f", "HW_ASSUME_ROLE_ID_TOKEN": "t"},
			providerModel{}, func(t *testing.T, s settings) {
				if o := s.Huawei.OIDC; o == nil || o.IdpID != "i" || o.IDTokenFile != "/f" || o.IDToken != "" {
					t.Errorf("OIDC = %+v (the file wins over the variable's token)", o)
				}
			}},
		{"ali oidc", map[string]string{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "p", "ALIBABA_CLOUD_ROLE_ARN": "r", "ALIBABA_CLOUD_OIDC_TOKEN_FILE": "/f"},
			providerModel{}, func(t *testing.T, s settings) {
				if o := s.Ali.OIDC; o == nil || o.OIDCProviderARN != "p" || o.RoleARN != "r" || o.OIDCTokenFile != "/f" {
					t.Errorf("OIDC = %+v", o)
				}
				if s.Ali.AssumeRole != nil {
					t.Errorf("ALIBABA_CLOUD_ROLE_ARN with OIDC variables also selected assume_role: %+v", s.Ali.AssumeRole)
				}
			}},
		{"ali assume_role", map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "a", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s", "ALIBABA_CLOUD_ROLE_ARN": "r",
			"ALIBABA_CLOUD_ROLE_SESSION_NAME": "n"}, providerModel{}, func(t *testing.T, s settings) {
			if a := s.Ali.AssumeRole; a == nil || a.RoleARN != "r" || a.SessionName != "n" {
				t.Errorf("assume_role = %+v", a)
			}
			if s.Ali.OIDC != nil {
				t.Errorf("OIDC selected: %+v", s.Ali.OIDC)
			}
		}},
		{"ali block wins over the environment", map[string]string{"ALIBABA_CLOUD_ECS_METADATA": "env-role", "ALICLOUD_PROFILE": "p"},
			providerModel{Ali: &aliModel{aliCredentialsModel: aliCredentialsModel{ECSRoleName: types.StringValue("block-role")}}},
			func(t *testing.T, s settings) {
				if s.Ali.ECSRoleName != "block-role" || s.Ali.Profile != "p" {
					t.Errorf("ecs_role_name %q, profile %q", s.Ali.ECSRoleName, s.Ali.Profile)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string { return tc.env[k] }
			s := resolve(tc.model, getenv)
			if _, err := resolveCredentialSources(tc.model, getenv, &s); err != nil {
				t.Fatal(err)
			}
			tc.check(t, s)
		})
	}
}

func TestResolveCredentialSources_badDuration(t *testing.T) {
	for v, want := range map[string]string{"soon": "not a whole number", "60": "between 900 and 86400"} {
		getenv := func(k string) string {
			return map[string]string{"HW_ASSUME_ROLE_AGENCY_NAME": "a", "HW_ASSUME_ROLE_DURATION": v}[k]
		}
		s := resolve(providerModel{}, getenv)
		_, err := resolveCredentialSources(providerModel{}, getenv, &s)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "HW_ASSUME_ROLE_DURATION") {
			t.Errorf("HW_ASSUME_ROLE_DURATION=%s: err %v, want %q", v, err, want)
		}
	}
}
