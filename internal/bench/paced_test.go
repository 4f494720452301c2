package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/provider"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// BenchmarkPaced is scenario (c) of scripts/bench-e2e.sh without
// Terraform: ten reads of 1,000 items at once on one provider server,
// against the emulator's gateway limit of 20 requests per second per API
// (-rate 20) at 50 ms per request, for the audit logs (Huawei's gateway
// states its limit in the throttling answer) and the OOS execution logs
// (Alibaba's states none). One iteration is about ten seconds. It reports
// the wall time over the limit's minimum (the requests the limit accepted
// / 20 per second), the share of requests throttled, and when the last
// throttle came: the pacer's own behaviour, without Terraform's time and
// noise around it.
func BenchmarkPaced(b *testing.B) {
	const reads, items, rate, latency = 10, 1000, 20, 50 * time.Millisecond
	for _, name := range []string{"audit_logs", "execution_logs"} {
		c := caseNamed(b, name)
		b.Run(name, func(b *testing.B) {
			var wall, lastThrottle time.Duration
			var sent, throttled int64
			for b.Loop() {
				w, l, s, t := pacedRun(b, c, 1, reads, items, rate, latency, "")
				wall += w
				lastThrottle = max(lastThrottle, l)
				sent += s
				throttled += t
			}
			reportPaced(b, rate, wall, sent, throttled)
			b.ReportMetric(lastThrottle.Seconds(), "s-last-throttle")
		})
	}
}

// BenchmarkPacedShared is scenario (d) of scripts/bench-e2e.sh without
// Terraform: three provider servers (the processes of three provider
// blocks or three plans on one machine), each reading 1,000 audit logs
// four times at once, against the emulator's gateway limit of 20 requests
// per second for all of them, at 50 ms per request; five runs each with
// the pacers sharing the host's state file (share_pacing, the default)
// and each on its own. It reports the slowest server's wall time over the
// limit's minimum (the requests the limit accepted / 20 per second) and
// the share of requests throttled. About 12 s a run.
func BenchmarkPacedShared(b *testing.B) {
	const procs, reads, items, rate, latency = 3, 4, 1000, 20, 50 * time.Millisecond
	c := caseNamed(b, "audit_logs")
	for _, shared := range []bool{true, false} {
		b.Run(fmt.Sprintf("shared=%t", shared), func(b *testing.B) {
			var wall time.Duration
			var sent, throttled int64
			for b.Loop() {
				dir := ""
				if shared {
					dir = b.TempDir()
				}
				w, _, s, t := pacedRun(b, c, procs, reads, items, rate, latency, dir)
				wall += w
				sent += s
				throttled += t
			}
			reportPaced(b, rate, wall, sent, throttled)
		})
	}
}

// reportPaced reports the b.N runs' wall time over the limit's minimum
// (the requests the limit accepted / rate), the share of requests
// throttled, and the throttled requests per run.
func reportPaced(b *testing.B, rate float64, wall time.Duration, sent, throttled int64) {
	n := float64(b.N)
	minimum := float64(sent-throttled) / n / rate
	b.ReportMetric(wall.Seconds()/n/minimum, "x-minimum")
	b.ReportMetric(100*float64(throttled)/float64(sent), "%throttled")
	b.ReportMetric(float64(throttled)/n, "throttled/run")
}

// pacedRun runs reads reads of c at once on each of procs provider
// servers (configured alike, as the processes of several provider blocks
// would be) against a fresh emulator, their pacers sharing their state
// files in pacingDir (empty: each paces on its own), and returns the wall
// time until the last read ended, the time of the last throttling answer
// (from the start), and the list requests sent and throttled.
func pacedRun(b *testing.B, c readCase, procs, reads, items, rate int, latency time.Duration, pacingDir string) (wall, lastThrottle time.Duration, sent, throttled int64) {
	b.Helper()
	emu, err := emulator.New(emulator.Options{Data: emulator.Generate(emulator.DefaultSeed, c.sizes(items)),
		Faults: emulator.Faults{Latency: latency, RateLimit: rate}})
	if err != nil {
		b.Fatal(err)
	}
	var start time.Time
	var last atomic.Int64
	h := emu.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		// The throttling answers: Huawei's 429, Alibaba's 400 (no other
		// 400 is answered here).
		if sw.status == http.StatusTooManyRequests || sw.status == http.StatusBadRequest {
			last.Store(int64(time.Since(start)))
		}
	}))
	defer hs.Close()
	ctx := context.Background()
	getenv := func(k string) string {
		if k == transport.PacingDirEnv {
			return pacingDir
		}
		return ""
	}
	servers := make([]tfprotov6.ProviderServer, procs)
	cfgs := make([]tfprotov6.DynamicValue, procs)
	for i := range servers {
		servers[i] = provider.NewServer("bench", provider.WithGetenv(getenv))()
		_, _, cfgs[i] = configure(b, servers[i], c, hs.URL, 0)
	}
	start = time.Now()
	var wg sync.WaitGroup
	for i, srv := range servers {
		for range reads {
			wg.Go(func() {
				r, err := srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: c.typeName, Config: &cfgs[i]})
				if err != nil || acctest.DiagError(r.Diagnostics) != nil {
					b.Error(err, acctest.DiagError(r.Diagnostics))
				}
			})
		}
	}
	wg.Wait()
	wall = time.Since(start)
	return wall, time.Duration(last.Load()), int64(emu.Requests(c.api)), int64(emu.Throttled(c.api))
}

// statusWriter records the status an answer was given.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
