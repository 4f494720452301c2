package examplestest

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// fixtureURL is the emulator address the test files name (make
// emulator's default); the test replaces it with its own emulator's.
const fixtureURL = "http://127.0.0.1:8787"

// mockRecordsError is what Terraform answers a list of records in
// override_data (hashicorp/terraform#37939), as the examples document.
const mockRecordsError = "incompatible types; expected object type, found tuple"

// isOpenTofu reports whether the CLI under test is OpenTofu (make
// testacc-tofu and make test without Terraform set TF_ACC_PROVIDER_HOST).
func isOpenTofu() bool { return acctest.ProviderHost() == "registry.opentofu.org" }

// runBlocks counts the run blocks of the test files of dir the CLI reads:
// *.tftest.hcl, and with OpenTofu also *.tofutest.hcl (which then replace
// a .tftest.hcl of the same name).
func runBlocks(t *testing.T, dir string) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tftest.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if isOpenTofu() {
		tofu, err := filepath.Glob(filepath.Join(dir, "*.tofutest.hcl"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range tofu {
			shadowed := strings.TrimSuffix(f, ".tofutest.hcl") + ".tftest.hcl"
			for i, g := range files {
				if g == shadowed {
					files = append(files[:i], files[i+1:]...)
					break
				}
			}
		}
		files = append(files, tofu...)
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n += len(regexp.MustCompile(`(?m)^run "`).FindAll(b, -1))
	}
	return n
}

// copyWithTests copies examples/rel's .tf and test files into a new
// directory, the emulator's address in the test files replaced by url.
func copyWithTests(t *testing.T, rel, url string) string {
	t.Helper()
	dir := copyExample(t, rel)
	src := filepath.Join(repoRoot, "examples", filepath.FromSlash(rel))
	for _, pattern := range []string{"*.tftest.hcl", "*.tofutest.hcl"} {
		files, err := filepath.Glob(filepath.Join(src, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, filepath.Base(f)), strings.ReplaceAll(string(b), fixtureURL, url))
		}
	}
	return dir
}

// Every policy check (each directory under examples/policy-checks, the
// ephemeral forms included) has a terraform test file that runs against the
// emulator serving examples/policy-checks/fixture.json, and every test
// file of the examples passes: `terraform test` (or `tofu test`) in a copy
// of the directory, with the provider under a dev override and no
// terraform init, as examples/policy-checks/README.md says to run them.
// Under Terraform, the list-of-records override of the OpenTofu-only test
// file fails with the error the documentation names.
func TestAccPolicyCheckTestFiles(t *testing.T) {
	tf := terraformCLI(t)
	rc := cliConfig(t)
	data, err := emulator.LoadFixture(filepath.Join(repoRoot, "examples", "policy-checks", "fixture.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := acctest.Emulator(t, emulator.Options{Data: data})
	env := cliEnv(rc)

	var checks []string
	for _, d := range exampleDirs(t) {
		if pc, ok := strings.CutPrefix(d, "policy-checks/"); ok {
			checks = append(checks, pc)
		}
	}
	for _, pc := range policyChecks {
		if !slices.Contains(checks, pc) {
			t.Errorf("examples/policy-checks/%s: missing", pc)
		}
	}
	for _, pc := range checks {
		t.Run(pc, func(t *testing.T) {
			t.Parallel()
			rel := "policy-checks/" + pc
			if _, err := os.Stat(filepath.Join(repoRoot, "examples", rel, path.Base(pc)+".tftest.hcl")); err != nil {
				t.Fatalf("examples/%s: no test file against the emulator: %v", rel, err)
			}
			dir := copyWithTests(t, rel, srv.URL())
			want := runBlocks(t, dir)
			out, err := runCLI(t, tf, dir, env, "test", "-no-color")
			if err != nil || !strings.Contains(out, fmt.Sprintf("Success! %d passed, 0 failed.", want)) {
				t.Fatalf("test examples/%s: want %d runs passed: %v\n%s", rel, want, err, out)
			}
		})
	}

	t.Run("hardening-script/records-mock-under-terraform", func(t *testing.T) {
		if isOpenTofu() {
			t.Skip("OpenTofu runs mocked-records.tofutest.hcl itself (above)")
		}
		t.Parallel()
		dir := copyExample(t, "policy-checks/hardening-script")
		b, err := os.ReadFile(filepath.Join(repoRoot, "examples", "policy-checks", "hardening-script", "mocked-records.tofutest.hcl"))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "records.tftest.hcl"), string(b))
		out, err := runCLI(t, tf, dir, env, "test", "-no-color")
		if err == nil || !strings.Contains(strings.Join(strings.Fields(out), " "), mockRecordsError) {
			t.Fatalf("Terraform took a list of records in override_data (update examples/policy-checks/README.md "+
				"and mocked-records.tofutest.hcl): err %v\n%s", err, out)
		}
	})
}
