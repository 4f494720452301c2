package credentialstest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// expiringSTS answers every STS action and every GET with credentials
// whose Expiration is expiration, in the shape of STS and of a
// credentials_uri.
func expiringSTS(t *testing.T, expiration string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		creds := fmt.Sprintf(`"AccessKeyId":"STS.EXPIRING","AccessKeySecret":"expiring-secret-0001","SecurityToken":"expiring-token-00000001","Expiration":%q`, expiration)
		if r.Method == http.MethodGet {
			fmt.Fprintf(w, `{"Code":"Success",%s}`, creds)
			return
		}
		fmt.Fprintf(w, `{"RequestId":"r","Credentials":{%s}}`, creds)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestSources_expiryNamesTheSource: temporary credentials that come
// back already expired, with the zero time as expiry, or with none, fail
// the read with an error naming the source and its setting, never a
// layer above it (the OIDC exchange's expiry is not assume_role's), and
// they are never taken as credentials that do not expire.
func TestSources_expiryNamesTheSource(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{Data: dataset(10, 10)})
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	for _, tc := range []struct {
		name, expiration string
		ali              func(uri string) []string
		want             string
	}{
		{"credentials_uri, zero expiry", "0001-01-01T00:00:00Z",
			func(uri string) []string { return []string{quoted("credentials_uri", uri)} },
			`(?s)credentials_uri\s+\(ALICLOUD_CREDENTIALS_URI,\s+ALIBABA_CLOUD_CREDENTIALS_URI\)\s+in\s+the\s+provider's\s+alicloud\s+block\):.*zero\s+time`},
		{"credentials_uri, no expiry", "",
			func(uri string) []string { return []string{quoted("credentials_uri", uri)} },
			`(?s)Alibaba\s+Cloud\s+credentials\s+from\s+credentials_uri.*has\s+no\s+Expiration`},
		{"OIDC credentials already expired, under assume_role", past,
			func(uri string) []string {
				return []string{aliOIDC(`oidc_token = "any-token-the-fake-takes"`), aliAssume(emulator.DemoAliRoleARN),
					"endpoints = { oos = " + acctest.HCLString(srv.URL()) + ", sts = " + acctest.HCLString(uri) + " }"}
			},
			`(?s)reading\s+page\s+1:\s+Alibaba\s+Cloud\s+credentials\s+from\s+assume_role_with_oidc\s+\(.*ALIBABA_CLOUD_OIDC_PROVIDER_ARN.*already\s+expired`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			uri := expiringSTS(t, tc.expiration)
			ali := tc.ali(uri)
			cfg := providerConfig(srv, nil, ali)
			if len(ali) == 3 {
				// The third line replaces the endpoints: STS is the fake.
				cfg = fmt.Sprintf(`
provider "opsaudit" {
  alicloud {
    region = %q
    %s
    %s
    %s
  }
}
`, emulator.DemoRegionAli, ali[0], ali[1], ali[2])
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps:                    []resource.TestStep{{Config: cfg + aliRead(), ExpectError: regexp.MustCompile(tc.want)}},
			})
		})
	}
}
