package credentialstest

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// TestSources_errors: failures name the setting, its environment variable
// and the service's own code.
func TestSources_errors(t *testing.T) {
	expired, err := emulator.IDToken("ci-pipeline", -time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		setup   func(t *testing.T) ([]string, []string, env)
		read    func() string
		wantErr string
	}{
		{"huaweicloud bad id token", func(t *testing.T) ([]string, []string, env) {
			return []string{hwOIDC(quoted("id_token", tampered(idToken(t))))}, nil, nil
		}, hwRead, `(?s)assume_role_with_oidc.*HW_ASSUME_ROLE_ID_TOKEN.*IAM\.1002`},
		{"huaweicloud expired id token", func(*testing.T) ([]string, []string, env) {
			return nil, nil, env{"HW_ASSUME_ROLE_IDP_ID": emulator.DemoHuaweiIdpID, "HW_ASSUME_ROLE_ID_TOKEN": expired}
		}, hwRead, `(?s)assume_role_with_oidc.*IAM\.1001`},
		{"huaweicloud unknown agency", func(*testing.T) ([]string, []string, env) {
			return append(hwKeys(), `assume_role {
      agency_name = "no-such-agency"
      domain_name = "opsaudit-domain"
    }`), nil, nil
		}, hwRead, `(?s)assume_role.*agency_name.*HW_ASSUME_ROLE_AGENCY_NAME.*IAM\.0002`},
		{"huaweicloud missing profile", func(t *testing.T) ([]string, []string, env) {
			f := kooCLI(t, map[string]any{"name": "default", "mode": "AKSK", "accessKeyId": "A", "secretAccessKey": "B"})
			return []string{quoted("shared_config_file", f), quoted("profile", "nope")}, nil, nil
		}, hwRead, `(?s)KooCLI profile.*"nope"\s+\(profile\s+\(HW_PROFILE\)\)\s+not\s+found`},
		{"alicloud bad oidc token", func(t *testing.T) ([]string, []string, env) {
			return nil, []string{aliOIDC(quoted("oidc_token", tampered(idToken(t))))}, nil
		}, aliRead, `(?s)assume_role_with_oidc.*ALIBABA_CLOUD_OIDC_TOKEN.*AuthenticationFail\.OIDCToken\.Invalid`},
		{"alicloud expired oidc token file", func(t *testing.T) ([]string, []string, env) {
			return nil, []string{aliOIDC(quoted("oidc_token_file", writeTemp(t, "token", expired)))}, nil
		}, aliRead, `(?s)assume_role_with_oidc.*AuthenticationFail\.OIDCToken\.Expired`},
		{"alicloud unknown role", func(*testing.T) ([]string, []string, env) {
			return nil, append(aliKeys(), aliAssume("acs:ram::1234567890123456:role/no-such-role")), nil
		}, aliRead, `(?s)assume_role.*role_arn.*ALIBABA_CLOUD_ROLE_ARN.*EntityNotExist\.Role`},
		{"alicloud missing profile", func(t *testing.T) ([]string, []string, env) {
			f := aliyunCLI(t, "default", map[string]any{"name": "default", "mode": "AK", "access_key_id": "A", "access_key_secret": "B"})
			return nil, nil, env{"ALIBABA_CLOUD_CREDENTIALS_FILE": f, "ALICLOUD_PROFILE": "nope"}
		}, aliRead, `(?s)profile.*ALICLOUD_PROFILE.*"nope"\s+\(profile\s+\(ALICLOUD_PROFILE,\s+ALIBABA_CLOUD_PROFILE\)\)\s+not\s+found`},
		{"alicloud missing profile file", func(t *testing.T) ([]string, []string, env) {
			return nil, []string{quoted("shared_credentials_file", t.TempDir()+"/absent.json")}, nil
		}, aliRead, `(?s)shared_credentials_file.*ALIBABA_CLOUD_CREDENTIALS_FILE.*absent\.json`},
		{"alicloud unknown instance role", func(*testing.T) ([]string, []string, env) {
			return nil, []string{quoted("ecs_role_name", "no-such-role")}, nil
		}, aliRead, `(?s)ecs_role_name.*ALIBABA_CLOUD_ECS_METADATA.*404`},
		{"alicloud incomplete assume_role_with_oidc", func(*testing.T) ([]string, []string, env) {
			return nil, []string{"assume_role_with_oidc {\n role_arn = \"x\"\n }"}, nil
		}, aliRead, `(?s)oidc_provider_arn.*ALIBABA_CLOUD_OIDC_PROVIDER_ARN`},
		{"alicloud RamRoleArn profile without the role's external ID", func(t *testing.T) ([]string, []string, env) {
			f := aliyunCLI(t, "partner", map[string]any{"name": "partner", "mode": "RamRoleArn", "access_key_id": emulator.DemoAliAccessKey,
				"access_key_secret": emulator.DemoAliSecretKey, "ram_role_arn": emulator.DemoAliExternalRoleARN, "external_id": "wrong-one"})
			return nil, nil, env{"ALIBABA_CLOUD_CONFIG_FILE": f}
		}, aliRead, `(?s)the\s+role\s+of\s+profile\s+"partner".*NoPermission`},
		{"alicloud ALIBABA_CLOUD_ROLE_ARN alone selects nothing", func(*testing.T) ([]string, []string, env) {
			return nil, nil, env{"ALIBABA_CLOUD_ROLE_ARN": emulator.DemoAliRoleARN}
		}, aliRead, `(?s)missing Alibaba Cloud credentials: set access_key`},
		{"huaweicloud wrong agency URN (IAM v5)", func(*testing.T) ([]string, []string, env) {
			return append(hwKeys(), "assume_role {\n agency_name = \"opsaudit-auditor\"\n domain_id = \"0000\"\n }"), nil, nil
		}, hwRead, `(?s)assume_role.*domain_id.*HW_ASSUME_ROLE_DOMAIN_ID.*STS\.0004`},
		{"huaweicloud KooCLI mode it cannot serve", func(t *testing.T) ([]string, []string, env) {
			f := kooCLI(t, map[string]any{"name": "ecs", "mode": "ecsAgency"})
			return []string{quoted("shared_config_file", f)}, nil, nil
		}, hwRead, `(?s)mode\s+"ecsAgency"\s+is\s+not\s+one\s+the\s+provider\s+can\s+serve`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := acctest.Emulator(t, emulator.Options{Data: dataset(10, 10)})
			hw, ali, e := tc.setup(t)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(e),
				Steps: []resource.TestStep{{
					Config:      providerConfig(srv, hw, ali) + tc.read(),
					ExpectError: regexp.MustCompile(tc.wantErr),
				}},
			})
		})
	}
}

// TestSources_planTimeValidation: durations out of range and conflicting
// settings fail at plan time, naming the attribute.
func TestSources_planTimeValidation(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{Data: dataset(10, 10)})
	for name, tc := range map[string]struct {
		hw, ali []string
		env     env
		want    string
	}{
		"an OIDC role without its token file": {env: env{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "p", "ALIBABA_CLOUD_ROLE_ARN": "r"},
			want: `(?s)assume_role_with_oidc\s+is\s+configured\s+in\s+part.*ALIBABA_CLOUD_OIDC_TOKEN_FILE`},
		"an agency without a domain": {env: env{"HW_ACCESS_KEY": "a", "HW_SECRET_KEY": "s", "HW_ASSUME_ROLE_AGENCY_NAME": "x"},
			want: `(?s)assume_role\s+is\s+configured\s+in\s+part.*HW_ASSUME_ROLE_DOMAIN_NAME.*HW_ASSUME_ROLE_DOMAIN_ID`},
		"huawei duration":     {hw: []string{"assume_role {\n agency_name = \"a\"\n domain_name = \"d\"\n duration = 60\n }"}, want: `(?s)duration.*900`},
		"ali expiration":      {ali: []string{"assume_role {\n role_arn = \"r\"\n session_expiration = 50000\n }"}, want: `(?s)session_expiration.*43200`},
		"id token twice":      {hw: []string{hwOIDC("id_token = \"a\"\n id_token_file = \"/f\"")}, want: `(?s)id_token.*id_token_file`},
		"oidc token twice":    {ali: []string{aliOIDC("oidc_token = \"a\"\n oidc_token_file = \"/f\"")}, want: `(?s)oidc_token.*oidc_token_file`},
		"agency domain twice": {hw: []string{"assume_role {\n agency_name = \"a\"\n domain_name = \"d\"\n domain_id = \"i\"\n }"}, want: `(?s)domain_name.*domain_id|domain_id.*domain_name`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(tc.env),
				Steps: []resource.TestStep{{
					Config:      providerConfig(srv, tc.hw, tc.ali) + hwRead(),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}
