package faulttest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// The fail-closed suite: answers a real API would never give, but a broken
// or hostile server could (the emulator's Hostile modes). A policy check
// must never pass on one: each read fails with an error that says what is
// wrong, or (for records that changed while they were read) returns the
// copies fetched last with a warning. Secrets a server echoes never reach
// the output or the logs.

// failClosed runs the data source blocks against srv and expects the
// apply to fail with an error matching want.
func failClosed(t *testing.T, srv *emulator.Server, blocks string, want *regexp.Regexp) {
	t.Helper()
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config:      acctest.ProviderConfig(srv, "max_retries = 0") + blocks,
			ExpectError: want,
		}},
	})
}

// TestFailClosed_counts: a count of 0 with items, a negative count, and a
// count without the item list each fail every offset-paged read, naming
// the operation, the field and the request id; none stores a total or a
// partial list.
func TestFailClosed_counts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		hostile emulator.Hostile
		want    func(s source) []string
	}{
		{emulator.HostileCountZero, func(s source) []string {
			return []string{s.summary, s.operation + ": " + s.fixture.TotalField + " is 0 but the page holds", "page at offset 0, request id"}
		}},
		{emulator.HostileCountNegative, func(s source) []string {
			return []string{s.summary, s.operation + ": " + s.fixture.TotalField + " is -5, a negative total", "page at offset 0, request id"}
		}},
		{emulator.HostileCountNoList, func(s source) []string {
			return []string{s.summary, s.operation + ": HTTP 200", `the field "` + s.fixture.ListField + `" is missing`, "request id:",
				"No partial result is returned."}
		}},
	}
	for _, c := range cases {
		for _, s := range sources {
			if !s.offset {
				continue
			}
			t.Run(string(c.hostile)+"/"+s.name, func(t *testing.T) {
				t.Parallel()
				srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{Hostile: c.hostile}})
				failClosed(t, srv, s.block, acctest.DiagnosticPattern(c.want(s)...))
			})
		}
	}
}

// TestFailClosed_ignoredOffset: a server that answers every page with the
// first one (the count steady) fails the read after the first page, for
// items with an id and without one (audit logs) alike.
func TestFailClosed_ignoredOffset(t *testing.T) {
	t.Parallel()
	for _, s := range sources {
		if !s.offset {
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{Hostile: emulator.HostileIgnoreOffset}})
			failClosed(t, srv, s.block, acctest.DiagnosticPattern(s.summary, s.operation+": the server ignored offset",
				"the page repeats the "+s.fixture.ListField+" of the page at offset 0", "request id"))
		})
	}
}

// TestFailClosed_projectIDs: a project id that is not one path segment
// fails the read, naming where it came from, before any request carries
// it: from IAM, from HW_PROJECT_ID, and (at plan time) from the
// configuration.
func TestFailClosed_projectIDs(t *testing.T) {
	t.Parallel()
	s := sourceFor(emulator.APIScriptRecords)
	t.Run("IAM", func(t *testing.T) {
		t.Parallel()
		srv := acctest.Emulator(t, emulator.Options{Data: smallData(),
			Faults: emulator.Faults{APIs: []string{emulator.APIIAM}, Hostile: emulator.HostileIAMProject}})
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.Factories(0),
			Steps: []resource.TestStep{{
				Config: acctest.ProviderConfigWith(srv, acctest.Credentials{OmitProjectID: true}) + s.block,
				ExpectError: acctest.DiagnosticPattern(s.summary, `the project id "p1/extra?x=1#f" from the IAM project lookup`,
					"is not one path segment"),
			}},
		})
		if n := len(srv.Recorded(emulator.APIIAM)); n == 0 {
			t.Error("the IAM lookup was not made")
		}
		if n := len(srv.Recorded(s.api)); n != 0 {
			t.Errorf("%d requests were sent with the IAM project id", n)
		}
	})
	t.Run("configuration", func(t *testing.T) {
		t.Parallel()
		srv := acctest.Emulator(t, emulator.Options{Data: smallData()})
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.Factories(0),
			Steps: []resource.TestStep{{
				Config:      acctest.ProviderConfigWith(srv, acctest.Credentials{ProjectID: "p1/extra"}) + s.block,
				ExpectError: acctest.DiagnosticPattern("huaweicloud.project_id", "must be one path segment"),
			}},
		})
		if n := len(srv.Recorded(s.api)); n != 0 {
			t.Errorf("%d requests were sent", n)
		}
	})
}

// TestCLI_echoedSecretsMasked: every request is refused with an error whose
// text echoes the request's Authorization and security token headers and
// the secret key (and whose request id header echoes the token). Through
// the Terraform CLI at TF_LOG=trace, neither the diagnostics Terraform
// prints nor the log (where the plugin SDK writes every error diagnostic)
// nor anything else may contain them; the error still shows its code.
func TestCLI_echoedSecretsMasked(t *testing.T) {
	t.Parallel()
	hwAK, hwSK, hwToken := "HWTEMPAK"+randomHex(t, 6), "hw-sk-"+randomHex(t, 16), "hw-sts-"+randomHex(t, 40)
	aliAK, aliSK, aliToken := "STS.ALIAK"+randomHex(t, 6), "ali-sk-"+randomHex(t, 16), "ali-sts-"+randomHex(t, 40)
	srv := acctest.Emulator(t, emulator.Options{
		Data:            smallData(),
		HuaweiAccessKey: hwAK, HuaweiSecretKey: hwSK, HuaweiSecurityToken: hwToken,
		AliAccessKey: aliAK, AliSecretKey: aliSK, AliSecurityToken: aliToken,
		Faults: emulator.Faults{Hostile: emulator.HostileEchoSecrets},
	})
	config := providerBlock(srv,
		[]string{fmt.Sprintf("access_key = %q", hwAK), fmt.Sprintf("secret_key = %q", hwSK), fmt.Sprintf("security_token = %q", hwToken)},
		[]string{fmt.Sprintf("access_key = %q", aliAK), fmt.Sprintf("secret_key = %q", aliSK), fmt.Sprintf("security_token = %q", aliToken)},
		"max_retries = 0",
	) + allBlocks()
	w := newWorkdir(t, config)
	logPath := filepath.Join(t.TempDir(), "trace.log")
	stdout, stderr, err := w.run([]string{"TF_LOG=trace", "TF_LOG_PATH=" + logPath}, "plan", "-input=false", "-no-color")
	if err == nil {
		t.Fatal("the plan succeeded against a server refusing every request")
	}
	trace, rerr := os.ReadFile(logPath)
	if rerr != nil {
		t.Fatal(rerr)
	}
	out := stdout + stderr
	for _, code := range []string{"APIGW.0301", "SecMaster.00040100", "IncompleteSignature", "Signature=***"} {
		if !strings.Contains(out, code) {
			t.Errorf("the output does not show %q:\n%s", code, out)
		}
	}
	if !strings.Contains(string(trace), "Incorrect IAM authentication information") {
		t.Error("the trace log does not hold the error diagnostics")
	}
	secrets := map[string]string{"Huawei secret key": hwSK, "Huawei security token": hwToken,
		"Alibaba secret key": aliSK, "Alibaba security token": aliToken}
	for _, api := range []string{emulator.APIScriptRecords, emulator.APIDesktopEvents, emulator.APIAuditLogs, emulator.APIExecutionLogs} {
		recs := srv.Recorded(api)
		if len(recs) == 0 {
			t.Fatalf("no request recorded for %s", api)
		}
		for i, r := range recs {
			for _, m := range signatureRE.FindAllStringSubmatch(r.Header.Get("Authorization"), -1) {
				secrets[fmt.Sprintf("signature of %s request %d", api, i)] = m[1]
			}
		}
	}
	noLeaks(t, secrets, map[string]string{"output": out, "trace log": string(trace)})
}

// TestFailClosed_oos: OOS answers that are not a list (200 without
// ExecutionLogs, 200 with an error Code) and a first page that says
// IsTruncated without a NextToken each fail the read, naming the operation,
// the field and the request id, and store no logs.
func TestFailClosed_oos(t *testing.T) {
	t.Parallel()
	s := sourceFor(emulator.APIExecutionLogs)
	for h, want := range map[emulator.Hostile][]string{
		emulator.HostileOOSNoLogs:        {`ListExecutionLogs: HTTP 200`, `the field "ExecutionLogs" is missing`, "request id:"},
		emulator.HostileOOSErrorCode:     {`ListExecutionLogs: HTTP 200 refused: Code: a success (HTTP 200) carrying the error "InternalError": gateway`, "request id:"},
		emulator.HostileTruncatedNoToken: {`ListExecutionLogs: HTTP 200 refused`, "IsTruncated: true without a NextToken", "request id:"},
	} {
		t.Run(string(h), func(t *testing.T) {
			t.Parallel()
			srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{Hostile: h}})
			failClosed(t, srv, s.block, acctest.DiagnosticPattern(append([]string{s.summary}, want...)...))
		})
	}
}

// TestFailClosed_twinFields: an item that gives the field a policy check
// reads twice (status, event_level, LogType), the failing value first and
// a passing one last, or the passing one again under an upper-case name,
// fails every read, naming the item and the field: decoding it into a
// struct would have read the passing copy.
func TestFailClosed_twinFields(t *testing.T) {
	t.Parallel()
	for h, why := range map[emulator.Hostile]string{
		emulator.HostileTwinField:   "given twice in one item, which can be read two ways",
		emulator.HostileFoldedField: "the item also has a member %q, which differs from it only in case and can be read as it",
	} {
		for _, s := range sources {
			t.Run(string(h)+"/"+s.name, func(t *testing.T) {
				t.Parallel()
				field := emulator.TwinField[s.api][0]
				refusal := why
				if strings.Contains(why, "%q") {
					refusal = fmt.Sprintf(why, strings.ToUpper(field))
				}
				srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{Hostile: h}})
				failClosed(t, srv, s.block, acctest.DiagnosticPattern(s.summary,
					s.operation+": HTTP 200 refused: "+s.fixture.ListField+"[0]."+field+": "+refusal, "request id:",
					"No partial result is returned."))
			})
		}
	}
}

// TestFailClosed_changedRecords: the second page of script records starts
// with the first page's first 50 records (same ids), now FAILED. The read
// keeps the copies fetched last, so the FAILED runs count, and warns; with
// on_drift = "fail" it fails instead.
func TestFailClosed_changedRecords(t *testing.T) {
	t.Parallel()
	s := sourceFor(emulator.APIScriptRecords)
	data := smallData()
	var latest []emulator.ScriptRecord
	for _, r := range data.ScriptRecords() {
		if !r.History {
			latest = append(latest, r)
		}
	}
	if len(latest) != 200 {
		t.Fatalf("%d latest records, want 200 (two pages of 100)", len(latest))
	}
	// Page 1: records 0..99; page 2: records 0..49 FAILED, then 150..199.
	want := append(slices.Clone(latest[:100]), latest[150:]...)
	changed, failed := 0, 0
	for i := range want {
		if i < 50 && want[i].Status != "FAILED" {
			want[i].Status = "FAILED"
			changed++
		}
		if want[i].Status == "FAILED" {
			failed++
		}
	}
	if changed == 0 {
		t.Fatal("no record changes status")
	}
	srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{Hostile: emulator.HostileChangedRecords}})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{{
			Config: acctest.ProviderConfig(srv) + s.block,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.ExpectObjects(s.addr(), s.list, acctest.Objects(s.typ, want)),
				statecheck.ExpectKnownValue(s.addr(), tfjsonpath.New("status_counts").AtMapKey("FAILED"), knownvalue.Int64Exact(int64(failed))),
			},
		}, {
			Config:      acctest.ProviderConfig(srv, `on_drift = "fail"`) + s.block,
			ExpectError: acctest.DiagnosticPattern("Results changed while they were read", fmt.Sprintf("%d of the", changed), `on_drift = "fail"`),
		}},
	})
	// The warning, as the provider server returns it.
	diags, state := newProtoServer(t, srv, nil).read(t, s.typ, s.args())
	if hasError(diags) || state == nil || len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
		!strings.Contains(diags[0].Detail, fmt.Sprintf("%d of the Workspace script execution records came back with other content", changed)) {
		t.Fatalf("diagnostics:%s\nwant one warning naming %d changed records", diagText(diags), changed)
	}
}

// TestFailClosed_gzipBomb: with max_parallel_requests = 32, the first page
// of script records is real and the 33 after it are gzip bombs (300 KB on
// the wire, 300 MB inflated). The read fails on the body limit, and the
// provider's heap (the provider, the emulator and the test share this
// process) stays well under 512 MiB. Not parallel: the heap is measured.
// Should the heap pass 512 MiB, the read is cancelled at once, so that a
// regression fails the test instead of exhausting the machine.
func TestFailClosed_gzipBomb(t *testing.T) {
	s := sourceFor(emulator.APIScriptRecords)
	data := emulator.Generate(11, emulator.Sizes{emulator.SizeScriptRecords: 3400, emulator.SizeScreenRecords: 1, emulator.SizeEventsPerScreenRecord: 1,
		emulator.SizeWorkspaces: 1, emulator.SizeAuditLogsPerWorkspace: 1, emulator.SizeExecutions: 1, emulator.SizeLogsPerExecution: 1})
	srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{Hostile: emulator.HostileGzipBomb}})
	// A generous attempt timeout: 32 bodies inflating at once are slow
	// under -race on a busy machine, and the test is about memory.
	p := newProtoServerTimeout(t, srv, map[string]any{"max_parallel_requests": 32, "max_retries": 0}, 2*time.Minute)

	runtime.GC()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var peak atomic.Uint64
	stop, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			if ms.HeapAlloc > 512<<20 {
				cancel()
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	st := p.schemas[s.typ]
	dv, err := tfprotov6.NewDynamicValue(st, value(t, st, s.args()))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.s.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: s.typ, Config: &dv})
	close(stop)
	<-sampled
	if err != nil {
		t.Fatalf("ReadDataSource: %v", err)
	}
	diags := resp.Diagnostics
	if ctx.Err() != nil {
		t.Fatalf("the heap passed 512 MiB (peak %d MiB): the read was cancelled", peak.Load()>>20)
	}

	if !hasError(diags) || !strings.Contains(diagText(diags), "response body over the size limit") {
		t.Fatalf("diagnostics:%s\nwant the body size error", diagText(diags))
	}
	if m := srv.MaxInFlight(s.api); m < 16 {
		t.Errorf("at most %d requests in flight, want up to 32", m)
	}
	t.Logf("peak heap %d MiB", peak.Load()>>20)
	if peak.Load() > 384<<20 {
		t.Fatalf("peak heap %d MiB with 32 gzip bombs in flight: want well under 512 MiB", peak.Load()>>20)
	}
}

// TestFailClosed_bidiError: an error message holding bidirectional
// controls (U+202E RIGHT-TO-LEFT OVERRIDE, U+2066..U+2069) reaches
// Terraform's output without them, its text otherwise kept.
func TestFailClosed_bidiError(t *testing.T) {
	t.Parallel()
	for _, s := range sources {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{Hostile: emulator.HostileBidiError}})
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.Factories(0),
				Steps: []resource.TestStep{{
					Config:      acctest.ProviderConfig(srv) + s.block,
					ExpectError: withoutRune('\u202E', s.summary, "HTTP status: 403", "Access denied to script exe.txt (isolated)"),
				}},
			})
		})
	}
}
