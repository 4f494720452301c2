// Package acctest is what the Terraform-driven tests share: an in-process
// emulator of the clouds on 127.0.0.1, provider factories wired to it,
// HCL for a provider block pointing every endpoint at it, and for the
// tests that run the CLI itself, the CLI, a dev override of the provider
// built from this tree and the environment of a run (cli.go).
//
// Tests here are hermetic, so they use resource.UnitTest: they run under
// plain `go test` whenever a Terraform CLI is found (make test sets
// TF_ACC_TERRAFORM_PATH).
package acctest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/provider"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// Emulator starts an emulator for the test and stops it at cleanup.
func Emulator(t testing.TB, opts emulator.Options) *emulator.Server {
	t.Helper()
	srv, err := emulator.Start(opts)
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// Factories returns provider factories with a fast transport: retries
// wait milliseconds, not seconds, so fault tests stay quick, and an
// attempt times out after timeout (0: 10 s).
func Factories(timeout time.Duration) map[string]func() (tfprotov6.ProviderServer, error) {
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	srv := provider.NewServer("acctest", provider.WithTransport(func(o *transport.Options) {
		o.BaseBackoff = 5 * time.Millisecond
		o.MaxBackoff = 50 * time.Millisecond
		if o.RequestTimeout == transport.DefaultRequestTimeout {
			o.RequestTimeout = timeout // a request_timeout in the configuration wins
		}
		// The emulator's fault modes throttle every Nth request whatever
		// the rate, which a pacer reads as a limit far below any rate it
		// sends at: it would slow to MinRate. The fault tests are about
		// retries and complete results, so the pacer stays at 50/s or
		// more, and throttled requests come back after 5 ms; without a
		// deadline they are retried for 5 s; and every host starts with
		// 32 requests in flight (max_parallel_requests' limit), so that
		// tests of many requests at once see them at once. The rate-limit
		// tests (internal/faulttest/ratelimit_test.go) use the defaults.
		o.LoopbackOnly = true // whatever a test's configuration leaves out, no cloud is reached
		o.PacingDir = ""      // each test's provider paces on its own: no state shared with other tests or the user's cache
		o.MinRate = 50
		o.InitialWindow = 32
		o.MinThrottleWait = 5 * time.Millisecond
		o.ThrottleBudget = 5 * time.Second
	}), provider.WithGetenv(func(string) string { return "" }))
	return map[string]func() (tfprotov6.ProviderServer, error){
		provider.TypeName: func() (tfprotov6.ProviderServer, error) { return srv(), nil },
	}
}

// ProviderConfig is the provider block for srv with the demo credentials,
// plus extra top-level settings (e.g. "max_parallel_requests = 2").
func ProviderConfig(srv *emulator.Server, extra ...string) string {
	return ProviderConfigWith(srv, Credentials{}, extra...)
}

// Credentials overrides what ProviderConfigWith puts in the blocks.
type Credentials struct {
	HuaweiAccessKey, HuaweiSecretKey, HuaweiToken string
	AliAccessKey, AliSecretKey, AliToken          string
	// OmitProjectID leaves project_id out, so the IAM lookup runs.
	OmitProjectID bool
	ProjectID     string
}

// ProviderConfigWith is ProviderConfig with credentials overridden.
func ProviderConfigWith(srv *emulator.Server, c Credentials, extra ...string) string {
	or := func(v, def string) string {
		if v == "" {
			return def
		}
		return v
	}
	var project string
	if !c.OmitProjectID {
		project = fmt.Sprintf("project_id = %q", or(c.ProjectID, srv.Data().Projects[emulator.DemoRegionHuawei]))
	}
	var hwToken, aliToken string
	if c.HuaweiToken != "" {
		hwToken = fmt.Sprintf("security_token = %q", c.HuaweiToken)
	}
	if c.AliToken != "" {
		aliToken = fmt.Sprintf("security_token = %q", c.AliToken)
	}
	return fmt.Sprintf(`
provider "opsaudit" {
  huaweicloud {
    region     = %[2]q
    %[3]s
    access_key = %[4]q
    secret_key = %[5]q
    %[6]s
    endpoints = {
      iam       = %[1]q
      workspace = %[1]q
      secmaster = %[1]q
    }
  }
  alicloud {
    region     = %[7]q
    access_key = %[8]q
    secret_key = %[9]q
    %[10]s
    endpoints = { oos = %[1]q, sts = %[1]q, imds = %[1]q }
  }
  %[11]s
}
`, srv.URL(), emulator.DemoRegionHuawei, project,
		or(c.HuaweiAccessKey, emulator.DemoHuaweiAccessKey), or(c.HuaweiSecretKey, emulator.DemoHuaweiSecretKey), hwToken,
		emulator.DemoRegionAli, or(c.AliAccessKey, emulator.DemoAliAccessKey), or(c.AliSecretKey, emulator.DemoAliSecretKey), aliToken,
		strings.Join(extra, "\n  "))
}

// HCLList renders strings as an HCL list, escaping as HCL needs.
func HCLList(vals ...string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = HCLString(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// HCLString renders s as an HCL string literal: Go quoting, plus HCL's own
// template sequences ${ and %{ escaped.
func HCLString(s string) string {
	q := fmt.Sprintf("%q", s)
	q = strings.ReplaceAll(q, "${", "$${")
	q = strings.ReplaceAll(q, "%{", "%%{")
	return q
}

// ApplyOnce applies config with the tests' provider factories and checks
// the state: one step of terraform-plugin-testing (plan, apply, refresh,
// and the plan after apply, which must be empty).
func ApplyOnce(t *testing.T, config string, checks ...statecheck.StateCheck) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: Factories(0),
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: checks}},
	})
}
