package credentialstest

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// sourceCase is one credential source: what the configuration and the
// environment say, and who must have signed the data requests.
type sourceCase struct {
	name string
	// setup returns the huaweicloud and alicloud block lines and the
	// environment, given the emulator (files are written here).
	setup func(t *testing.T, srv *emulator.Server) (hw, ali []string, e env)
	// opts adjusts the emulator (e.g. a static key with a security token).
	opts func(*emulator.Options)
	// wantKey is the access key that must sign the data requests, or
	// wantIssuer the credential service that must have issued it.
	wantKey, wantIssuer string
	// wantIMDS: the instance metadata service is contacted (only then).
	wantIMDS bool
}

const (
	stsAK, stsSK, stsToken = "STSPROFILEAK0001", "sts-profile-secret-0001", "sts-profile-token-0001-0123456789"
)

func withStaticToken(huawei bool) func(*emulator.Options) {
	return func(o *emulator.Options) {
		if huawei {
			o.HuaweiAccessKey, o.HuaweiSecretKey, o.HuaweiSecurityToken = stsAK, stsSK, stsToken
		} else {
			o.AliAccessKey, o.AliSecretKey, o.AliSecurityToken = stsAK, stsSK, stsToken
		}
	}
}

func hwKeys() []string {
	return []string{quoted("access_key", emulator.DemoHuaweiAccessKey), quoted("secret_key", emulator.DemoHuaweiSecretKey)}
}

func aliKeys() []string {
	return []string{quoted("access_key", emulator.DemoAliAccessKey), quoted("secret_key", emulator.DemoAliSecretKey)}
}

func hwAgency() string {
	return fmt.Sprintf("assume_role {\n      agency_name = %q\n      domain_name = %q\n      duration = 900\n    }", emulator.DemoHuaweiAgency, emulator.DemoHuaweiDomain)
}

func hwOIDC(tokenLine string) string {
	return fmt.Sprintf("assume_role_with_oidc {\n      idp_id = %q\n      %s\n    }", emulator.DemoHuaweiIdpID, tokenLine)
}

func aliAssume(role string) string {
	return fmt.Sprintf("assume_role {\n      role_arn = %q\n      session_name = \"ci\"\n      session_expiration = 900\n    }", role)
}

func aliOIDC(tokenLine string) string {
	return fmt.Sprintf("assume_role_with_oidc {\n      oidc_provider_arn = %q\n      role_arn = %q\n      %s\n    }", emulator.DemoAliOIDCProviderARN, emulator.DemoAliRoleARN, tokenLine)
}

func kooCLI(t *testing.T, profiles ...map[string]any) string {
	return jsonFile(t, "config.json", map[string]any{"current": profiles[0]["name"], "profiles": profiles})
}

func aliyunCLI(t *testing.T, current string, profiles ...map[string]any) string {
	return jsonFile(t, "config.json", map[string]any{"current": current, "profiles": profiles})
}

var huaweiCases = []sourceCase{
	{name: "access and secret keys", wantKey: emulator.DemoHuaweiAccessKey,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) { return hwKeys(), nil, nil }},
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
	{name: "assume_role from keys", wantIssuer: emulator.IssuerHuaweiAgency,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return append(hwKeys(), hwAgency()), nil, nil
		}},
	{name: "assume_role from the environment alone", wantIssuer: emulator.IssuerHuaweiAgency,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"HW_ACCESS_KEY": emulator.DemoHuaweiAccessKey, "HW_SECRET_KEY": emulator.DemoHuaweiSecretKey,
				"HW_ASSUME_ROLE_AGENCY_NAME": emulator.DemoHuaweiAgency, "HW_ASSUME_ROLE_DOMAIN_NAME": emulator.DemoHuaweiDomain}
		}},
	{name: "assume_role_with_oidc with id_token", wantIssuer: emulator.IssuerHuaweiOIDC,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			return []string{hwOIDC(quoted("id_token", idToken(t)))}, nil, nil
		}},
	{name: "assume_role_with_oidc from the environment alone (token file)", wantIssuer: emulator.IssuerHuaweiOIDC,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"HW_ASSUME_ROLE_IDP_ID": emulator.DemoHuaweiIdpID,
				"HW_ASSUME_ROLE_ID_TOKEN_FILE": writeTemp(t, "token", idToken(t)+"\n")}
		}},
	{name: "assume_role_with_oidc then assume_role", wantIssuer: emulator.IssuerHuaweiAgency,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			return []string{hwOIDC(quoted("id_token_file", writeTemp(t, "token", idToken(t)))), hwAgency()}, nil, nil
		}},
}

var aliCases = []sourceCase{
	{name: "access and secret keys", wantKey: emulator.DemoAliAccessKey,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) { return nil, aliKeys(), nil }},
	{name: "aliyun CLI profile AK", wantKey: emulator.DemoAliAccessKey,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "default", map[string]any{"name": "default", "mode": "AK", "access_key_id": "OTHER", "access_key_secret": "x"},
				map[string]any{"name": "ci", "mode": "AK", "access_key_id": emulator.DemoAliAccessKey, "access_key_secret": emulator.DemoAliSecretKey})
			return nil, []string{quoted("shared_credentials_file", f), quoted("profile", "ci")}, nil
		}},
	{name: "aliyun CLI profile StsToken from the environment alone", wantKey: stsAK, opts: withStaticToken(false),
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "sts", map[string]any{"name": "sts", "mode": "StsToken", "access_key_id": stsAK, "access_key_secret": stsSK, "sts_token": stsToken})
			return nil, nil, env{"ALIBABA_CLOUD_CREDENTIALS_FILE": f}
		}},
	{name: "aliyun CLI profile RamRoleArn", wantIssuer: emulator.IssuerAliAssume,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "role", map[string]any{"name": "role", "mode": "RamRoleArn", "access_key_id": emulator.DemoAliAccessKey,
				"access_key_secret": emulator.DemoAliSecretKey, "ram_role_arn": emulator.DemoAliRoleARN, "ram_session_name": "cli", "expired_seconds": 900})
			return nil, []string{quoted("shared_credentials_file", f)}, nil
		}},
	{name: "aliyun CLI profile EcsRamRole", wantIssuer: emulator.IssuerAliIMDS, wantIMDS: true,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "ecs", map[string]any{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": emulator.DemoAliECSRoleName})
			return nil, nil, env{"ALIBABA_CLOUD_CREDENTIALS_FILE": f, "ALIBABA_CLOUD_PROFILE": "ecs"}
		}},
	{name: "aliyun CLI profile OIDC", wantIssuer: emulator.IssuerAliOIDC,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			f := aliyunCLI(t, "oidc", map[string]any{"name": "oidc", "mode": "OIDC", "oidc_provider_arn": emulator.DemoAliOIDCProviderARN,
				"ram_role_arn": emulator.DemoAliRoleARN, "oidc_token_file": writeTemp(t, "token", idToken(t))})
			return nil, []string{quoted("shared_credentials_file", f)}, nil
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
			return nil, nil, env{"ALIBABA_CLOUD_CREDENTIALS_URI": srv.URL() + emulator.CredentialsURIPath}
		}},
	{name: "assume_role from keys", wantIssuer: emulator.IssuerAliAssume,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, append(aliKeys(), aliAssume(emulator.DemoAliRoleARN)), nil
		}},
	{name: "ALIBABA_CLOUD_ROLE_ARN with keys assumes nothing, as in the official tools", wantKey: emulator.DemoAliAccessKey,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"ALIBABA_CLOUD_ACCESS_KEY_ID": emulator.DemoAliAccessKey, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": emulator.DemoAliSecretKey,
				"ALIBABA_CLOUD_ROLE_ARN": emulator.DemoAliRoleARN}
		}},
	{name: "assume_role block filled in from the environment", wantIssuer: emulator.IssuerAliAssume,
		setup: func(*testing.T, *emulator.Server) ([]string, []string, env) {
			return nil, []string{"assume_role {\n    }"}, env{"ALICLOUD_ACCESS_KEY": emulator.DemoAliAccessKey, "ALICLOUD_SECRET_KEY": emulator.DemoAliSecretKey,
				"ALICLOUD_ASSUME_ROLE_ARN": emulator.DemoAliRoleARN}
		}},
	{name: "assume_role_with_oidc with oidc_token", wantIssuer: emulator.IssuerAliOIDC,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			return nil, []string{aliOIDC(quoted("oidc_token", idToken(t)))}, nil
		}},
	{name: "assume_role_with_oidc from the environment alone", wantIssuer: emulator.IssuerAliOIDC,
		setup: func(t *testing.T, _ *emulator.Server) ([]string, []string, env) {
			return nil, nil, env{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": emulator.DemoAliOIDCProviderARN, "ALIBABA_CLOUD_ROLE_ARN": emulator.DemoAliRoleARN,
				"ALIBABA_CLOUD_OIDC_TOKEN_FILE": writeTemp(t, "token", idToken(t))}
		}},
	{name: "credentials_uri then assume_role", wantIssuer: emulator.IssuerAliAssume,
		setup: func(_ *testing.T, srv *emulator.Server) ([]string, []string, env) {
			return nil, []string{quoted("credentials_uri", srv.URL()+emulator.CredentialsURIPath), aliAssume(emulator.DemoAliRoleARN)}, nil
		}},
}

// TestSources reads a data source of each cloud with the credentials of
// each source and checks, through the emulator, which key signed every
// data request, and that instance metadata was contacted only when asked.
func TestSources(t *testing.T) {
	for _, cloud := range []struct {
		name    string
		cases   []sourceCase
		read    func() string
		address string
		list    string
		api     string
	}{
		{"huaweicloud", huaweiCases, hwRead, hwEvents, "events", emulator.APIDesktopEvents},
		{"alicloud", aliCases, aliRead, aliLogs, "execution_logs", emulator.APIExecutionLogs},
	} {
		for _, tc := range cloud.cases {
			t.Run(cloud.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				opts := emulator.Options{Data: dataset(120, 70)}
				if tc.opts != nil {
					tc.opts(&opts)
				}
				srv := acctest.Emulator(t, opts)
				hw, ali, e := tc.setup(t, srv)
				want := 120
				if cloud.name == "alicloud" {
					want = 70
				}
				resource.UnitTest(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(e),
					Steps: []resource.TestStep{{
						Config: providerConfig(srv, hw, ali) + cloud.read(),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(cloud.address, tfjsonpath.New(cloud.list), knownvalue.ListSizeExact(want)),
							acctest.CheckFunc(func() error { return checkSigners(srv, cloud.api, tc) }),
						},
					}},
				})
			})
		}
	}
}

func checkSigners(srv *emulator.Server, api string, tc sourceCase) error {
	recs := srv.Recorded(api)
	if len(recs) == 0 {
		return fmt.Errorf("no %s request recorded", api)
	}
	for i, r := range recs {
		ak := emulator.SignedBy(r)
		issuer, issued := srv.IssuedBy(ak)
		switch {
		case r.Status != 200:
			return fmt.Errorf("request %d answered %d", i, r.Status)
		case tc.wantKey != "" && ak != tc.wantKey:
			return fmt.Errorf("request %d signed by %q, want %q", i, ak, tc.wantKey)
		case tc.wantIssuer != "" && (!issued || issuer != tc.wantIssuer):
			return fmt.Errorf("request %d signed by %q issued by %q (%v), want a key issued by %s", i, ak, issuer, issued, tc.wantIssuer)
		}
	}
	if got := srv.Requests(emulator.APIIMDS) > 0; got != tc.wantIMDS {
		return fmt.Errorf("instance metadata contacted: %v, want %v", got, tc.wantIMDS)
	}
	return nil
}

// TestSources_chainedSigner: assume_role signs its request with the
// credentials of the source below it.
func TestSources_chainedSigner(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{Data: dataset(10, 10)})
	tok := idToken(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: providerConfig(srv, []string{hwOIDC(quoted("id_token", tok)), hwAgency()},
				[]string{aliOIDC(quoted("oidc_token", tok)), aliAssume(emulator.DemoAliRoleARN)}) + hwRead() + aliRead(),
			ConfigStateChecks: []statecheck.StateCheck{acctest.CheckFunc(func() error {
				for api, want := range map[string][2]string{
					emulator.APIDesktopEvents: {emulator.IssuerHuaweiAgency, emulator.IssuerHuaweiOIDC},
					emulator.APIExecutionLogs: {emulator.IssuerAliAssume, emulator.IssuerAliOIDC},
				} {
					ak := emulator.SignedBy(srv.Recorded(api)[0])
					if issuer, _ := srv.IssuedBy(ak); issuer != want[0] {
						return fmt.Errorf("%s signed by a key of %q, want %s", api, issuer, want[0])
					}
					if issuer, _ := srv.IssuedBy(srv.IssuedTo(ak)); issuer != want[1] {
						return fmt.Errorf("%s: the role was assumed with a key of %q, want %s", api, issuer, want[1])
					}
				}
				return nil
			})},
		}},
	})
}

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
		want    string
	}{
		"huawei duration":     {hw: []string{"assume_role {\n agency_name = \"a\"\n domain_name = \"d\"\n duration = 60\n }"}, want: `(?s)duration.*900`},
		"ali expiration":      {ali: []string{"assume_role {\n role_arn = \"r\"\n session_expiration = 50000\n }"}, want: `(?s)session_expiration.*43200`},
		"id token twice":      {hw: []string{hwOIDC("id_token = \"a\"\n id_token_file = \"/f\"")}, want: `(?s)id_token.*id_token_file`},
		"oidc token twice":    {ali: []string{aliOIDC("oidc_token = \"a\"\n oidc_token_file = \"/f\"")}, want: `(?s)oidc_token.*oidc_token_file`},
		"agency domain twice": {hw: []string{"assume_role {\n agency_name = \"a\"\n domain_name = \"d\"\n domain_id = \"i\"\n }"}, want: `(?s)domain_name.*domain_id|domain_id.*domain_name`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config:      providerConfig(srv, tc.hw, tc.ali) + hwRead(),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
}
