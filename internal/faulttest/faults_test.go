package faulttest_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// The fault suite: every data source, read through Terraform (plan, apply,
// refresh and the post-apply plans of terraform-plugin-testing), against
// each fault mode of the emulator. Reads that must survive a fault are
// checked item by item against the dataset; reads that must fail are
// checked for a clear error and for the requests they made.
//
// Page requests run one at a time (max_parallel_requests = 1) where the
// test counts attempts per page: the emulator's fault counters are per
// API, so a sequential read meets the faults in a fixed order and the
// counts are exact rather than probabilistic.

// TestFaults_throttling: every second request throttled (Huawei 429
// APIG.0308, Alibaba 400 Throttling.User). Every read completes, each
// page is retried exactly once when throttled, never more than
// max_retries.
func TestFaults_throttling(t *testing.T) {
	t.Parallel()
	data := smallData()
	srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{ThrottleEvery: 2}})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config:            acctest.ProviderConfig(srv, "max_retries = 5", "max_parallel_requests = 1") + allBlocks(),
			ConfigStateChecks: completeChecks(data),
		}},
	})
	for _, s := range sources {
		recs := srv.Recorded(s.api)
		maxRun, failures, successes := attemptStats(t, recs)
		st := statuses(recs)
		if failures == 0 || st[s.throttleStatus] != failures || successes == 0 {
			t.Errorf("%s: %d failures (statuses %v), %d successes; want every failure a throttle (HTTP %d) and some of each",
				s.name, failures, st, successes, s.throttleStatus)
		}
		// Sequential requests with every second one throttled: a
		// throttled page's retry is an odd request, which succeeds.
		if maxRun != 1 {
			t.Errorf("%s: a page needed %d retries in a row, want exactly 1", s.name, maxRun)
		}
	}
}

// TestFaults_serverErrors: every second request a 5xx (Huawei 500,
// Alibaba 503 ServiceUnavailable). Every read completes.
func TestFaults_serverErrors(t *testing.T) {
	t.Parallel()
	data := smallData()
	srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{ServerErrorEvery: 2}})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config:            acctest.ProviderConfig(srv, "max_parallel_requests = 1") + allBlocks(),
			ConfigStateChecks: completeChecks(data),
		}},
	})
	for _, s := range sources {
		recs := srv.Recorded(s.api)
		maxRun, failures, _ := attemptStats(t, recs)
		if st := statuses(recs); failures == 0 || st[s.serverErrorStatus] != failures {
			t.Errorf("%s: %d failures, statuses %v; want every failure an HTTP %d", s.name, failures, st, s.serverErrorStatus)
		}
		if maxRun != 1 {
			t.Errorf("%s: a page needed %d retries in a row, want exactly 1", s.name, maxRun)
		}
	}
}

// TestFaults_errorBursts: throttling on every second and a 5xx on every
// third request make bursts of three failed attempts in a row (throttle,
// 5xx, throttle) for some pages. Every read completes: throttled attempts
// do not count against max_retries. When 5xx answers outlast max_retries
// the read fails with the last answer's status and code instead of a
// partial list.
func TestFaults_errorBursts(t *testing.T) {
	t.Parallel()
	faults := emulator.Faults{ThrottleEvery: 2, ServerErrorEvery: 3}
	t.Run("within max_retries", func(t *testing.T) {
		t.Parallel()
		data := smallData()
		srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: faults})
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.Factories(0),
			Steps: []resource.TestStep{{
				Config:            acctest.ProviderConfig(srv, "max_retries = 5", "max_parallel_requests = 1") + allBlocks(),
				ConfigStateChecks: completeChecks(data),
			}},
		})
		for _, s := range sources {
			recs := srv.Recorded(s.api)
			maxRun, _, _ := attemptStats(t, recs)
			st := statuses(recs)
			if maxRun != 3 || st[s.throttleStatus] == 0 || st[s.serverErrorStatus] == 0 {
				t.Errorf("%s: longest run of failed attempts %d (want 3), statuses %v", s.name, maxRun, st)
			}
		}
	})
	for _, s := range sources {
		t.Run("beyond max_retries/"+s.name, func(t *testing.T) {
			t.Parallel()
			// Every request a 5xx: the first page fails after 1 +
			// max_retries attempts. Alibaba's ServiceUnavailable is a
			// throttling answer (retried by time, not count): it is
			// retried past max_retries until the read's time budget
			// (timeouts.read, 3 s here) and the error says so.
			srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{ServerErrorEvery: 1}})
			throttling := s.errorCode == "ServiceUnavailable"
			want := []string{s.summary, s.operation}
			block := s.block
			if throttling {
				want = append(want, "throttled by the API until the deadline", "timeouts.read", "waited")
				block = withReadTimeout(block, "3s")
			}
			want = append(want, fmt.Sprintf("HTTP status: %d", s.serverErrorStatus), "Error code: "+s.errorCode)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.Factories(0),
				Steps: []resource.TestStep{{
					Config:      acctest.ProviderConfig(srv, "max_retries = 2", "max_parallel_requests = 1") + block,
					ExpectError: acctest.DiagnosticPattern(want...),
				}},
			})
			switch n := srv.Requests(s.api); {
			case throttling && n <= 3:
				t.Errorf("%d requests, want more than 1 + max_retries: throttling is retried by time", n)
			case !throttling && n != 3:
				t.Errorf("%d requests, want 3 (1 + max_retries attempts of the first page)", n)
			}
		})
	}
}

// TestFaults_stallEveryRequest: every request stalls far beyond the
// request timeout. Each attempt is abandoned at the timeout and retried,
// and after 1 + max_retries attempts the read fails with an error naming
// the operation and the timeout.
func TestFaults_stallEveryRequest(t *testing.T) {
	t.Parallel()
	for _, s := range sources {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			srv := acctest.Emulator(t, emulator.Options{Data: smallData(),
				Faults: emulator.Faults{StallEvery: 1, StallFor: time.Minute}})
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.Factories(300 * time.Millisecond),
				Steps: []resource.TestStep{{
					Config: acctest.ProviderConfig(srv, "max_retries = 2") + s.block,
					ExpectError: acctest.DiagnosticPattern(s.summary, s.operation,
						"no response within the request timeout of 300ms after 3 attempt(s)"),
				}},
			})
			recs := settled(t, srv, s.api)
			if st := statuses(recs); len(recs) != 3 || st[emulator.StatusClientGone] != 3 {
				t.Errorf("%d requests with statuses %v; want 3, each abandoned by the client (%d)",
					len(recs), st, emulator.StatusClientGone)
			}
		})
	}
}

// TestFaults_stallSomeRequests: every third request stalls beyond the
// request timeout; the stalled attempts are abandoned and retried, and
// every read completes.
func TestFaults_stallSomeRequests(t *testing.T) {
	t.Parallel()
	data := smallData()
	srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{StallEvery: 3, StallFor: time.Minute}})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(300 * time.Millisecond),
		Steps: []resource.TestStep{{
			Config:            acctest.ProviderConfig(srv, "max_parallel_requests = 1") + allBlocks(),
			ConfigStateChecks: completeChecks(data),
		}},
	})
	for _, s := range sources {
		recs := settled(t, srv, s.api)
		maxRun, failures, _ := attemptStats(t, recs)
		if st := statuses(recs); failures == 0 || st[emulator.StatusClientGone] != failures || maxRun != 1 {
			t.Errorf("%s: %d failed attempts, longest run %d, statuses %v; want stalls only, each retried once",
				s.name, failures, maxRun, statuses(recs))
		}
	}
}

// TestFaults_truncatedBody: a 200 whose body is cut in half (complete as
// far as HTTP goes, so not a transport error) is not the JSON the API
// documents. The read fails with a clear decode error naming the
// operation and saying no partial result is returned; nothing is retried
// blindly and nothing partial reaches the state (see
// TestProtocol_truncatedBodyLeavesNoState for the state itself).
func TestFaults_truncatedBody(t *testing.T) {
	t.Parallel()
	for _, s := range sources {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{TruncateEvery: 2}})
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.Factories(0),
				Steps: []resource.TestStep{{
					Config: acctest.ProviderConfig(srv, "max_parallel_requests = 1") + s.block,
					ExpectError: acctest.DiagnosticPattern(s.summary, s.operation,
						"HTTP 200 with an unreadable response body", "No partial result is returned."),
				}},
			})
			// Sequential: page 1 arrives whole, page 2 cut; the read stops there.
			if n := srv.Requests(s.api); n != 2 {
				t.Errorf("%d requests, want 2", n)
			}
		})
	}
}

// TestFaults_countDrift: a total that grows between pages. The read is
// complete, each item appears once, and the extra pages the larger total
// announces are asked for and found empty. (The warning naming the drift
// is asserted at the provider server: TestProtocol_countDriftWarning.)
func TestFaults_countDrift(t *testing.T) {
	t.Parallel()
	data := smallData()
	srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{CountDrift: 150}})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config:            acctest.ProviderConfig(srv) + allBlocks(),
			ConfigStateChecks: completeChecks(data),
		}},
	})
	for _, s := range sources {
		if !s.offset {
			continue // OOS pages by token and reports no total
		}
		if st := statuses(srv.Recorded(s.api)); len(st) != 1 || st[200] == 0 {
			t.Errorf("%s: statuses %v, want only 200", s.name, st)
		}
	}
}

// TestFaults_repeatedToken: an OOS answer that repeats an earlier
// NextToken fails the read clearly instead of looping.
func TestFaults_repeatedToken(t *testing.T) {
	t.Parallel()
	oosSource := sourceFor(emulator.APIExecutionLogs)
	srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{RepeatToken: true}})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) + oosSource.block,
			ExpectError: acctest.DiagnosticPattern(oosSource.summary,
				"pagination token repeated after 2 pages", "the API did not advance"),
		}},
	})
	if n := srv.Requests(oosSource.api); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// wrongSecret is a wrong secret key no part of which can appear in output
// without a '⚷', a rune that appears nowhere else: the pattern of the
// test below rejects any '⚷'.
const wrongSecret = "⚷w⚷r⚷o⚷n⚷g⚷-⚷s⚷e⚷c⚷r⚷e⚷t⚷"

// TestFaults_badSignature: a wrong secret key is refused (Huawei 401
// APIG.0301, Alibaba 400 SignatureDoesNotMatch). The request is not
// retried (a Huawei key is locked after five failed signatures), the
// error carries the status and code, and the secret is nowhere in the
// output.
func TestFaults_badSignature(t *testing.T) {
	t.Parallel()
	for _, s := range sources {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			srv := acctest.Emulator(t, emulator.Options{Data: smallData()})
			cfg := acctest.ProviderConfigWith(srv, acctest.Credentials{HuaweiSecretKey: wrongSecret, AliSecretKey: wrongSecret})
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.Factories(0),
				Steps: []resource.TestStep{{
					Config: cfg + s.block,
					ExpectError: withoutRune('⚷', s.summary, s.operation,
						fmt.Sprintf("HTTP status: %d", s.wrongSecretStatus), "Error code: "+s.wrongSecretCode, "Request ID:"),
				}},
			})
			recs := srv.Recorded(s.api)
			if len(recs) != 1 || recs[0].Status != s.wrongSecretStatus {
				t.Errorf("%d requests (statuses %v), want exactly 1 answered %d", len(recs), statuses(recs), s.wrongSecretStatus)
			}
		})
	}
}

// TestFaults_unknownParent: a parent that does not exist (the project of
// script records, the screen recording, the SecMaster workspace, the OOS
// execution) fails the read with the API's status and code and what was
// not found, without retrying. An API without a parent that can be
// unknown (a fixture without UnknownParent) has no such case.
func TestFaults_unknownParent(t *testing.T) {
	t.Parallel()
	for _, s := range sources {
		t.Run(s.name, func(t *testing.T) {
			if s.fixture.UnknownParent == nil {
				t.Skipf("%s has no parent that can be unknown", s.typ)
			}
			t.Parallel()
			srv := acctest.Emulator(t, emulator.Options{Data: smallData()})
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.Factories(0),
				Steps: []resource.TestStep{{
					Config: acctest.ProviderConfig(srv) + s.unknownParent,
					// What was not found is the read's context (before the
					// facts) or in the API's message (among them).
					ExpectError: regexp.MustCompile(acctest.DiagnosticPattern(s.summary, s.parentWhat,
						fmt.Sprintf("HTTP status: %d", s.parentStatus), "Error code: "+s.parentCode, "Request ID:").String() + "|" +
						acctest.DiagnosticPattern(s.summary, fmt.Sprintf("HTTP status: %d", s.parentStatus), "Error code: "+s.parentCode,
							"Error message:", s.parentWhat, "Request ID:").String()),
				}},
			})
			recs := srv.Recorded(s.api)
			if len(recs) != 1 || recs[0].Status != s.parentStatus {
				t.Errorf("%d requests (statuses %v), want exactly 1 answered %d", len(recs), statuses(recs), s.parentStatus)
			}
		})
	}
}
