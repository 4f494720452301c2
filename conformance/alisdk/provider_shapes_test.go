package alisdk

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// providerSTSRequest reads execution logs with the provider's Alibaba
// client, its credentials from the environment environ, and returns the
// STS request that obtained them, as the emulator recorded it.
func providerSTSRequest(t *testing.T, cfg credchain.Config, environ map[string]string) emulator.RecordedRequest {
	t.Helper()
	r, err := alicloud.Settings.Resolve(cfg, func(k string) string { return environ[k] })
	if err != nil {
		t.Fatal(err)
	}
	c := alicloud.NewClient(alicloud.Config{Region: emulator.DemoRegionAli, Credentials: r,
		Endpoints: map[string]string{"oos": env.URL, "sts": env.URL, "imds": env.URL}},
		transport.New(transport.Options{LoopbackOnly: true, MaxRetries: 0, RequestTimeout: 10 * time.Second}))
	before := len(env.Server.Recorded(emulator.APISTS))
	if _, err := c.RPC(t.Context(), alicloud.RPCCall{Product: "oos", Action: "ListExecutionLogs", Version: "2019-06-01",
		Region: emulator.DemoRegionAli, Params: url.Values{"ExecutionId": {emulator.ExecutionID(1)}}}); err != nil {
		t.Fatal(err)
	}
	recs := env.Server.Recorded(emulator.APISTS)
	if len(recs) != before+1 || recs[before].Status != http.StatusOK {
		t.Fatalf("the provider sent %d STS requests", len(recs)-before)
	}
	return recs[before]
}

// stsShape is what identifies the shape of an STS request: its method,
// path and content type, the names of its query parameters and of its
// form body's, and whether it carries an Authorization header.
type stsShape struct {
	method, path, contentType string
	query, form               []string
	authorization             bool
}

func shapeOf(t *testing.T, r emulator.RecordedRequest) stsShape {
	t.Helper()
	names := func(raw string) []string {
		v, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for k := range v {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return stsShape{method: r.Method, path: r.Path, contentType: ct, query: names(r.RawQuery), form: names(string(r.Body)),
		authorization: r.Header.Get("Authorization") != ""}
}

func compareShapes(t *testing.T, what string, official, ours emulator.RecordedRequest) {
	t.Helper()
	o, p := shapeOf(t, official), shapeOf(t, ours)
	if o.method != p.method || o.path != p.path || o.contentType != p.contentType || o.authorization != p.authorization ||
		!slices.Equal(o.query, p.query) || !slices.Equal(o.form, p.form) {
		t.Errorf("%s: credentials-go sends\n  %+v\nthe provider\n  %+v", what, o, p)
	}
}

// TestProviderSTSRequestsAreCredentialsGos: the provider's AssumeRole and
// AssumeRoleWithOIDC have the shape credentials-go gives them: the same
// method, path and content type, the same query parameters (Action,
// Version, Format, Timestamp, and for AssumeRole the SignatureVersion 1.0
// parameters), the same form parameters (the role's, ExternalId and
// Policy among them; the OIDC token), and AssumeRoleWithOIDC unsigned.
func TestProviderSTSRequestsAreCredentialsGos(t *testing.T) {
	cred, err := credentials.NewCredential(new(credentials.Config).SetType("ram_role_arn").
		SetAccessKeyId(emulator.DemoAliAccessKey).SetAccessKeySecret(emulator.DemoAliSecretKey).
		SetRoleArn(emulator.DemoAliExternalRoleARN).SetRoleSessionName("conformance").SetRoleSessionExpiration(1800).
		SetPolicy(policy).SetExternalId(emulator.DemoAliExternalID).SetSTSEndpoint(env.TLSHost))
	if err != nil {
		t.Fatal(err)
	}
	m := obtained(t, cred, emulator.IssuerAliAssume)
	official := stsRequestOf(t, *m.AccessKeyId)
	ours := providerSTSRequest(t, credchain.Config{Nested: map[string][]credchain.Written{credchain.BlockAssumeRole: {{
		"role_arn": {Str: emulator.DemoAliExternalRoleARN, Set: true}, "external_id": {Str: emulator.DemoAliExternalID, Set: true},
		"policy": {Str: policy, Set: true}, "session_expiration": {Int: 1800, Set: true}}}}},
		map[string]string{"ALICLOUD_ACCESS_KEY": emulator.DemoAliAccessKey, "ALICLOUD_SECRET_KEY": emulator.DemoAliSecretKey})
	compareShapes(t, "AssumeRole", official, ours)
	if p := rpcParams(t, ours); alicloud.RPCSignature(ours.Method, p, emulator.DemoAliSecretKey) != p.Get("Signature") {
		t.Error("the provider's AssumeRole signature does not verify")
	}

	idt, err := emulator.IDToken("pipeline", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(env.Dir, "shape-oidc-token")
	if err := os.WriteFile(file, []byte(idt), 0o600); err != nil {
		t.Fatal(err)
	}
	cred, err = credentials.NewCredential(new(credentials.Config).SetType("oidc_role_arn").
		SetRoleArn(emulator.DemoAliRoleARN).SetOIDCProviderArn(emulator.DemoAliOIDCProviderARN).
		SetOIDCTokenFilePath(file).SetRoleSessionName("pipeline").SetPolicy(policy).SetSTSEndpoint(env.TLSHost))
	if err != nil {
		t.Fatal(err)
	}
	m = obtained(t, cred, emulator.IssuerAliOIDC)
	official = stsRequestOf(t, *m.AccessKeyId)
	ours = providerSTSRequest(t, credchain.Config{Nested: map[string][]credchain.Written{credchain.BlockOIDC: {{
		"policy": {Str: policy, Set: true}}}}},
		map[string]string{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": emulator.DemoAliOIDCProviderARN, "ALIBABA_CLOUD_ROLE_ARN": emulator.DemoAliRoleARN,
			"ALIBABA_CLOUD_OIDC_TOKEN_FILE": file})
	compareShapes(t, "AssumeRoleWithOIDC", official, ours)
}
