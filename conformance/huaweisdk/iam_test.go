package huaweisdk

import (
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
	wsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2/model"

	"github.com/opsaudit/terraform-provider-opsaudit/conformance/internal/emutest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// oneRecord lists one script record with client and reports the access
// key the emulator saw sign it.
func oneRecord(t *testing.T, call func() (*wsmodel.ListScriptRecordsResponse, error)) string {
	t.Helper()
	resp, err := call()
	if err != nil {
		t.Fatalf("ListScriptRecords: %v", err)
	}
	if resp.Count == nil || *resp.Count == 0 {
		t.Fatalf("no records: %+v", resp)
	}
	return emulator.SignedBy(env.Last(t, emulator.APIScriptRecords))
}

var oneRecordRequest = &wsmodel.ListScriptRecordsRequest{Limit: ptr(int32(1))}

// The SDK's own project lookup: a client built by region, credentials
// without a project id. The SDK asks IAM for the region's project (name
// filter), decodes the answer, and the call then goes to that project.
func TestProjectLookupBySDK(t *testing.T) {
	creds, err := basic.NewCredentialsBuilder().WithAk(emulator.DemoHuaweiAccessKey).WithSk(emulator.DemoHuaweiSecretKey).
		WithIamEndpointOverride(env.URL).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	client, err := regionClient(t, creds)
	if err != nil {
		t.Fatalf("the SDK's project lookup failed: %v", err)
	}
	if creds.ProjectId != project {
		t.Fatalf("the SDK found project %q, the emulator's is %q", creds.ProjectId, project)
	}
	if q := queryOf(t, emulator.APIIAM); q.Get("name") != emulator.DemoRegionHuawei {
		t.Errorf("lookup query %v", q)
	}
	oneRecord(t, func() (*wsmodel.ListScriptRecordsResponse, error) { return client.ListScriptRecords(oneRecordRequest) })
	if p := env.Last(t, emulator.APIScriptRecords).Path; p != "/v2/"+project+"/script-execution-records" {
		t.Errorf("the call went to %s", p)
	}
}

// IAM v3 KeystoneListProjects through the IAM client: every region's
// project, by name, decoded with no field lost.
func TestKeystoneListProjects(t *testing.T) {
	client := iamClient(t)
	for _, region := range emulator.HuaweiRegions {
		resp, err := client.KeystoneListProjects(&iammodel.KeystoneListProjectsRequest{Name: ptr(region)})
		if err != nil {
			t.Fatalf("%s: %v", region, err)
		}
		raw := lastAnswer(t)
		if resp.Projects == nil || len(*resp.Projects) != 1 {
			t.Fatalf("%s: projects %v", region, resp.Projects)
		}
		p := (*resp.Projects)[0]
		if p.Id != emulator.ProjectID(region) || p.Name != region {
			t.Errorf("%s: project %+v", region, p)
		}
		if err := emutest.NoFieldLost(raw, "projects", *resp.Projects); err != nil {
			t.Error(err)
		}
	}
	resp, err := client.KeystoneListProjects(&iammodel.KeystoneListProjectsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Projects == nil || len(*resp.Projects) != len(emulator.HuaweiRegions) {
		t.Fatalf("every project: %v", resp.Projects)
	}
}

// Agency temporary keys (IAM v3 securitytokens, method assume_role) asked
// by the IAM client, by domain name and by domain id, then used by a
// Workspace client with their security token.
func TestAgencyTemporaryKeys(t *testing.T) {
	client := iamClient(t)
	for name, assume := range map[string]*iammodel.IdentityAssumerole{
		"domain name": {AgencyName: emulator.DemoHuaweiAgency, DomainName: ptr(emulator.DemoHuaweiDomain), DurationSeconds: ptr(int32(900))},
		"domain id":   {AgencyName: emulator.DemoHuaweiAgency, DomainId: ptr(emulator.DemoHuaweiDomainID), DurationSeconds: ptr(int32(3600))},
	} {
		t.Run(name, func(t *testing.T) {
			resp, err := client.CreateTemporaryAccessKeyByAgency(&iammodel.CreateTemporaryAccessKeyByAgencyRequest{
				Body: &iammodel.CreateTemporaryAccessKeyByAgencyRequestBody{Auth: &iammodel.AgencyAuth{Identity: &iammodel.AgencyAuthIdentity{
					Methods:    []iammodel.AgencyAuthIdentityMethods{iammodel.GetAgencyAuthIdentityMethodsEnum().ASSUME_ROLE},
					AssumeRole: assume,
				}}},
			})
			if err != nil {
				t.Fatalf("CreateTemporaryAccessKeyByAgency: %v", err)
			}
			c := resp.Credential
			if c == nil || c.Access == "" || c.Secret == "" || c.Securitytoken == "" {
				t.Fatalf("credential %+v", c)
			}
			if _, err := time.Parse(time.RFC3339Nano, c.ExpiresAt); err != nil {
				t.Errorf("expires_at %q: %v", c.ExpiresAt, err)
			}
			if by, _ := env.Server.IssuedBy(c.Access); by != emulator.IssuerHuaweiAgency {
				t.Errorf("issued by %q", by)
			}
			if to := env.Server.IssuedTo(c.Access); to != emulator.DemoHuaweiAccessKey {
				t.Errorf("issued to %q", to)
			}
			ws := workspaceClient(t, keys{c.Access, c.Secret, c.Securitytoken})
			if by := oneRecord(t, func() (*wsmodel.ListScriptRecordsResponse, error) { return ws.ListScriptRecords(oneRecordRequest) }); by != c.Access {
				t.Errorf("the call was signed by %q, not the temporary key", by)
			}
		})
	}
	t.Run("unknown agency", func(t *testing.T) {
		_, err := client.CreateTemporaryAccessKeyByAgency(&iammodel.CreateTemporaryAccessKeyByAgencyRequest{
			Body: &iammodel.CreateTemporaryAccessKeyByAgencyRequestBody{Auth: &iammodel.AgencyAuth{Identity: &iammodel.AgencyAuthIdentity{
				Methods:    []iammodel.AgencyAuthIdentityMethods{iammodel.GetAgencyAuthIdentityMethodsEnum().ASSUME_ROLE},
				AssumeRole: &iammodel.IdentityAssumerole{AgencyName: "no-such-agency", DomainName: ptr(emulator.DemoHuaweiDomain)},
			}}},
		})
		if se := apiError(t, err); se.StatusCode != 404 || se.ErrorCode != "IAM.0002" {
			t.Fatalf("status %d code %q", se.StatusCode, se.ErrorCode)
		}
	})
}

// The SDK's IdP/OIDC federation: credentials with an identity provider
// and an id token file and no keys. Before the first call the SDK trades
// the id token for an IAM token (POST /v3.0/OS-AUTH/id-token/tokens,
// which must answer X-Request-Id), then the IAM token for temporary keys
// (securitytokens, method token, the token in the body's token.id, no
// signature); the call is signed with those keys.
func TestOIDCFederation(t *testing.T) {
	_, creds := federation(t, "id-token")
	client := workspaceClientWith(t, creds)
	signer := oneRecord(t, func() (*wsmodel.ListScriptRecordsResponse, error) { return client.ListScriptRecords(oneRecordRequest) })
	if by, ok := env.Server.IssuedBy(signer); !ok || by != emulator.IssuerHuaweiOIDC {
		t.Fatalf("the call was signed by %q (issued by %q): not the federation's key", signer, by)
	}
	tokens := env.Server.Recorded(emulator.APISecurityTokens)
	if len(tokens) == 0 {
		t.Fatal("no securitytokens request")
	}
	last := tokens[len(tokens)-1]
	if last.Header.Get("X-Auth-Token") != "" || last.Header.Get("Authorization") != "" {
		t.Errorf("the SDK sent X-Auth-Token %q, Authorization %q: this test no longer shows the body form",
			last.Header.Get("X-Auth-Token"), last.Header.Get("Authorization"))
	}
	if len(env.Server.Recorded(emulator.APIIDTokenTokens)) == 0 {
		t.Error("no id-token request")
	}
}
