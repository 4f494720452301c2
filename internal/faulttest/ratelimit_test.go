package faulttest_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/provider"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/secmaster"
)

// pacedFactories serve the provider with the transport's defaults, pacer
// included (acctest.Factories lifts the pacer's floor and first window for
// the fault tests).
func pacedFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	srv := provider.NewServer("acctest", provider.WithGetenv(func(string) string { return "" }))
	return map[string]func() (tfprotov6.ProviderServer, error){
		provider.TypeName: func() (tfprotov6.ProviderServer, error) { return srv(), nil },
	}
}

// TestRateLimit_tenReadsComplete: ten audit log reads at once (Terraform's
// default parallelism) under a gateway limit of 20 requests per second per
// API, for every client together. The provider's reads share one pacer,
// which slows down when the gateway throttles: every read completes with
// every log, the limit was met (some requests were throttled), not
// avoided, and fewer than half the requests were throttled.
func TestRateLimit_tenReadsComplete(t *testing.T) {
	t.Parallel()
	const reads, logs = 10, 300
	data := emulator.Generate(11, emulator.Sizes{emulator.SizeWorkspaces: 1, emulator.SizeAuditLogsPerWorkspace: logs})
	srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{RateLimit: 20}})
	cfg := acctest.ProviderConfig(srv) + fmt.Sprintf("data %q \"r\" {\n  count        = %d\n  workspace_id = %q\n}\n",
		secmaster.PlaybookAuditLogsTypeName, reads, workspaceID)
	var checks []resource.TestCheckFunc
	for i := range reads {
		checks = append(checks, resource.TestCheckResourceAttr(
			fmt.Sprintf("data.%s.r.%d", secmaster.PlaybookAuditLogsTypeName, i), "audit_logs.#", fmt.Sprint(logs)))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pacedFactories(),
		Steps:                    []resource.TestStep{{Config: cfg, Check: resource.ComposeAggregateTestCheckFunc(checks...)}},
	})
	throttled, requests := srv.Throttled(emulator.APIAuditLogs), srv.Requests(emulator.APIAuditLogs)
	if throttled == 0 {
		t.Errorf("%d requests, none throttled: the test did not meet the limit", requests)
	}
	// The shared pacer keeps the throttled share low: 14-24% here (most of
	// it the first round trips, before the first throttle has been
	// answered). Reads that retry on their own, each at its own pace,
	// had 87% of their requests throttled in this test.
	if throttled*2 > requests {
		t.Errorf("%d of %d requests throttled: the reads did not slow down together", throttled, requests)
	}
	t.Logf("%d requests, %d throttled", requests, throttled)
}

// TestRateLimit_readTimeoutEndsThrottling: an API that throttles every
// request is retried through the pacer until the read's timeouts.read,
// then the read fails with an error naming the throttling, the timeout,
// and the last answer's code. Alibaba states no limit and nothing was
// accepted, so its pacer is at its floor, one request every 2 s: the
// 5 s budget leaves room for retries.
func TestRateLimit_readTimeoutEndsThrottling(t *testing.T) {
	t.Parallel()
	for _, s := range sources {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{ThrottleEvery: 1}})
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: pacedFactories(),
				Steps: []resource.TestStep{{
					Config: acctest.ProviderConfig(srv, "max_retries = 0") + withReadTimeout(s.block, "5s"),
					ExpectError: acctest.DiagnosticPattern(s.summary, s.operation, "throttled by the API until the deadline",
						"time budget of 5s (timeouts.read)", "waited", "throttled",
						fmt.Sprintf("HTTP status: %d", s.throttleStatus), "Error code: "+s.throttleCode),
				}},
			})
			if n := srv.Requests(s.api); n < 2 {
				t.Errorf("%d requests, want more than 1 + max_retries: throttling is retried by time", n)
			}
		})
	}
}
