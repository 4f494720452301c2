package huaweisdk

import (
	"encoding/json"
	"mime"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	wsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2/model"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// providerClient is the provider's Huawei client at the emulator, with
// the block's settings written as cfg resolved against env.
func providerClient(t *testing.T, cfg credchain.Config, environ map[string]string) *huaweicloud.Client {
	t.Helper()
	r, err := huaweicloud.Settings.Resolve(cfg, func(k string) string { return environ[k] })
	if err != nil {
		t.Fatal(err)
	}
	eps := map[string]string{}
	for _, k := range huaweicloud.EndpointKeys {
		eps[k] = env.URL
	}
	return huaweicloud.NewClient(huaweicloud.Config{Region: emulator.DemoRegionHuawei, ProjectID: project, Endpoints: eps, Credentials: r},
		transport.New(transport.Options{LoopbackOnly: true, MaxRetries: 0, RequestTimeout: 10 * time.Second}))
}

// providerRead makes one call through c, obtaining its credentials: an
// IAM project listing, so that the data APIs' records hold the SDK's
// requests alone (the provider's signer signs host, which the SDK's
// checks here look for).
func providerRead(t *testing.T, c *huaweicloud.Client) {
	t.Helper()
	if _, err := c.Do(t.Context(), huaweicloud.Call{Operation: "KeystoneListProjects", Service: "iam", Region: emulator.DemoRegionHuawei,
		Path: "/v3/projects"}); err != nil {
		t.Fatal(err)
	}
}

// providerAgencyRequest is the provider's IAM v5 AssumeAgency, from the
// demo keys, as the emulator recorded it.
func providerAgencyRequest(t *testing.T) emulator.RecordedRequest {
	t.Helper()
	providerRead(t, providerClient(t, credchain.Config{}, map[string]string{
		"HW_ACCESS_KEY": emulator.DemoHuaweiAccessKey, "HW_SECRET_KEY": emulator.DemoHuaweiSecretKey,
		"HW_ASSUME_ROLE_AGENCY_NAME": emulator.DemoHuaweiAgency, "HW_ASSUME_ROLE_DOMAIN_ID": emulator.DemoHuaweiDomainID}))
	return env.Last(t, emulator.APIAssumeAgency)
}

func mediaType(ct string) string {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return ct
	}
	if cs := params["charset"]; cs != "" {
		return mt + ";charset=" + strings.ToUpper(cs)
	}
	return mt
}

// jsonNames are the JSON names of a model struct's fields.
func jsonNames(t *testing.T, model any) []string {
	t.Helper()
	var out []string
	typ := reflect.TypeOf(model)
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

// shape is the structure of a JSON document: every path of an object
// member, with its value's kind ("auth.identity.token.id string").
func shape(t *testing.T, body []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("not JSON: %s", body)
	}
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(strings.TrimPrefix(prefix+"."+k, "."), e)
			}
		case []any:
			out = append(out, prefix+" list")
		default:
			out = append(out, prefix+" "+reflect.TypeOf(x).String())
		}
	}
	walk("", v)
	slices.Sort(out)
	return out
}

// TestProviderIDTokenRequestsAreTheSDKs: the provider's OIDC exchange
// sends what the SDK's federation sends: the id-token request with the
// same headers (X-Idp-Id, the content type) and body shape, then
// securitytokens with the IAM token in the body (token.id), unsigned and
// without X-Auth-Token, in the same shape.
func TestProviderIDTokenRequestsAreTheSDKs(t *testing.T) {
	file, creds := federation(t, "shape-id-token")
	oneRecord(t, func() (*wsmodel.ListScriptRecordsResponse, error) {
		return workspaceClientWith(t, creds).ListScriptRecords(oneRecordRequest)
	})
	sdkIDToken, sdkTokens := env.Last(t, emulator.APIIDTokenTokens), env.Last(t, emulator.APISecurityTokens)

	providerRead(t, providerClient(t, credchain.Config{}, map[string]string{
		"HW_ASSUME_ROLE_IDP_ID": emulator.DemoHuaweiIdpID, "HW_ASSUME_ROLE_ID_TOKEN_FILE": file}))
	ourIDToken, ourTokens := env.Last(t, emulator.APIIDTokenTokens), env.Last(t, emulator.APISecurityTokens)

	for _, pair := range []struct {
		what      string
		sdk, ours emulator.RecordedRequest
		headers   []string
	}{
		{"the id-token request", sdkIDToken, ourIDToken, []string{"X-Idp-Id", "Authorization", "X-Auth-Token"}},
		{"securitytokens", sdkTokens, ourTokens, []string{"Authorization", "X-Auth-Token", "X-Security-Token"}},
	} {
		if pair.sdk.Method != pair.ours.Method || pair.sdk.Path != pair.ours.Path {
			t.Errorf("%s: the SDK sends %s %s, the provider %s %s", pair.what, pair.sdk.Method, pair.sdk.Path, pair.ours.Method, pair.ours.Path)
		}
		// The SDK sends securitytokens without a content type; the
		// provider sends the huaweicloud provider's (its
		// huaweicloud/config/auth.go), JSON like the id-token request's.
		if a, b := mediaType(pair.sdk.Header.Get("Content-Type")), mediaType(pair.ours.Header.Get("Content-Type")); a != b && (a != "" || b != "application/json;charset=UTF-8") {
			t.Errorf("%s: content type, the SDK's %q, the provider's %q", pair.what, a, b)
		}
		for _, h := range pair.headers {
			if a, b := pair.sdk.Header.Get(h), pair.ours.Header.Get(h); a != b {
				t.Errorf("%s: %s, the SDK's %q, the provider's %q", pair.what, h, a, b)
			}
		}
		if a, b := shape(t, pair.sdk.Body), shape(t, pair.ours.Body); !slices.Equal(a, b) {
			t.Errorf("%s: body shape, the SDK's %v, the provider's %v", pair.what, a, b)
		}
	}
}

// federation writes an id token of the emulator's IdP to the file name in
// the test's folder and returns the file and the SDK's credentials that
// trade it (IdP, id token file, no keys).
func federation(t *testing.T, name string) (string, *basic.Credentials) {
	t.Helper()
	idt, err := emulator.IDToken("pipeline", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(env.Dir, name)
	if err := os.WriteFile(file, []byte(idt+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	creds, err := basic.NewCredentialsBuilder().WithIdpId(emulator.DemoHuaweiIdpID).WithIdTokenFile(file).
		WithProjectId(project).WithIamEndpointOverride(env.URL).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return file, creds
}
