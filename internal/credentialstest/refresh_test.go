package credentialstest

import (
	"fmt"
	"net/url"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// lifetime caps the credentials the emulator issues in the refresh tests:
// a refresh is due every half of it (credchain.RefreshAt), and a read of
// many slow pages outlives several.
const lifetime = 2 * time.Second

// TestRefresh_duringRead reads many pages, each slowed down, with
// temporary credentials that expire several times during one read: every
// request is accepted (the credentials were refreshed before they
// expired), the result is complete, several keys signed the pages, and
// each key was fetched once for all the requests in flight.
func TestRefresh_duringRead(t *testing.T) {
	for _, tc := range []struct {
		name    string
		items   int
		read    func() string
		address string
		list    string
		api     string
		issuer  string
		setup   func(t *testing.T) ([]string, []string)
		// credAPI is the credential service asked for each new key.
		credAPI string
	}{
		{"huaweicloud assume_role, pages in parallel", 3000, hwRead, hwEvents, "events", emulator.APIDesktopEvents, emulator.IssuerHuaweiAgency,
			func(*testing.T) ([]string, []string) {
				return append(hwKeys(), hwAgency()), nil
			}, emulator.APISecurityTokens},
		{"alicloud assume_role_with_oidc, a token chain", 1000, aliRead, aliLogs, "execution_logs", emulator.APIExecutionLogs, emulator.IssuerAliOIDC,
			func(t *testing.T) ([]string, []string) {
				return nil, []string{aliOIDC(quoted("oidc_token_file", rotatingToken(t)))}
			}, emulator.APISTS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			events, logs := 1, 1
			if tc.api == emulator.APIDesktopEvents {
				events = tc.items
			} else {
				logs = tc.items
			}
			srv := acctest.Emulator(t, emulator.Options{
				Data:               dataset(events, logs),
				CredentialLifetime: lifetime,
				Faults:             emulator.Faults{APIs: []string{tc.api}, Latency: 150 * time.Millisecond},
			})
			hw, ali := tc.setup(t)
			var seen []string
			reads := 0
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{{
					Config: providerConfig(srv, hw, ali, "max_parallel_requests = 2") + tc.read(),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(tc.address, tfjsonpath.New(tc.list), knownvalue.ListSizeExact(tc.items)),
						acctest.CheckFunc(func() error {
							var err error
							seen, reads, err = checkRefreshes(srv, tc.api, tc.issuer, tc.credAPI)
							return err
						}),
					},
				}},
			})
			t.Logf("at the state check, %d keys had signed the %s requests of %d read(s)", len(seen), tc.api, reads)
		})
	}
}

func checkRefreshes(srv *emulator.Server, api, issuer, credAPI string) ([]string, int, error) {
	var keys []string
	reads := 0
	recs := srv.Recorded(api)
	for i, r := range recs {
		// Every read asks for the first page once: offset 0, or no NextToken.
		if q, err := url.ParseQuery(r.RawQuery); err == nil && (q.Get("offset") == "0" || (q.Has("ExecutionId") && !q.Has("NextToken"))) {
			reads++
		}
		if r.Status != 200 {
			return nil, 0, fmt.Errorf("request %d answered %d: a request went out with expired credentials", i, r.Status)
		}
		ak := emulator.SignedBy(r)
		if got, _ := srv.IssuedBy(ak); got != issuer {
			return nil, 0, fmt.Errorf("request %d signed by a key of %q, want %s", i, got, issuer)
		}
		if !slices.Contains(keys, ak) {
			keys = append(keys, ak)
		}
	}
	// Each read starts a provider with credentials of its own; a key
	// beyond one per read is a refresh during a read.
	if reads == 0 || len(keys) <= reads {
		return nil, 0, fmt.Errorf("%d keys signed %d requests of %d reads: the credentials were not refreshed during a read", len(keys), len(recs), reads)
	}
	// Each refresh asked once, however many requests were in flight.
	if n := srv.Requests(credAPI); n > len(keys)+2 {
		return nil, 0, fmt.Errorf("%d requests to %s for %d keys used: refreshes were not shared", n, credAPI, len(keys))
	}
	return keys, reads, nil
}

// rotatingToken is a token file that a CI system rewrites with a new
// token every 200 ms until the test ends; the provider must read it again
// at each refresh (checked by TestRefresh_tokenFileReread).
func rotatingToken(t *testing.T) string {
	t.Helper()
	p := writeTemp(t, "token", idToken(t))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			tok, err := emulator.IDToken(fmt.Sprintf("ci-pipeline-%d", n), time.Hour)
			if err != nil {
				panic(err)
			}
			tmp := p + ".tmp"
			if os.WriteFile(tmp, []byte(tok), 0o600) == nil {
				_ = os.Rename(tmp, p)
			}
		}
	})
	t.Cleanup(func() { close(stop); wg.Wait() })
	return p
}

// TestRefresh_tokenFileReread: each refresh reads the token file again,
// so the tokens a CI system rotates are the ones exchanged.
func TestRefresh_tokenFileReread(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{
		Data:               dataset(1, 600),
		CredentialLifetime: lifetime,
		Faults:             emulator.Faults{APIs: []string{emulator.APIExecutionLogs}, Latency: 150 * time.Millisecond},
	})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env{
			"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": emulator.DemoAliOIDCProviderARN, "ALIBABA_CLOUD_ROLE_ARN": emulator.DemoAliRoleARN,
			"ALIBABA_CLOUD_OIDC_TOKEN_FILE": rotatingToken(t),
		}),
		Steps: []resource.TestStep{{
			Config: providerConfig(srv, nil, nil) + aliRead(),
			ConfigStateChecks: []statecheck.StateCheck{acctest.CheckFunc(func() error {
				tokens := map[string]bool{}
				for _, r := range srv.Recorded(emulator.APISTS) {
					form, err := url.ParseQuery(string(r.Body))
					if err != nil {
						return err
					}
					tokens[form.Get("OIDCToken")] = true
				}
				if len(tokens) < 2 {
					return fmt.Errorf("%d STS requests sent %d distinct tokens: the token file was not read again", len(srv.Recorded(emulator.APISTS)), len(tokens))
				}
				return nil
			})},
		}},
	})
}
