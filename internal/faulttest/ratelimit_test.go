package faulttest_test

import (
	"fmt"
	"regexp"
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

// TestRateLimit_endlessThrottlingBacksOff: an API that throttles every
// request, stating a limit of 20/s as Huawei's gateway does, is retried
// with a backoff: after a few cuts with nothing accepted the rate halves
// at each throttle (to one request per 30 s at most), instead of holding
// at the stated limit's cut, 10 requests a second until timeouts.read
// (about 150 in 15 s; 12,000 in the default 20 minutes). The error at
// the deadline says how many requests the read sent.
func TestRateLimit_endlessThrottlingBacksOff(t *testing.T) {
	t.Parallel()
	s := sourceFor(emulator.APIAuditLogs)
	srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{ThrottleEvery: 1}})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pacedFactories(),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv, "max_retries = 0") + withReadTimeout(s.block, "15s"),
			ExpectError: regexp.MustCompile(acctest.DiagnosticPattern(s.summary, s.operation, "throttled by the API until the deadline").String() +
				`.*sent[\s│]+\d+[\s│]+attempt\(s\)[\s│]+of[\s│]+this[\s│]+request,[\s│]+\d+[\s│]+throttled.*Error[\s│]+code:[\s│]+` + s.throttleCode),
		}},
	})
	// Four cuts from the stated limit (14, 9.8, 6.9, 4.8/s), then halving:
	// about a dozen requests in 15 s.
	n := srv.Requests(s.api)
	if n < 5 || n > 30 {
		t.Errorf("%d requests in 15 s of throttling, want about a dozen: the pacer backs off", n)
	}
	t.Logf("%d requests in 15 s of throttling", n)
}

// TestRateLimit_longWindowLimitDecays: a throttle stating a limit over a
// long window ("limit:1,time:1 hour", every 10th request) slows the host
// down like any throttle, and the rate grows back while the API accepts
// again: a read of 30 pages ends well inside its 30 s budget. Kept as a
// cap, that limit held the host at the floor of 0.5 requests a second for
// the rest of the process, 2 s for each of the 20 pages after the first
// throttle.
func TestRateLimit_longWindowLimitDecays(t *testing.T) {
	t.Parallel()
	const logs = 1500 // 30 pages of 50
	data := emulator.Generate(11, emulator.Sizes{emulator.SizeWorkspaces: 1, emulator.SizeAuditLogsPerWorkspace: logs})
	srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{
		APIs: []string{emulator.APIAuditLogs}, ThrottleEvery: 10, ThrottleLimit: "limit:1,time:1 hour"}})
	cfg := acctest.ProviderConfig(srv) + fmt.Sprintf("data %q \"x\" {\n  workspace_id = %q\n  timeouts     = { read = \"30s\" }\n}\n",
		secmaster.PlaybookAuditLogsTypeName, workspaceID)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pacedFactories(),
		Steps: []resource.TestStep{{Config: cfg, Check: resource.TestCheckResourceAttr(
			"data."+secmaster.PlaybookAuditLogsTypeName+".x", "audit_logs.#", fmt.Sprint(logs))}},
	})
	if n := srv.Throttled(emulator.APIAuditLogs); n < 1 {
		t.Errorf("%d requests throttled, want the limit stated", n)
	}
}
