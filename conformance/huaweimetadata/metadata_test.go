// Package huaweimetadata drives the metadata credentials of
// huaweicloud-sdk-go-v3 (core/auth/provider, the ECS agency's temporary
// keys from the instance metadata service) against the emulator. The
// SDK's metadata address is fixed (http://169.254.169.254) and its client
// takes no transport, so the test process sends it through the emulator
// as its HTTP proxy: the address is never contacted (every dial of the
// process is to a loopback address, or refused).
package huaweimetadata

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/provider"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	workspace "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2"
	wsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2/model"

	"github.com/opsaudit/terraform-provider-opsaudit/conformance/internal/emutest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

var env *emutest.Env

func TestMain(m *testing.M) { emutest.Main(m, &env, proxyThroughEmulator) }

// proxyThroughEmulator runs before any request of the process reads the
// proxy settings (Go reads them once): plain HTTP to any host but the
// emulator goes to the emulator, and no dial leaves the loopback
// interface.
func proxyThroughEmulator(e *emutest.Env) error {
	for _, k := range []string{"HTTP_PROXY", "http_proxy"} {
		if err := os.Setenv(k, e.URL); err != nil {
			return err
		}
	}
	http.DefaultTransport.(*http.Transport).DialContext = emutest.DialLoopback
	return nil
}

// The SDK's metadata credentials: a session token
// (PUT /meta-data/latest/api/token with its TTL), then the agency's keys
// (GET /openstack/latest/securitykey with the token), decoded into the
// SDK's credentials, which sign a data call the emulator accepts.
func TestMetadataCredentialsBySDK(t *testing.T) {
	project := emulator.ProjectID(emulator.DemoRegionHuawei)
	cred, err := (&provider.MetadataBasicCredentialProvider{ProjectId: project}).GetCredentials()
	if err != nil {
		t.Fatalf("the SDK's metadata credentials: %v", err)
	}
	creds, ok := cred.(*basic.Credentials)
	if !ok || creds.AK == "" || creds.SK == "" || creds.SecurityToken == "" {
		t.Fatalf("credentials %T %+v", cred, cred)
	}
	if by, _ := env.Server.IssuedBy(creds.AK); by != emulator.IssuerHuaweiMetadata {
		t.Errorf("the key was issued by %q", by)
	}
	var paths []string
	for _, r := range env.Server.Recorded(emulator.APIHuaweiMetadata) {
		paths = append(paths, r.Method+" "+r.Path)
		if r.Header.Get("Host") != "169.254.169.254" {
			t.Errorf("Host %q: not the metadata address through the proxy", r.Header.Get("Host"))
		}
	}
	if want := "PUT /meta-data/latest/api/token, GET /openstack/latest/securitykey"; strings.Join(paths, ", ") != want {
		t.Errorf("metadata requests %v, want %s", paths, want)
	}
	hc, err := workspace.WorkspaceClientBuilder().WithEndpoints([]string{env.URL}).WithCredential(creds).
		WithHttpConfig(config.DefaultHttpConfig().WithHttpRoundTripper(env.Transport()).WithRetries(0)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	limit := int32(1)
	if _, err := workspace.NewWorkspaceClient(hc).ListScriptRecords(&wsmodel.ListScriptRecordsRequest{Limit: &limit}); err != nil {
		t.Fatalf("a call signed with the metadata credentials: %v", err)
	}
	if signer := emulator.SignedBy(env.Last(t, emulator.APIScriptRecords)); signer != creds.AK {
		t.Errorf("the call was signed by %q", signer)
	}
}
