package acctest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// Fixtures are the emulator's fixtures (emulator.Fixtures) of every data
// source in the catalog, in catalog order. It panics naming a data source
// of the catalog without a fixture, or a fixture of a data source the
// catalog does not have: the suites that read every data source iterate
// it.
func Fixtures() []emulator.Fixture {
	out, err := fixtures(catalog.TypeNames(), emulator.Fixtures())
	if err != nil {
		panic(err)
	}
	return out
}

func fixtures(typeNames []string, all []emulator.Fixture) ([]emulator.Fixture, error) {
	out := make([]emulator.Fixture, 0, len(typeNames))
	for _, typeName := range typeNames {
		i := slices.IndexFunc(all, func(f emulator.Fixture) bool { return f.TypeName == typeName })
		if i < 0 {
			return nil, fmt.Errorf("no emulator fixture for %s: add one to its emulator plug-in (internal/emulator/api_*.go)", typeName)
		}
		out = append(out, all[i])
	}
	for _, f := range all {
		if !slices.Contains(typeNames, f.TypeName) {
			return nil, fmt.Errorf("emulator fixture %s is for a data source the catalog does not have", f.TypeName)
		}
	}
	return out, nil
}

// FixtureSizes are the sizes of a dataset holding every fixture's data of
// n(f) items.
func FixtureSizes(n func(f emulator.Fixture) int) emulator.Sizes {
	var sz emulator.Sizes
	for _, f := range Fixtures() {
		sz = sz.Max(f.Sizes(n(f)))
	}
	return sz
}

// Expected is what the read of f with its Args must hold from d, in the
// form ExpectObjects compares (see Objects).
func Expected(f emulator.Fixture, d *emulator.Dataset) []map[string]any {
	return Objects(f.TypeName, f.Items(d))
}

// ItemsJSON are the items a read of f with its Args returns from a
// dataset generated for n of them (with seed), as a JSON array: the
// emulator's items, whose JSON members are the API's (the state tests
// and the flattening benchmarks decode them with the declaration, as a
// read decodes a page).
func ItemsJSON(f emulator.Fixture, seed int64, n int) ([]byte, error) {
	return json.Marshal(f.Items(emulator.Generate(seed, f.Sizes(n))))
}

// HCLArgs are string arguments as the lines of a block's body, sorted by
// name.
func HCLArgs(args map[string]string) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(args)) {
		fmt.Fprintf(&b, "  %s = %s\n", name, HCLString(args[name]))
	}
	return b.String()
}

// Block is a data block of f's data source named name, with args.
func Block(f emulator.Fixture, name string, args map[string]string) string {
	return fmt.Sprintf("data %q %q {\n%s}\n", f.TypeName, name, HCLArgs(args))
}

// StringValues are string arguments as protocol values.
func StringValues(args ...map[string]string) map[string]tftypes.Value {
	out := map[string]tftypes.Value{}
	for _, m := range args {
		for k, v := range m {
			out[k] = tftypes.NewValue(tftypes.String, v)
		}
	}
	return out
}
