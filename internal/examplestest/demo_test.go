package examplestest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
)

// TestDemoReadsEachCloud: make demo reads records of each cloud the
// catalog has a data source of (examples/demo/main.tf), as README.md
// says. It need not read every data source: internal/catalog's tests
// read each one through Terraform against the emulator.
func TestDemoReadsEachCloud(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "examples", "demo", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]bool{}
	for _, d := range catalog.All() {
		cloud := d.Doc().Cloud
		read[cloud] = read[cloud] || strings.Contains(string(b), `data "`+d.Spec().TypeName+`" "`)
	}
	for cloud, ok := range read {
		if !ok {
			t.Errorf("examples/demo/main.tf reads no data source of %s", cloud)
		}
	}
}
