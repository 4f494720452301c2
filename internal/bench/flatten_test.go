package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// flattenSizes are the item counts of BenchmarkFlatten.
var flattenSizes = []int{1000, 10000}

// BenchmarkFlatten compares the two ways of turning decoded items into
// state, for every data source of the catalog, in the same run: the fast
// path Read uses (the declaration's fields as the converter,
// tfvalue.State: listread.Decoded.State) and the framework's reflection
// path (tagged structs, tfsdk.State.Set: acctest.Reflection) as the
// baseline. The items are the emulator's (acctest.ItemsJSON), decoded
// before the timed loop on both sides: neither includes the requests or
// the JSON decoding. Both include building the status counts where the
// data source has them. Each pair prints a RATIO line.
func BenchmarkFlatten(b *testing.B) {
	for _, n := range flattenSizes {
		for _, f := range acctest.Fixtures() {
			benchFlatten(b, f, catalog.ByTypeName(f.TypeName), n)
		}
	}
}

func benchFlatten(b *testing.B, f emulator.Fixture, d listread.Declaration, n int) {
	items, err := acctest.ItemsJSON(f, emulator.DefaultSeed, n)
	if err != nil {
		b.Fatal(err)
	}
	typ := listread.DataSourceSchema(d).Type().TerraformType(context.Background()).(tftypes.Object)
	config := acctest.Object(typ, acctest.StringValues(f.Args))
	p, err := acctest.NewPaths(d, config, items)
	if err != nil {
		b.Fatal(err)
	}
	if p.Fast.Len() != n {
		b.Fatalf("%d items, want %d", p.Fast.Len(), n)
	}
	var fast, slow Result
	b.Run(fmt.Sprintf("%s/n=%d/fast", f.Name, n), func(b *testing.B) {
		fast = PerItem(b, n, func() {
			if _, err := p.FastState(config, "id"); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run(fmt.Sprintf("%s/n=%d/reflection", f.Name, n), func(b *testing.B) {
		slow = PerItem(b, n, func() {
			if _, err := p.SlowState("id"); err != nil {
				b.Fatal(err)
			}
		})
	})
	Ratio(fmt.Sprintf("%s n=%d", f.Name, n), fast, slow)
}
