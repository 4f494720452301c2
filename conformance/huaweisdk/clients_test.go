package huaweisdk

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/global"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	secmaster "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/secmaster/v1"
	workspace "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

func ptr[T any](v T) *T { return &v }

// project is the emulator's project of the demo region.
var project = emulator.ProjectID(emulator.DemoRegionHuawei)

// httpConfig gives the SDK the test transport (loopback only, every
// exchange recorded) and no retries, so that one call is one exchange.
func httpConfig() *config.HttpConfig {
	return config.DefaultHttpConfig().WithHttpRoundTripper(env.Transport()).WithRetries(0)
}

type keys struct{ ak, sk, token string }

var demoKeys = keys{emulator.DemoHuaweiAccessKey, emulator.DemoHuaweiSecretKey, ""}

func basicCreds(t *testing.T, k keys) *basic.Credentials {
	t.Helper()
	b := basic.NewCredentialsBuilder().WithAk(k.ak).WithSk(k.sk).WithProjectId(project)
	if k.token != "" {
		b = b.WithSecurityToken(k.token)
	}
	c, err := b.SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func workspaceClient(t *testing.T, k keys) *workspace.WorkspaceClient {
	t.Helper()
	return workspaceClientWith(t, basicCreds(t, k))
}

func workspaceClientWith(t *testing.T, creds *basic.Credentials) *workspace.WorkspaceClient {
	t.Helper()
	hc, err := workspace.WorkspaceClientBuilder().WithEndpoints([]string{env.URL}).
		WithCredential(creds).WithHttpConfig(httpConfig()).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return workspace.NewWorkspaceClient(hc)
}

func secmasterClient(t *testing.T, k keys) *secmaster.SecMasterClient {
	t.Helper()
	hc, err := secmaster.SecMasterClientBuilder().WithEndpoints([]string{env.URL}).
		WithCredential(basicCreds(t, k)).WithHttpConfig(httpConfig()).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return secmaster.NewSecMasterClient(hc)
}

func iamClient(t *testing.T) *iam.IamClient {
	t.Helper()
	c, err := global.NewCredentialsBuilder().WithAk(demoKeys.ak).WithSk(demoKeys.sk).
		WithDomainId(emulator.DemoHuaweiDomainID).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := iam.IamClientBuilder().WithEndpoints([]string{env.URL}).WithCredential(c).WithHttpConfig(httpConfig()).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return iam.NewIamClient(hc)
}

// regionClient builds a workspace client the way the SDK's examples do,
// by region, with no project id: the SDK looks the project up through
// IAM (GET /v3/projects?name={region}) before the first call.
func regionClient(t *testing.T, creds *basic.Credentials) (*workspace.WorkspaceClient, error) {
	t.Helper()
	hc, err := workspace.WorkspaceClientBuilder().
		WithRegion(region.NewRegion(emulator.DemoRegionHuawei, env.URL)).
		WithCredential(creds).WithHttpConfig(httpConfig()).SafeBuild()
	if err != nil {
		return nil, err
	}
	return workspace.NewWorkspaceClient(hc), nil
}

// lastAnswer is the body of the last exchange recorded (the SDK's call
// just made), after checking that the SDK sent it signed the way the
// emulator's documentation says the SDK signs.
func lastAnswer(t *testing.T) []byte {
	t.Helper()
	ex := env.Exchanges()
	if len(ex) == 0 {
		t.Fatal("no exchange recorded: the SDK did not use the test transport")
	}
	last := ex[len(ex)-1]
	if last.Header.Get("X-Request-Id") == "" {
		t.Errorf("%s %s: answer without X-Request-Id", last.Method, last.URL)
	}
	return last.Body
}

// checkSignedWithoutHost: the SDK's own client signs no host, which the
// emulator must take (a rule that required it refused every SDK call).
func checkSignedWithoutHost(t *testing.T) {
	t.Helper()
	var seen bool
	for _, r := range env.Server.Recorded(emulator.APIScriptRecords) {
		auth := r.Header.Get("Authorization")
		if auth == "" {
			continue
		}
		seen = true
		_, rest, _ := strings.Cut(auth, "SignedHeaders=")
		signed, _, _ := strings.Cut(rest, ",")
		if strings.Contains(";"+signed+";", ";host;") {
			t.Errorf("the SDK signed host (%s): this test no longer shows that the emulator takes a signature without it", signed)
		}
	}
	if !seen {
		t.Error("no signed script record request recorded")
	}
}

// apiError returns the SDK's error for an answer the service refused.
func apiError(t *testing.T, err error) *sdkerr.ServiceResponseError {
	t.Helper()
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not the SDK's ServiceResponseError", err, err)
	}
	return se
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// queryOf returns the query the emulator recorded for the last request
// of api.
func queryOf(t *testing.T, api string) url.Values {
	t.Helper()
	q, err := url.ParseQuery(env.Last(t, api).RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	return q
}
