package catalog_test

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// What every data source of the catalog does alike, through Terraform
// against the emulator: every page read and every item compared with the
// dataset, max_items below a page and above the total, deterministic ids,
// and the bound on page requests in flight. What a data source does of
// its own (filters, request shapes, its errors) is tested beside its
// declaration; the faults every data source must survive or refuse are
// internal/faulttest's.

// accSource is a data source of the catalog with its emulator fixture.
type accSource struct {
	f       emulator.Fixture
	counted bool // has total_count (offset paged)
}

func accSources() []accSource {
	var out []accSource
	for _, f := range acctest.Fixtures() {
		out = append(out, accSource{f: f, counted: catalog.ByTypeName(f.TypeName).Spec().TotalCount != ""})
	}
	return out
}

func (s accSource) addr(name string) string { return "data." + s.f.TypeName + "." + name }

// block is a data block of s named name reading its fixture's parent, with
// extra arguments (HCL expressions).
func (s accSource) block(name string, extra map[string]string) string {
	b := strings.TrimSuffix(acctest.Block(s.f, name, s.f.Args), "}\n")
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		b += fmt.Sprintf("  %s = %s\n", k, extra[k])
	}
	return b + "}\n"
}

// checks expect block name of s to hold want out of total matches.
func (s accSource) checks(name string, want []map[string]any, total int) []statecheck.StateCheck {
	return acctest.ExpectRead(s.f.TypeName, s.addr(name), want, total)
}

// TestAccCatalog_pagesAndMaxItems: every data source reads every page of
// its fixture's parent (two or three pages), each item compared with the
// dataset; max_items below a page takes one request, the first items, and
// total_count still counts every match; max_items above the total reads
// every page again, nothing more.
func TestAccCatalog_pagesAndMaxItems(t *testing.T) {
	t.Parallel()
	sources := accSources()
	data := emulator.Generate(11, acctest.FixtureSizes(func(f emulator.Fixture) int { return f.Pages }))
	srv := acctest.Emulator(t, emulator.Options{Data: data})
	requests := map[string]int{} // by API, for a read of every page
	// step reads every data source with maxItems of it (0: unset) and
	// expects what want says of its items, then what last says.
	step := func(maxItems func(accSource) int, want func(s accSource, all []map[string]any) []statecheck.StateCheck, last statecheck.StateCheck) resource.TestStep {
		var config strings.Builder
		config.WriteString(acctest.ProviderConfig(srv))
		var checks []statecheck.StateCheck
		for _, s := range sources {
			extra := map[string]string{}
			if n := maxItems(s); n > 0 {
				extra["max_items"] = strconv.Itoa(n)
			}
			config.WriteString(s.block("x", extra))
			all := acctest.Expected(s.f, data)
			if len(all) != s.f.Pages {
				t.Fatalf("%s: %d items, want the fixture's %d", s.f.Name, len(all), s.f.Pages)
			}
			checks = append(checks, want(s, all)...)
		}
		return resource.TestStep{PreConfig: srv.ResetCounters, Config: config.String(), ConfigStateChecks: append(checks, last)}
	}
	every := func(s accSource, all []map[string]any) []statecheck.StateCheck { return s.checks("x", all, len(all)) }
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{
			step(func(accSource) int { return 0 }, every, acctest.CheckFunc(func() error {
				for _, s := range sources {
					if requests[s.f.API] = srv.Requests(s.f.API); requests[s.f.API] < 2 {
						return fmt.Errorf("%s: %d requests; the fixture's %d items must take two pages or more", s.f.Name, requests[s.f.API], s.f.Pages)
					}
				}
				return nil
			})),
			step(func(accSource) int { return 7 }, func(s accSource, all []map[string]any) []statecheck.StateCheck {
				return s.checks("x", all[:7], len(all))
			},
				acctest.CheckFunc(func() error {
					for _, s := range sources {
						if n := srv.Requests(s.f.API); n != 1 {
							return fmt.Errorf("%s: %d requests for max_items = 7, want 1", s.f.Name, n)
						}
					}
					return nil
				})),
			// The largest max_items each data source takes.
			step(func(s accSource) int { return catalog.ByTypeName(s.f.TypeName).MaxItems() }, every, acctest.CheckFunc(func() error {
				for _, s := range sources {
					if n := srv.Requests(s.f.API); n != requests[s.f.API] {
						return fmt.Errorf("%s: %d requests with max_items above the total, %d without", s.f.Name, n, requests[s.f.API])
					}
				}
				return nil
			})),
		},
	})
}

// TestAccCatalog_deterministicIDs: the same arguments give the same id,
// in one configuration and across runs (the second step's plan after
// apply is empty, or the harness fails); other arguments, or another data
// source, another id.
func TestAccCatalog_deterministicIDs(t *testing.T) {
	t.Parallel()
	sources := accSources()
	srv := acctest.Emulator(t, emulator.Options{Data: emulator.Generate(11, acctest.FixtureSizes(func(f emulator.Fixture) int { return f.Pages }))})
	var config strings.Builder
	config.WriteString(acctest.ProviderConfig(srv))
	for _, s := range sources {
		config.WriteString(s.block("a", nil) + s.block("b", nil) + s.block("c", map[string]string{"max_items": "5"}))
	}
	// across compares a data source's id in the first run with the
	// second's.
	type adder interface {
		AddStateValue(string, tfjsonpath.Path) statecheck.StateCheck
	}
	across := map[string]adder{}
	for _, s := range sources {
		across[s.f.Name] = statecheck.CompareValue(compare.ValuesSame())
	}
	checks := func() []statecheck.StateCheck {
		var out []statecheck.StateCheck
		for i, s := range sources {
			out = append(out,
				across[s.f.Name].AddStateValue(s.addr("a"), tfjsonpath.New("id")),
				acctest.CompareIDs(s.addr("a"), s.addr("b"), compare.ValuesSame()),
				acctest.CompareIDs(s.addr("a"), s.addr("c"), compare.ValuesDiffer()))
			if i > 0 {
				out = append(out, acctest.CompareIDs(sources[i-1].addr("a"), s.addr("a"), compare.ValuesDiffer()))
			}
		}
		return out
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{
			{Config: config.String(), ConfigStateChecks: checks()},
			{Config: config.String(), ConfigStateChecks: checks()},
		},
	})
}

// TestAccCatalog_parallelism: max_parallel_requests bounds the page
// requests in flight of an offset-paged read, and the default reads
// several pages at once. Token-paged reads follow a chain, one page at a
// time.
func TestAccCatalog_parallelism(t *testing.T) {
	t.Parallel()
	sources := accSources()
	// Three times the fixture's pages: six to nine pages of each (the
	// first alone, the rest in parallel); a little latency so that
	// parallel requests overlap.
	data := emulator.Generate(11, acctest.FixtureSizes(func(f emulator.Fixture) int { return 3 * f.Pages }))
	var apis []string
	for _, s := range sources {
		apis = append(apis, s.f.API)
	}
	srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{APIs: apis, Latency: 50 * time.Millisecond}})
	step := func(setting string, lo, hi int) resource.TestStep {
		var config strings.Builder
		config.WriteString(acctest.ProviderConfig(srv, setting))
		var checks []statecheck.StateCheck
		for _, s := range sources {
			config.WriteString(s.block("x", nil))
			want := acctest.Expected(s.f, data)
			checks = append(checks, s.checks("x", want, len(want))...)
		}
		checks = append(checks, acctest.CheckFunc(func() error {
			for _, s := range sources {
				n := srv.MaxInFlight(s.f.API)
				want := [2]int{lo, hi}
				if !s.counted {
					want = [2]int{1, 1}
				}
				if n < want[0] || n > want[1] {
					return fmt.Errorf("%s (%q): %d requests in flight at most, want %d..%d", s.f.Name, setting, n, want[0], want[1])
				}
			}
			return nil
		}))
		return resource.TestStep{PreConfig: srv.ResetCounters, Config: config.String(), ConfigStateChecks: checks}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.Factories(0),
		Steps: []resource.TestStep{
			step("max_parallel_requests = 1", 1, 1),
			step("max_parallel_requests = 2", 2, 2),
			// The default, 16, is above the pages after the first: at
			// least two overlap (each request takes 50 ms at the
			// emulator), never more than there are pages to ask for.
			step("", 2, 8),
		},
	})
}
