package alisdk

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// policy is a session policy with hostile text in a condition value.
var policy = `{"Version":"1","Statement":[{"Effect":"Allow","Action":"oos:List*","Resource":"*",` +
	`"Condition":{"StringEquals":{"acs:SourceVpc":` + jsonText(emulator.HostileText) + `}}}]}`

// obtained gets credentials from cred, checks which service of the
// emulator issued them, and then lists execution logs with cred through
// darabonba (signed both ways), as a user of both libraries does.
func obtained(t *testing.T, cred credentials.Credential, issuer string) *credentials.CredentialModel {
	t.Helper()
	m, err := cred.GetCredential()
	if err != nil {
		t.Fatalf("GetCredential: %v", err)
	}
	if m.AccessKeyId == nil || m.AccessKeySecret == nil || *m.AccessKeyId == "" || *m.AccessKeySecret == "" {
		t.Fatalf("credentials %+v", m)
	}
	if issuer != "" {
		if by, _ := env.Server.IssuedBy(*m.AccessKeyId); by != issuer {
			t.Fatalf("issued by %q, want %q", by, issuer)
		}
		if m.SecurityToken == nil || *m.SecurityToken == "" {
			t.Fatal("temporary credentials without a security token")
		}
	}
	for _, s := range signings {
		_, err := akClient(t, s, cred).CallApi(rpc("ListExecutionLogs", "2019-06-01", "AK"),
			&openapiutil.OpenApiRequest{Query: openapiutil.Query(map[string]interface{}{"ExecutionId": emulator.ExecutionID(1), "MaxResults": 5})}, &dara.RuntimeOptions{})
		if err != nil {
			t.Fatalf("ListExecutionLogs with the credentials (%s): %v", s, err)
		}
		if by := emulator.SignedBy(env.Last(t, emulator.APIExecutionLogs)); by != *m.AccessKeyId {
			t.Errorf("%s: signed by %q", s, by)
		}
	}
	return m
}

// ram_role_arn: AssumeRole sent as credentials-go sends it (HTTPS,
// SignatureVersion 1.0, the parameters in a form body), from permanent
// keys and then from the temporary keys that gave.
func TestRAMRoleARN(t *testing.T) {
	cfg := new(credentials.Config).SetType("ram_role_arn").
		SetAccessKeyId(emulator.DemoAliAccessKey).SetAccessKeySecret(emulator.DemoAliSecretKey).
		SetRoleArn(emulator.DemoAliRoleARN).SetRoleSessionName("conformance").SetRoleSessionExpiration(1800).
		SetPolicy(policy).SetExternalId("ext-" + url.QueryEscape(emulator.HostileText)).SetSTSEndpoint(env.TLSHost)
	cred, err := credentials.NewCredential(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := obtained(t, cred, emulator.IssuerAliAssume)
	if to := env.Server.IssuedTo(*m.AccessKeyId); to != emulator.DemoAliAccessKey {
		t.Errorf("issued to %q", to)
	}
	r := stsRequestOf(t, *m.AccessKeyId)
	if r.Header.Get("Host") != env.TLSHost {
		t.Errorf("sent to %q, not the configured endpoint %s", r.Header.Get("Host"), env.TLSHost)
	}
	if p := rpcParams(t, r); p.Get("SignatureVersion") != "1.0" || p.Get("Policy") != policy || !strings.Contains(string(r.Body), "RoleArn=") {
		t.Errorf("not credentials-go's shape: query %s body %s", r.RawQuery, r.Body)
	}
	checkRPCSignatures(t, emulator.APISTS, emulator.DemoAliSecretKey, 1)

	t.Run("from temporary keys", func(t *testing.T) {
		chained, err := credentials.NewCredential(new(credentials.Config).SetType("ram_role_arn").
			SetAccessKeyId(*m.AccessKeyId).SetAccessKeySecret(*m.AccessKeySecret).SetSecurityToken(*m.SecurityToken).
			SetRoleArn(emulator.DemoAliRoleARN).SetRoleSessionName("chained").SetSTSEndpoint(env.TLSHost))
		if err != nil {
			t.Fatal(err)
		}
		m2 := obtained(t, chained, emulator.IssuerAliAssume)
		if to := env.Server.IssuedTo(*m2.AccessKeyId); to != *m.AccessKeyId {
			t.Errorf("issued to %q, want the first temporary key", to)
		}
		if p := rpcParams(t, stsRequestOf(t, *m2.AccessKeyId)); p.Get("SecurityToken") != *m.SecurityToken {
			t.Error("the chained AssumeRole did not carry the SecurityToken parameter")
		}
	})
}

// stsRequestOf finds the STS request whose answer issued ak.
func stsRequestOf(t *testing.T, ak string) emulator.RecordedRequest {
	t.Helper()
	// Issued keys are unique and the answer is not recorded: take the
	// last successful STS request, made just before.
	recs := env.Server.Recorded(emulator.APISTS)
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Status == 200 {
			return recs[i]
		}
	}
	t.Fatalf("no successful STS request for %s", ak)
	return emulator.RecordedRequest{}
}

// oidc_role_arn: AssumeRoleWithOIDC unsigned, with Action, Version,
// Format and Timestamp in the query and the rest (the token included)
// in a form body.
func TestOIDCRoleARN(t *testing.T) {
	idt, err := emulator.IDToken("pipeline", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(env.Dir, "oidc-token")
	if err := os.WriteFile(file, []byte(idt), 0o600); err != nil {
		t.Fatal(err)
	}
	cred, err := credentials.NewCredential(new(credentials.Config).SetType("oidc_role_arn").
		SetRoleArn(emulator.DemoAliRoleARN).SetOIDCProviderArn(emulator.DemoAliOIDCProviderARN).
		SetOIDCTokenFilePath(file).SetRoleSessionName("pipeline").SetPolicy(policy).SetSTSEndpoint(env.TLSHost))
	if err != nil {
		t.Fatal(err)
	}
	m := obtained(t, cred, emulator.IssuerAliOIDC)
	r := stsRequestOf(t, *m.AccessKeyId)
	q, _ := url.ParseQuery(r.RawQuery)
	for _, k := range []string{"Action", "Version", "Format", "Timestamp"} {
		if q.Get(k) == "" {
			t.Errorf("query %s without %s: not credentials-go's shape", r.RawQuery, k)
		}
	}
	if strings.Contains(r.RawQuery, "OIDCToken") || !strings.Contains(string(r.Body), "OIDCToken=") {
		t.Errorf("the token is not in the form body alone: query %s", r.RawQuery)
	}
	if r.Header.Get("Authorization") != "" || q.Has("Signature") {
		t.Error("AssumeRoleWithOIDC was signed")
	}
}

// ecs_ram_role: IMDSv2 (a token, then the role's credentials), the
// metadata address reached through the emulator as the provider's HTTP
// proxy (the provider's host is fixed at 100.100.100.200, which is never
// contacted); without a role name, the role is discovered first.
func TestECSRAMRole(t *testing.T) {
	for name, role := range map[string]string{"role name": emulator.DemoAliECSRoleName, "discovered": ""} {
		t.Run(name, func(t *testing.T) {
			before := len(env.Server.Recorded(emulator.APIIMDS))
			p, err := providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(role).WithDisableIMDSv1(true).
				WithHttpOptions(&providers.HttpOptions{Proxy: env.URL}).Build()
			if err != nil {
				t.Fatal(err)
			}
			obtained(t, credentials.FromCredentialsProvider("ecs_ram_role", p), emulator.IssuerAliIMDS)
			var paths []string
			for _, r := range env.Server.Recorded(emulator.APIIMDS)[before:] {
				paths = append(paths, r.Method+" "+r.Path)
				if r.Header.Get("Host") != "100.100.100.200" {
					t.Errorf("Host %q: not the metadata address through a proxy", r.Header.Get("Host"))
				}
			}
			want := []string{"PUT /latest/api/token", "GET /latest/meta-data/ram/security-credentials/" + emulator.DemoAliECSRoleName}
			if role == "" {
				want = []string{"PUT /latest/api/token", "GET /latest/meta-data/ram/security-credentials/",
					"PUT /latest/api/token", "GET /latest/meta-data/ram/security-credentials/" + emulator.DemoAliECSRoleName}
			}
			if strings.Join(paths, ", ") != strings.Join(want, ", ") {
				t.Errorf("metadata requests:\n got %v\nwant %v", paths, want)
			}
		})
	}
}

// credentials_uri: a plain GET answered with the credentials' JSON.
func TestCredentialsURI(t *testing.T) {
	cred, err := credentials.NewCredential(new(credentials.Config).SetType("credentials_uri").SetURLCredential(env.URL + emulator.CredentialsURIPath))
	if err != nil {
		t.Fatal(err)
	}
	obtained(t, cred, emulator.IssuerAliURI)
}

// The aliyun CLI profile file, read by credentials-go: modes AK and
// StsToken (the latter with keys the emulator issued).
func TestCLIProfile(t *testing.T) {
	temp := assumeRole(t, rpcV1)
	file := filepath.Join(env.Dir, "aliyun-config.json")
	conf := map[string]any{"current": "ak", "profiles": []map[string]any{
		{"name": "ak", "mode": "AK", "access_key_id": emulator.DemoAliAccessKey, "access_key_secret": emulator.DemoAliSecretKey, "region_id": emulator.DemoRegionAli},
		{"name": "sts", "mode": "StsToken", "access_key_id": temp.ak, "access_key_secret": temp.secret, "sts_token": temp.token, "region_id": emulator.DemoRegionAli},
	}}
	b, _ := json.Marshal(conf)
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ profile, issuer string }{{"ak", ""}, {"sts", emulator.IssuerAliAssume}} {
		t.Run(c.profile, func(t *testing.T) {
			p, err := providers.NewCLIProfileCredentialsProviderBuilder().WithProfileFile(file).WithProfileName(c.profile).Build()
			if err != nil {
				t.Fatal(err)
			}
			obtained(t, credentials.FromCredentialsProvider("cli_profile", p), c.issuer)
		})
	}
}
