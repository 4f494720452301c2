package readserver

import (
	"os/exec"
	"strings"
	"testing"
)

// TestFrameworkVersionIsTheCheckedOne fails when the module builds with
// another terraform-plugin-framework (or a replacement of it) than the one
// ReadDataSource was checked against; CheckedFrameworkVersion says what to
// re-read. The go command tells the version the build selects (test
// binaries carry no dependency list).
func TestFrameworkVersionIsTheCheckedOne(t *testing.T) {
	const module = "github.com/hashicorp/terraform-plugin-framework"
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}{{with .Replace}} => {{.Path}} {{.Version}}{{end}}", module).Output()
	if err != nil {
		t.Fatalf("go list -m %s: %v", module, err)
	}
	if version := strings.TrimSpace(string(out)); version != CheckedFrameworkVersion {
		t.Fatalf("%s is %q, but the direct-read server was checked against %s: re-read what "+
			"CheckedFrameworkVersion's comment lists, then update it", module, version, CheckedFrameworkVersion)
	}
}
