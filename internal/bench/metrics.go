// Package bench holds the provider's performance benchmarks (make bench):
// each data source's read driven in-process through the protocol server
// (read_test.go), the flattening fast path against the framework's
// reflection (flatten_test.go), every one for each data source of the
// catalog, and the helpers they share to report costs per item. The
// end-to-end Terraform runs are scripts/bench-e2e.sh, with the floor
// provider in floorprovider/.
//
// This file has no dependency beyond the standard library, so that any
// package's benchmarks can import it without a cycle.
package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
)

// Result is what PerItem measured, per item.
type Result struct {
	NsPerItem     float64
	BytesPerItem  float64
	AllocsPerItem float64
	// PeakRSSMB is the process's peak resident set (VmHWM) during the
	// loop, in MiB; 0 when the system does not report it.
	PeakRSSMB float64
	// RSSGrowthMB is PeakRSSMB less the resident set before the loop
	// (after a forced garbage collection): what the loop added on top of
	// the data set up before it (in the read benchmarks, the emulator's
	// dataset and recorded answers, which live in the same process).
	RSSGrowthMB float64
}

// PerItem runs f in b.Loop, f handling items items per call, and reports
// ns/item, B/item and allocs/item (every allocation of the process during
// the loop, as -benchmem counts them), peak-RSS-MB (the process's high
// water mark, reset before the loop where Linux allows it, so it is the
// peak of this benchmark, not of the ones before it) and RSS-growth-MB
// (that peak less the resident set at the start of the loop). It returns
// the same figures.
func PerItem(b *testing.B, items int, f func()) Result {
	b.Helper()
	b.ReportAllocs()
	debug.FreeOSMemory() // a garbage collection, and freed memory returned
	reset := ResetPeakRSS()
	start, _ := RSSKiB()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	calls := 0
	for b.Loop() {
		f()
		calls++
	}
	runtime.ReadMemStats(&after)
	n := float64(calls) * float64(max(items, 1))
	r := Result{
		NsPerItem:     float64(b.Elapsed().Nanoseconds()) / n,
		BytesPerItem:  float64(after.TotalAlloc-before.TotalAlloc) / n,
		AllocsPerItem: float64(after.Mallocs-before.Mallocs) / n,
	}
	b.ReportMetric(r.NsPerItem, "ns/item")
	b.ReportMetric(r.BytesPerItem, "B/item")
	b.ReportMetric(r.AllocsPerItem, "allocs/item")
	if kb, ok := PeakRSSKiB(); ok {
		r.PeakRSSMB = float64(kb) / 1024
		b.ReportMetric(r.PeakRSSMB, "peak-RSS-MB")
		if reset && start > 0 {
			r.RSSGrowthMB = float64(kb-start) / 1024
			b.ReportMetric(r.RSSGrowthMB, "RSS-growth-MB")
		}
	}
	return r
}

// ResetPeakRSS resets the process's peak resident set (VmHWM) to its
// current resident set (Linux 4.0+: "5" written to /proc/self/clear_refs).
// It reports whether it could.
func ResetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// PeakRSSKiB returns the process's peak resident set (VmHWM in
// /proc/self/status), in KiB.
func PeakRSSKiB() (int64, bool) {
	return statusKiB("VmHWM:")
}

// RSSKiB returns the process's current resident set (VmRSS), in KiB.
func RSSKiB() (int64, bool) {
	return statusKiB("VmRSS:")
}

func statusKiB(field string) (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	s := bufio.NewScanner(bytes.NewReader(b))
	for s.Scan() {
		line := s.Bytes()
		if !bytes.HasPrefix(line, []byte(field)) {
			continue
		}
		fields := bytes.Fields(line[len(field):])
		if len(fields) == 0 {
			return 0, false
		}
		n, err := strconv.ParseInt(string(fields[0]), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// Ratio logs how the fast path compares with the reflection baseline:
// speed (baseline ns / fast ns) and allocations (fast / baseline), next to
// the targets BENCHMARKS.md holds them to (at least 5x faster, at most a
// quarter of the allocations). It prints one line starting with "RATIO" on
// standard output (a parent benchmark's b.Log is not shown), among the
// benchmark results make bench prints.
func Ratio(name string, fast, baseline Result) {
	if fast.NsPerItem == 0 || baseline.NsPerItem == 0 || baseline.AllocsPerItem == 0 || baseline.BytesPerItem == 0 {
		return // one side was filtered out by -bench
	}
	speed := baseline.NsPerItem / fast.NsPerItem
	allocs := fast.AllocsPerItem / baseline.AllocsPerItem
	bytes := fast.BytesPerItem / baseline.BytesPerItem
	fmt.Printf("RATIO %s: fast path %.1fx faster than reflection (target >= 5x: %s); allocations %.3f of reflection "+
		"(target <= 0.25: %s); bytes %.3f of reflection\n",
		name, speed, verdict(speed >= 5), allocs, verdict(allocs <= 0.25), bytes)
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}
