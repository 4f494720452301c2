package faulttest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// unstableData holds 3,000 latest script records (30 full pages of 100)
// and 300 events of the fixture's screen recording (3 full pages): whole
// pages, so that the last record comes only on the page past the count.
func unstableData() *emulator.Dataset {
	return emulator.Generate(11, acctest.FixtureSizes(func(f emulator.Fixture) int {
		switch f.API {
		case emulator.APIScriptRecords:
			return 3000
		case emulator.APIDesktopEvents:
			return 300
		}
		return f.Pages
	}))
}

// TestFaults_unstablePageStarts: a server whose pages after the first
// start one record early (the head of the list moved between requests:
// the second page repeats the first page's last record, and the last
// record comes only on a page at offset count). Every record of both
// Workspace data sources is read, in order, once, the last one included
// (it was left out silently), with max_items unset and at its largest;
// max_items = 2^63-1, which stopped such a read after 4 requests with 399
// of 3,000 records, is refused at plan time. Audit logs, which carry no
// id to see the repeat by, fail: the last page then holds more than the
// count says.
func TestFaults_unstablePageStarts(t *testing.T) {
	t.Parallel()
	for _, api := range []string{emulator.APIScriptRecords, emulator.APIDesktopEvents} {
		s := sourceFor(api)
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			data := unstableData()
			want := s.want(data)
			if n := len(want); n != map[string]int{emulator.APIScriptRecords: 3000, emulator.APIDesktopEvents: 300}[api] {
				t.Fatalf("%d items, want whole pages", n)
			}
			srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{Hostile: emulator.HostileUnstableStarts}})
			complete := []statecheck.StateCheck{
				acctest.ExpectObjects(s.addr(), s.list, want),
				statecheck.ExpectKnownValue(s.addr(), tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(len(want)))),
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.Factories(0),
				Steps: []resource.TestStep{
					{
						Config:      acctest.ProviderConfig(srv) + withMaxItems(s.block, "9223372036854775807"),
						ExpectError: acctest.DiagnosticPattern("max_items must be a whole number from 1 to 1,000,000, got 9223372036854775807"),
					},
					{Config: acctest.ProviderConfig(srv) + s.block, ConfigStateChecks: complete},
					{Config: acctest.ProviderConfig(srv) + withMaxItems(s.block, "1000000"), ConfigStateChecks: complete},
				},
			})
		})
	}
	t.Run("audit logs", func(t *testing.T) {
		t.Parallel()
		s := sourceFor(emulator.APIAuditLogs)
		srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{Hostile: emulator.HostileUnstableStarts}})
		failClosed(t, srv, s.block, acctest.DiagnosticPattern(s.summary, "beyond its own count", "request id"))
	})
}

// withMaxItems adds max_items = value (HCL) to a data block.
func withMaxItems(block, value string) string {
	i := strings.LastIndex(block, "}")
	return block[:i] + "  max_items = " + value + "\n" + block[i:]
}

// hugeData holds 3,000 items of every list API's fixture: 30 pages of
// 100 (60 of 50 audit logs and OOS logs), every item of 64 KiB under the
// huge-items mode.
func hugeData() *emulator.Dataset {
	return emulator.Generate(11, acctest.FixtureSizes(func(emulator.Fixture) int { return 3000 }))
}

// TestFaults_memoryBudget: a server whose items carry 64 KiB each (far
// more than any of the APIs documents) with max_read_bytes = 8 MiB fails
// every data source's read, and every ephemeral twin's, naming
// max_read_bytes, once about 128 items are in hand: the budget is
// checked while pages arrive, so the read stops after a few of its 30 or
// 60 pages (two in flight at a time), not after the last.
func TestFaults_memoryBudget(t *testing.T) {
	t.Parallel()
	const budget = 8 << 20
	for _, s := range sources {
		for _, kind := range []string{"data", "ephemeral"} {
			t.Run(s.name+"/"+kind, func(t *testing.T) {
				t.Parallel()
				data := hugeData()
				pages := (len(s.want(data)) + 99) / 100
				srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{Hostile: emulator.HostileHugeItems}})
				block := s.block
				if kind == "ephemeral" {
					block = strings.Replace(block, "data ", "ephemeral ", 1)
				}
				resource.UnitTest(t, resource.TestCase{
					ProtoV6ProviderFactories: acctest.Factories(0),
					Steps: []resource.TestStep{{
						Config: acctest.ProviderConfig(srv, fmt.Sprintf("max_read_bytes = %d", budget), "max_parallel_requests = 2") + block,
						ExpectError: acctest.DiagnosticPattern(s.summary, "items read so far hold about",
							fmt.Sprintf("max_read_bytes = %d", budget), "raise max_read_bytes"),
					}},
				})
				reqs := settled(t, srv, s.api)
				if len(reqs) == 0 || len(reqs) > 8 || len(reqs) >= pages {
					t.Errorf("%d page requests (of %d pages): the read did not stop while the pages arrived", len(reqs), pages)
				}
			})
		}
	}
}

// TestFaults_maxReadBytesValidated: max_read_bytes that is not a whole
// number from 1 to 2^50 fails the plan naming it (an Int64 would give
// the plugin framework's internal error for 2^63).
func TestFaults_maxReadBytesValidated(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{Data: smallData()})
	s := sourceFor(emulator.APIExecutionLogs)
	for _, v := range []string{"0", "1.5", "9223372036854775808"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.Factories(0),
				Steps: []resource.TestStep{{
					Config:      acctest.ProviderConfig(srv, "max_read_bytes = "+v) + s.block,
					ExpectError: acctest.DiagnosticPattern("max_read_bytes must be a whole number from 1 to", "got "+v),
				}},
			})
		})
	}
}
