package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/provider"
)

// openSizes are the item counts of an open in BenchmarkOpen.
var openSizes = []int{1000, 10000}

// BenchmarkOpen opens each data source's ephemeral twin at 1k and 10k
// items, two ways, beside BenchmarkRead's protocol reads of the same
// data:
//
//   - protocol: through the server main serves (provider.NewServer),
//     which answers OpenEphemeralResource below the framework
//     (readserver.NewProtocol6);
//   - framework: through the plugin framework's own server, which after
//     Open walks the whole result to turn null blocks into empty ones
//     (there are none) before encoding it.
//
// The answers are recorded and replayed as in BenchmarkRead. Audit logs
// open at 1k and 9,950, the most one SecMaster query serves.
func BenchmarkOpen(b *testing.B) {
	servers := []struct {
		name string
		srv  func() tfprotov6.ProviderServer
	}{
		{"protocol", provider.NewServer("bench", provider.WithGetenv(func(string) string { return "" }))},
		{"framework", providerserver.NewProtocol6(provider.New("bench", provider.WithGetenv(func(string) string { return "" }))())},
	}
	for _, c := range readCases {
		for _, n := range c.served(openSizes) {
			for _, s := range servers {
				b.Run(fmt.Sprintf("%s/n=%d/%s", c.name, n, s.name), func(b *testing.B) {
					r := newReaderWith(b, c, n, 0, s.srv())
					r.read(b, true) // the recording read, checked
					r.check(b, r.open(b))
					PerItem(b, n, func() { r.open(b) })
				})
			}
		}
	}
}

// TestOpenHarness: the benchmark's opens find every generated item, from
// the recording (small sizes: this runs with go test).
func TestOpenHarness(t *testing.T) {
	for _, c := range readCases {
		t.Run(c.name, func(t *testing.T) {
			r := newReader(t, c, 400, 0)
			r.read(t, true)
			before := r.replay.forwarded
			r.check(t, r.open(t))
			if r.replay.forwarded != before && !live() {
				t.Fatalf("the open sent %d requests to the emulator; want all from the recording", r.replay.forwarded-before)
			}
		})
	}
}

// open opens the data source's ephemeral twin (its configuration is the
// data source's: the types are the same) and returns its result.
func (r *reader) open(tb testing.TB) *tfprotov6.DynamicValue {
	resp, err := r.srv.OpenEphemeralResource(context.Background(), &tfprotov6.OpenEphemeralResourceRequest{
		TypeName: r.c.typeName, Config: &r.config,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := acctest.DiagError(resp.Diagnostics); err != nil {
		tb.Fatal(err)
	}
	return resp.Result
}
