package faulttest_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// TestFaults_loopbackOnly: the tests' provider reaches loopback addresses
// only (transport.Options.LoopbackOnly, set by acctest.Factories), so a
// configuration that leaves an endpoint out cannot reach a cloud's own
// host or the instance-metadata address. To prove it without risking a
// packet to either if the guard broke, the endpoints here are the
// emulator's port on 0.0.0.0, which Linux connects to this machine: with
// the guard the reads fail naming the address, without it they would
// succeed. Both an API request and a credential request (an instance
// role's metadata call) are refused, and nothing reaches the emulator.
func TestFaults_loopbackOnly(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{Data: smallData()})
	u, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	anyAddr := "0.0.0.0:" + u.Port()
	other := "http://" + anyAddr
	workspaceElsewhere := strings.Replace(acctest.ProviderConfig(srv, "max_retries = 0"),
		fmt.Sprintf("workspace = %q", srv.URL()), fmt.Sprintf("workspace = %q", other), 1)
	if !strings.Contains(workspaceElsewhere, other) {
		t.Fatal("the workspace endpoint was not replaced")
	}
	instanceRole := fmt.Sprintf(`
provider "opsaudit" {
  alicloud {
    region        = %q
    ecs_role_name = %q
    endpoints     = { oos = %q, sts = %q, imds = %q }
  }
  max_retries = 0
}
`, emulator.DemoRegionAli, emulator.DemoAliECSRoleName, srv.URL(), srv.URL(), other)
	s, o := sourceFor(emulator.APIScriptRecords), sourceFor(emulator.APIExecutionLogs)
	for _, tc := range []struct {
		name, config, summary string
	}{
		{"workspace endpoint", workspaceElsewhere + s.block, s.summary},
		{"instance metadata", instanceRole + o.block, o.summary},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.Factories(0),
				Steps: []resource.TestStep{{Config: tc.config, ExpectError: acctest.DiagnosticPattern(tc.summary,
					"refusing to connect to "+anyAddr+": this process may reach loopback addresses only")}},
			})
		})
	}
	for _, api := range []string{s.api, o.api, emulator.APIIMDS} {
		if n := len(srv.Recorded(api)); n != 0 {
			t.Errorf("the emulator's %s got %d requests; want none", api, n)
		}
	}
}
