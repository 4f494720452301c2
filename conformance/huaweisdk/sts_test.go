package huaweisdk

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	sts "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sts/v1"
	stsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sts/v1/model"
	wsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2/model"

	"github.com/opsaudit/terraform-provider-opsaudit/conformance/internal/emutest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// stsClient is the SDK's STS v1 client (IAM v5 agencies) at the
// emulator, signing with k (the client takes basic credentials).
func stsClient(t *testing.T, k keys) *sts.StsClient {
	t.Helper()
	hc, err := sts.StsClientBuilder().WithEndpoints([]string{env.URL}).WithCredential(basicCreds(t, k)).WithHttpConfig(httpConfig()).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return sts.NewStsClient(hc)
}

func assumeAgency(client *sts.StsClient, urn string, duration int32) (*stsmodel.AssumeAgencyResponse, error) {
	return client.AssumeAgency(&stsmodel.AssumeAgencyRequest{Body: &stsmodel.AssumeAgencyReqBody{
		AgencyUrn: urn, AgencySessionName: "conformance", DurationSeconds: &duration,
	}})
}

// The SDK's sts v1 AssumeAgency (POST /v5/agencies/assume) against the
// emulator: accepted from permanent keys, decoded with no field lost,
// the credentials sign the data APIs; from those temporary credentials
// again (a chain: X-Security-Token, at most 3600 seconds); a wrong agency
// URN and a chained duration over an hour are refused in the SDK's error
// shape.
func TestAssumeAgencyBySDK(t *testing.T) {
	resp, err := assumeAgency(stsClient(t, demoKeys), emulator.DemoHuaweiAgencyURN, 3600)
	if err != nil {
		t.Fatalf("AssumeAgency: %v", err)
	}
	raw := lastAnswer(t)
	c := resp.Credentials
	if c == nil || c.AccessKeyId == "" || c.SecretAccessKey == "" || c.SecurityToken == "" || c.Expiration == nil {
		t.Fatalf("credentials %+v", c)
	}
	var answer map[string]json.RawMessage
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatal(err)
	}
	wrapped := []byte(`{"items":[` + string(answer["credentials"]) + `]}`)
	if err := emutest.NoFieldLost(wrapped, "items", []stsmodel.CredentialsDto{*c}, "expiration"); err != nil {
		t.Error(err)
	}
	if by, _ := env.Server.IssuedBy(c.AccessKeyId); by != emulator.IssuerHuaweiAgencyV5 {
		t.Errorf("issued by %q", by)
	}
	temp := keys{c.AccessKeyId, c.SecretAccessKey, c.SecurityToken}
	signer := oneRecord(t, func() (*wsmodel.ListScriptRecordsResponse, error) {
		return workspaceClient(t, temp).ListScriptRecords(oneRecordRequest)
	})
	if signer != c.AccessKeyId {
		t.Errorf("the data call was signed by %q", signer)
	}

	chained, err := assumeAgency(stsClient(t, temp), emulator.DemoHuaweiAgencyURN, 900)
	if err != nil {
		t.Fatalf("AssumeAgency from temporary credentials: %v", err)
	}
	if to := env.Server.IssuedTo(chained.Credentials.AccessKeyId); to != c.AccessKeyId {
		t.Errorf("the chained credentials were issued to %q", to)
	}
	if env.Last(t, emulator.APIAssumeAgency).Header.Get("X-Security-Token") != c.SecurityToken {
		t.Error("the chained AssumeAgency carried no X-Security-Token")
	}

	for name, tc := range map[string]struct {
		k        keys
		urn      string
		duration int32
		status   int
	}{
		"wrong agency":         {demoKeys, "iam::" + emulator.DemoHuaweiDomainID + ":agency:nobody", 3600, http.StatusNotFound},
		"chained over an hour": {temp, emulator.DemoHuaweiAgencyURN, 7200, http.StatusBadRequest},
		"under the minimum":    {demoKeys, emulator.DemoHuaweiAgencyURN, 600, http.StatusBadRequest},
	} {
		_, err := assumeAgency(stsClient(t, tc.k), tc.urn, tc.duration)
		var se *sdkerr.ServiceResponseError
		if !errors.As(err, &se) || se.StatusCode != tc.status || se.ErrorCode == "" || se.RequestId == "" {
			t.Errorf("%s: %v, want HTTP %d with an error code and request id", name, err, tc.status)
		}
	}
}

// TestProviderAgencyRequestIsTheSDKs: the provider's IAM v5 request
// (agencyv5.go) has the SDK's shape: the same method, path and content
// type, and a body of the SDK model's members, with the same values for
// the same agency.
func TestProviderAgencyRequestIsTheSDKs(t *testing.T) {
	if _, err := assumeAgency(stsClient(t, demoKeys), emulator.DemoHuaweiAgencyURN, 3600); err != nil {
		t.Fatal(err)
	}
	sdk := env.Last(t, emulator.APIAssumeAgency)
	ours := providerAgencyRequest(t)
	if sdk.Method != ours.Method || sdk.Path != ours.Path {
		t.Errorf("the SDK sends %s %s, the provider %s %s", sdk.Method, sdk.Path, ours.Method, ours.Path)
	}
	if a, b := mediaType(sdk.Header.Get("Content-Type")), mediaType(ours.Header.Get("Content-Type")); a != b {
		t.Errorf("content type: the SDK's %q, the provider's %q", a, b)
	}
	var sb, ob map[string]any
	if json.Unmarshal(sdk.Body, &sb) != nil || json.Unmarshal(ours.Body, &ob) != nil {
		t.Fatalf("bodies %s / %s", sdk.Body, ours.Body)
	}
	model := jsonNames(t, stsmodel.AssumeAgencyReqBody{})
	for k := range ob {
		if !slices.Contains(model, k) {
			t.Errorf("the provider sends %q, which the SDK's model does not have", k)
		}
	}
	for _, k := range []string{"agency_urn", "duration_seconds"} {
		if sb[k] != ob[k] {
			t.Errorf("%s: the SDK sends %v, the provider %v", k, sb[k], ob[k])
		}
	}
}
