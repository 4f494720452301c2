package credentialstest

import (
	"fmt"
	"strings"
	"testing"

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
	// wantVia are, from the signing key down, who issued each key that
	// obtained the one above (emulator.IssuedTo): an issuer, or "key:" and
	// a configured access key.
	wantVia []string
	// wantIMDS: an instance metadata service (Alibaba IMDS or Huawei ECS
	// metadata) is contacted (only then).
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
		for _, via := range tc.wantVia {
			ak = srv.IssuedTo(ak)
			if key, ok := strings.CutPrefix(via, "key:"); ok {
				if ak != key {
					return fmt.Errorf("request %d: a key in the chain was obtained with %q, want %q", i, ak, key)
				}
				continue
			}
			if got, _ := srv.IssuedBy(ak); got != via {
				return fmt.Errorf("request %d: a key in the chain was obtained with %q issued by %q, want one issued by %s", i, ak, got, via)
			}
		}
	}
	contacted := srv.Requests(emulator.APIIMDS)+srv.Requests(emulator.APIHuaweiMetadata) > 0
	if contacted != tc.wantIMDS {
		return fmt.Errorf("instance metadata contacted: %v, want %v", contacted, tc.wantIMDS)
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
