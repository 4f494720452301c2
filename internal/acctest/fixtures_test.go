package acctest

import (
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// Every data source of the catalog has an emulator fixture, and every
// fixture is of a data source of the catalog; a missing one is named.
func TestFixturesCoverTheCatalog(t *testing.T) {
	all := emulator.Fixtures()
	got, err := fixtures(catalog.TypeNames(), all)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range got {
		if f.TypeName != catalog.TypeNames()[i] {
			t.Errorf("fixture %d is %s, want catalog order", i, f.TypeName)
		}
	}
	if _, err := fixtures(append(catalog.TypeNames(), "opsaudit_new_api"), all); err == nil || !strings.Contains(err.Error(), "opsaudit_new_api") {
		t.Errorf("a data source without a fixture: %v, want an error naming it", err)
	}
	if _, err := fixtures(catalog.TypeNames()[1:], all); err == nil || !strings.Contains(err.Error(), catalog.TypeNames()[0]) {
		t.Errorf("a fixture without a data source: %v, want an error naming it", err)
	}
}

// Every fixture's read has as many items as its sizes say, each with its
// key, and Mark marks the first of them.
func TestFixturesHaveItems(t *testing.T) {
	for _, f := range Fixtures() {
		d := emulator.Generate(emulator.DefaultSeed, f.Sizes(f.Pages))
		want := Expected(f, d)
		if len(want) != f.Pages {
			t.Errorf("%s: %d items in a dataset of Sizes(%d)", f.Name, len(want), f.Pages)
		}
		for i, item := range want {
			if k, _ := item[f.Key].(string); k == "" {
				t.Errorf("%s: item %d has no %s", f.Name, i, f.Key)
				break
			}
		}
		f.Mark(d, "marker")
		marked := false
		for _, v := range Expected(f, d)[0] {
			marked = marked || v == "marker"
		}
		if !marked {
			t.Errorf("%s: Mark left the first item unmarked", f.Name)
		}
	}
}
