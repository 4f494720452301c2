package credentialstest

import (
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

var aliDemoKey = "key:" + emulator.DemoAliAccessKey

// aliCases: every Alibaba Cloud source of the contract, in the
// configuration and from the environment alone, in the alicloud
// provider's order of variables, and the official tools' setups.
var aliCases = []sourceCase{
	{name: "access and secret keys", wantKey: emulator.DemoAliAccessKey,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) { return nil, aliKeys(), nil }},
	{name: "the alicloud provider's variables win over the SDKs'", wantKey: emulator.DemoAliAccessKey,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"ALICLOUD_ACCESS_KEY": emulator.DemoAliAccessKey, "ALICLOUD_SECRET_KEY": emulator.DemoAliSecretKey,
				"ALIBABA_CLOUD_ACCESS_KEY_ID": "OTHERKEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "other-secret"}
		}},
	{name: "keys from the SDKs' variables", wantKey: stsAK, opts: withStaticToken(false),
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"ALIBABACLOUD_ACCESS_KEY_ID": stsAK, "ALIBABACLOUD_ACCESS_KEY_SECRET": stsSK, "ALIBABA_CLOUD_SECURITY_TOKEN": stsToken}
		}},
	{name: "aliyun CLI profile AK", wantKey: emulator.DemoAliAccessKey,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "default", map[string]any{"name": "default", "mode": "AK", "access_key_id": "OTHER", "access_key_secret": "x"},
				map[string]any{"name": "ci", "mode": "ak", "access_key_id": emulator.DemoAliAccessKey, "access_key_secret": emulator.DemoAliSecretKey})
			return nil, []string{quoted("shared_credentials_file", f), quoted("profile", "ci")}, nil
		}},
	{name: "aliyun CLI profile StsToken from the environment alone", wantKey: stsAK, opts: withStaticToken(false),
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "sts", map[string]any{"name": "sts", "mode": "StsToken", "access_key_id": stsAK, "access_key_secret": stsSK, "sts_token": stsToken})
			return nil, nil, env{"ALIBABA_CLOUD_CONFIG_FILE": f}
		}},
	{name: "aliyun CLI profile RamRoleArn at its own sts_endpoint", wantIssuer: emulator.IssuerAliAssume, wantVia: []string{aliDemoKey},
		setup: func(t *testing.T, srv *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "role", map[string]any{"name": "role", "mode": "RamRoleArn", "access_key_id": emulator.DemoAliAccessKey,
				"access_key_secret": emulator.DemoAliSecretKey, "ram_role_arn": emulator.DemoAliRoleARN, "ram_session_name": "cli",
				"expired_seconds": 900, "sts_endpoint": srv.URL()})
			return nil, []string{quoted("shared_credentials_file", f)}, nil
		}},
	{name: "aliyun CLI profile RamRoleArn whose role asks for an external ID", wantIssuer: emulator.IssuerAliAssume, wantVia: []string{aliDemoKey},
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "partner", map[string]any{"name": "partner", "mode": "ramrolearn", "access_key_id": emulator.DemoAliAccessKey,
				"access_key_secret": emulator.DemoAliSecretKey, "ram_role_arn": emulator.DemoAliExternalRoleARN,
				"external_id": emulator.DemoAliExternalID, "policy": `{"Version":"1","Statement":[]}`})
			return nil, nil, env{"ALIBABA_CLOUD_CONFIG_FILE": f}
		}},
	{name: "assume_role with external_id", wantIssuer: emulator.IssuerAliAssume, wantVia: []string{aliDemoKey},
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, append(aliKeys(), "assume_role {\n      role_arn = "+quotedValue(emulator.DemoAliExternalRoleARN)+
				"\n      external_id = "+quotedValue(emulator.DemoAliExternalID)+"\n    }"), nil
		}},
	{name: "aliyun CLI profile ChainableRamRoleArn", wantIssuer: emulator.IssuerAliAssume,
		wantVia: []string{emulator.IssuerAliAssume, aliDemoKey},
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "chain",
				map[string]any{"name": "role", "mode": "RamRoleArn", "access_key_id": emulator.DemoAliAccessKey,
					"access_key_secret": emulator.DemoAliSecretKey, "ram_role_arn": emulator.DemoAliRoleARN},
				map[string]any{"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "role", "ram_role_arn": emulator.DemoAliRoleARN})
			return nil, nil, env{"ALICLOUD_SHARED_CREDENTIALS_FILE": f}
		}},
	{name: "aliyun CLI profile EcsRamRole", wantIssuer: emulator.IssuerAliIMDS, wantIMDS: true,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "ecs", map[string]any{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": emulator.DemoAliECSRoleName})
			return nil, nil, env{"ALIBABA_CLOUD_CREDENTIALS_FILE": f, "ALIBABA_CLOUD_PROFILE": "ecs"}
		}},
	{name: "aliyun CLI profile EcsRamRole without ram_role_name: the instance's role is discovered", wantIssuer: emulator.IssuerAliIMDS, wantIMDS: true,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "ecs", map[string]any{"name": "ecs", "mode": "ecsramrole"})
			return nil, nil, env{"ALIBABA_CLOUD_CONFIG_FILE": f}
		}},
	{name: "aliyun CLI profile OIDC", wantIssuer: emulator.IssuerAliOIDC,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "oidc", map[string]any{"name": "oidc", "mode": "OIDC", "oidc_provider_arn": emulator.DemoAliOIDCProviderARN,
				"ram_role_arn": emulator.DemoAliRoleARN, "oidc_token_file": writeTemp(t, "token", idToken(t))})
			return nil, []string{quoted("shared_credentials_file", f)}, nil
		}},
	{name: "aliyun CLI profile CredentialsURI", wantIssuer: emulator.IssuerAliURI,
		setup: func(t *testing.T, srv *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "uri", map[string]any{"name": "uri", "mode": "CredentialsURI", "credentials_uri": srv.URL() + emulator.CredentialsURIPath})
			return nil, []string{quoted("shared_credentials_file", f)}, nil
		}},
	{name: "the SDKs' INI credentials file, type ram_role_arn", wantIssuer: emulator.IssuerAliAssume, wantVia: []string{aliDemoKey},
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := writeTemp(t, "credentials", "[default]\ntype = access_key\naccess_key_id = OTHER\naccess_key_secret = x\n\n[ci]\ntype = ram_role_arn\n"+
				"access_key_id = "+emulator.DemoAliAccessKey+"\naccess_key_secret = "+emulator.DemoAliSecretKey+"\nrole_arn = "+emulator.DemoAliRoleARN+
				"\nrole_session_name = ini\n")
			return nil, nil, env{"ALIBABA_CLOUD_CREDENTIALS_FILE": f, "ALICLOUD_PROFILE": "ci"}
		}},
	{name: "ecs_role_name", wantIssuer: emulator.IssuerAliIMDS, wantIMDS: true,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, []string{quoted("ecs_role_name", emulator.DemoAliECSRoleName)}, nil
		}},
	{name: "ecs_role_name from the environment alone", wantIssuer: emulator.IssuerAliIMDS, wantIMDS: true,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"ALIBABA_CLOUD_ECS_METADATA": emulator.DemoAliECSRoleName}
		}},
	{name: "credentials_uri", wantIssuer: emulator.IssuerAliURI,
		setup: func(_ *testing.T, srv *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"ALICLOUD_CREDENTIALS_URI": srv.URL() + emulator.CredentialsURIPath}
		}},
	{name: "assume_role from keys", wantIssuer: emulator.IssuerAliAssume, wantVia: []string{aliDemoKey},
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, append(aliKeys(), aliAssume(emulator.DemoAliRoleARN)), nil
		}},
	{name: "ALIBABA_CLOUD_ROLE_ARN with keys assumes nothing, as in the official tools", wantKey: emulator.DemoAliAccessKey,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"ALIBABA_CLOUD_ACCESS_KEY_ID": emulator.DemoAliAccessKey, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": emulator.DemoAliSecretKey,
				"ALIBABA_CLOUD_ROLE_ARN": emulator.DemoAliRoleARN}
		}},
	{name: "assume_role block filled in from the environment", wantIssuer: emulator.IssuerAliAssume, wantVia: []string{aliDemoKey},
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, []string{"assume_role {\n    }"}, env{"ALICLOUD_ACCESS_KEY": emulator.DemoAliAccessKey, "ALICLOUD_SECRET_KEY": emulator.DemoAliSecretKey,
				"ALICLOUD_ASSUME_ROLE_ARN": emulator.DemoAliRoleARN}
		}},
	{name: "assume_role_with_oidc with oidc_token", wantIssuer: emulator.IssuerAliOIDC,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			return nil, []string{aliOIDC(quoted("oidc_token", idToken(t)))}, nil
		}},
	{name: "assume_role_with_oidc from the environment alone, as a pipeline or ACK RRSA sets it", wantIssuer: emulator.IssuerAliOIDC,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": emulator.DemoAliOIDCProviderARN, "ALIBABA_CLOUD_ROLE_ARN": emulator.DemoAliRoleARN,
				"ALIBABA_CLOUD_OIDC_TOKEN_FILE": writeTemp(t, "token", idToken(t))}
		}},
	{name: "credentials_uri then assume_role", wantIssuer: emulator.IssuerAliAssume, wantVia: []string{emulator.IssuerAliURI},
		setup: func(_ *testing.T, srv *emulator.Server) ([]string, []string, env) {
			return nil, []string{quoted("credentials_uri", srv.URL()+emulator.CredentialsURIPath), aliAssume(emulator.DemoAliRoleARN)}, nil
		}},
}
