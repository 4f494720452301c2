package credentialstest

import (
	"fmt"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// hwAgencyV5 is an assume_role block of the emulator's agency by domain
// id (IAM v5).
func hwAgencyV5() string {
	return fmt.Sprintf("assume_role {\n      agency_name = %q\n      domain_id = %q\n    }", emulator.DemoHuaweiAgency, emulator.DemoHuaweiDomainID)
}

// hwKeysOf is the key of the demo access key, for wantVia.
var hwDemoKey = "key:" + emulator.DemoHuaweiAccessKey

// huaweiCases: every Huawei Cloud source of the contract, in the
// configuration and from the environment alone, and the official
// provider's setups (its OIDC environment, domain_id, a profile with an
// agency).
var huaweiCases = []sourceCase{
	{name: "access and secret keys", wantKey: emulator.DemoHuaweiAccessKey,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) { return hwKeys(), nil, nil }},
	{name: "keys from the OpenStack variables", wantKey: emulator.DemoHuaweiAccessKey,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"OS_ACCESS_KEY": emulator.DemoHuaweiAccessKey, "OS_SECRET_KEY": emulator.DemoHuaweiSecretKey}
		}},
	{name: "keys from the official SDK's variables", wantKey: stsAK, opts: withStaticToken(true),
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"HUAWEICLOUD_SDK_AK": stsAK, "HUAWEICLOUD_SDK_SK": stsSK, "HUAWEICLOUD_SDK_SECURITY_TOKEN": stsToken}
		}},
	{name: "KooCLI profile AKSK", wantKey: emulator.DemoHuaweiAccessKey,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := kooCLI(t, map[string]any{"name": "default", "mode": "AKSK", "accessKeyId": "OTHER", "secretAccessKey": "other"},
				map[string]any{"name": "ci", "mode": "AKSK", "accessKeyId": emulator.DemoHuaweiAccessKey, "secretAccessKey": emulator.DemoHuaweiSecretKey})
			return []string{quoted("shared_config_file", f), quoted("profile", "ci")}, nil, nil
		}},
	{name: "KooCLI profile SSO from the environment alone", wantKey: stsAK, opts: withStaticToken(true),
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := kooCLI(t, map[string]any{"name": "sso", "mode": "SSO", "ssoAuth": map[string]any{"stsToken": map[string]any{
				"accessKeyId": stsAK, "secretAccessKey": stsSK, "securityToken": stsToken}}})
			return nil, nil, env{"HW_SHARED_CONFIG_FILE": f}
		}},
	{name: "KooCLI profile with an agency (agencyDomainName, IAM v3)", wantIssuer: emulator.IssuerHuaweiAgency, wantVia: []string{hwDemoKey},
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := kooCLI(t, map[string]any{"name": "audit", "mode": "AKSK", "accessKeyId": emulator.DemoHuaweiAccessKey,
				"secretAccessKey": emulator.DemoHuaweiSecretKey, "agencyName": emulator.DemoHuaweiAgency, "agencyDomainName": emulator.DemoHuaweiDomain})
			return nil, nil, env{"HW_SHARED_CONFIG_FILE": f, "HW_PROFILE": "audit"}
		}},
	{name: "KooCLI profile with an agency (agencyDomainId, IAM v5)", wantIssuer: emulator.IssuerHuaweiAgencyV5, wantVia: []string{hwDemoKey},
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := kooCLI(t, map[string]any{"name": "audit", "mode": "AKSK", "accessKeyId": emulator.DemoHuaweiAccessKey,
				"secretAccessKey": emulator.DemoHuaweiSecretKey, "agencyName": emulator.DemoHuaweiAgency, "agencyDomainId": emulator.DemoHuaweiDomainID})
			return []string{quoted("shared_config_file", f)}, nil, nil
		}},
	{name: "use_ecs_metadata", wantIssuer: emulator.IssuerHuaweiMetadata, wantIMDS: true,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return []string{"use_ecs_metadata = true"}, nil, nil
		}},
	{name: "use_ecs_metadata from the environment alone, then an agency", wantIssuer: emulator.IssuerHuaweiAgencyV5,
		wantVia: []string{emulator.IssuerHuaweiMetadata}, wantIMDS: true,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"HW_USE_ECS_METADATA": "true", "HW_ASSUME_ROLE_AGENCY_NAME": emulator.DemoHuaweiAgency,
				"HW_ASSUME_ROLE_DOMAIN_ID": emulator.DemoHuaweiDomainID}
		}},
	{name: "assume_role from keys (domain_name, IAM v3)", wantIssuer: emulator.IssuerHuaweiAgency, wantVia: []string{hwDemoKey},
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return append(hwKeys(), hwAgency()), nil, nil
		}},
	{name: "assume_role with domain_id (IAM v5)", wantIssuer: emulator.IssuerHuaweiAgencyV5, wantVia: []string{hwDemoKey},
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return append(hwKeys(), hwAgencyV5()), nil, nil
		}},
	{name: "a chain of assume_role blocks, in order", wantIssuer: emulator.IssuerHuaweiAgency,
		wantVia: []string{emulator.IssuerHuaweiAgencyV5, hwDemoKey},
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return append(hwKeys(), hwAgencyV5(), hwAgency()), nil, nil
		}},
	{name: "assume_role from the environment alone (IAM v3)", wantIssuer: emulator.IssuerHuaweiAgency,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"HW_ACCESS_KEY": emulator.DemoHuaweiAccessKey, "HW_SECRET_KEY": emulator.DemoHuaweiSecretKey,
				"HW_ASSUME_ROLE_AGENCY_NAME": emulator.DemoHuaweiAgency, "HW_ASSUME_ROLE_DOMAIN_NAME": emulator.DemoHuaweiDomain}
		}},
	{name: "assume_role from the environment alone (IAM v5)", wantIssuer: emulator.IssuerHuaweiAgencyV5, wantVia: []string{hwDemoKey},
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"HW_ACCESS_KEY": emulator.DemoHuaweiAccessKey, "HW_SECRET_KEY": emulator.DemoHuaweiSecretKey,
				"HW_ASSUME_ROLE_AGENCY_NAME": emulator.DemoHuaweiAgency, "HW_ASSUME_ROLE_DOMAIN_ID": emulator.DemoHuaweiDomainID}
		}},
	{name: "assume_role_with_oidc with id_token", wantIssuer: emulator.IssuerHuaweiOIDC,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			return []string{hwOIDC(quoted("id_token", idToken(t)))}, nil, nil
		}},
	{name: "assume_role_with_oidc from the SDK's variables (token file)", wantIssuer: emulator.IssuerHuaweiOIDC,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"HUAWEICLOUD_SDK_IDP_ID": emulator.DemoHuaweiIdpID,
				"HUAWEICLOUD_SDK_ID_TOKEN_FILE": writeTemp(t, "token", idToken(t)+"\n")}
		}},
	{name: "the huaweicloud provider's OIDC environment: the exchanged credentials assume the agency (IAM v5)",
		wantIssuer: emulator.IssuerHuaweiAgencyV5, wantVia: []string{emulator.IssuerHuaweiOIDC},
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"HW_ASSUME_ROLE_IDP_ID": emulator.DemoHuaweiIdpID, "HW_ASSUME_ROLE_ID_TOKEN_FILE": writeTemp(t, "token", idToken(t)+"\n"),
				"HW_ASSUME_ROLE_AGENCY_NAME": emulator.DemoHuaweiAgency, "HW_ASSUME_ROLE_DOMAIN_ID": emulator.DemoHuaweiDomainID}
		}},
	{name: "assume_role_with_oidc then assume_role", wantIssuer: emulator.IssuerHuaweiAgency, wantVia: []string{emulator.IssuerHuaweiOIDC},
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			return []string{hwOIDC(quoted("id_token_file", writeTemp(t, "token", idToken(t)))), hwAgency()}, nil, nil
		}},
}
