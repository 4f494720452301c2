package examplestest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
)

// TestDemoReadsEveryDataSource: make demo reads every data source of the
// catalog, as README.md says it does (examples/demo/main.tf).
func TestDemoReadsEveryDataSource(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "examples", "demo", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range catalog.TypeNames() {
		if !strings.Contains(string(b), `data "`+name+`" "`) {
			t.Errorf("examples/demo/main.tf does not read %s", name)
		}
	}
}

// TestReadmeListsEveryDataSource: README.md's table of data sources has
// a row for every data source of the catalog.
func TestReadmeListsEveryDataSource(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range catalog.TypeNames() {
		if !strings.Contains(string(b), "\n| `"+name+"` | ") {
			t.Errorf("README.md's table of data sources has no row for %s", name)
		}
	}
}
