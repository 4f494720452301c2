// Package examplestest runs the Terraform examples under examples/ the way
// a user would: with the Terraform CLI (or OpenTofu) and the provider
// binary built from this tree through a dev_overrides CLI configuration.
// Every example directory is validated; the policy checks (and the
// documentation's policy-check examples) are applied against the emulator
// on 127.0.0.1 and their verdicts asserted against its data.
package examplestest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
)

// repoRoot is the repository, relative to this package.
const repoRoot = "../.."

// dataSourceTypes are the provider's data sources.
var dataSourceTypes = catalog.TypeNames()

// policyChecks are the worked checks of examples/policy-checks.
var policyChecks = []string{"hardening-script", "desktop-events", "playbook-failures", "oos-errors"}

var (
	buildDir  string // made and removed by TestMain
	buildOnce sync.Once
	rcFile    string
	buildErr  error
)

// TestMain makes the directory the provider is built into (once, by the
// first test that needs it; shared by all) and removes it at the end.
func TestMain(m *testing.M) {
	var err error
	if buildDir, err = os.MkdirTemp("", "opsaudit-examples-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(buildDir)
	os.Exit(code)
}

// terraformCLI returns the CLI to run (acctest.CLI). Tests using it do
// not run with -short.
func terraformCLI(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("needs the Terraform CLI and a provider build; run by make test")
	}
	tf, err := acctest.CLI()
	if err != nil {
		t.Fatal(err)
	}
	return tf
}

// cliConfig builds the provider once per test binary and returns a CLI
// configuration file with a dev_overrides entry for it.
func cliConfig(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() { rcFile, buildErr = acctest.DevOverride(t.Context(), buildDir) })
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return rcFile
}

// cliEnv is the environment of a CLI run (acctest.CLIEnv), the pacers'
// shared state beside the CLI configuration, plus extra.
func cliEnv(rc string, extra ...string) []string {
	return acctest.CLIEnv(rc, filepath.Join(filepath.Dir(rc), "pacing"), extra...)
}

// runCLI runs the CLI in dir and returns its combined output.
func runCLI(t *testing.T, tf, dir string, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), tf, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.String(), err
}

// exampleDirs lists every directory under examples/ holding .tf files,
// relative to examples/.
func exampleDirs(t *testing.T) []string {
	t.Helper()
	root := filepath.Join(repoRoot, "examples")
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".terraform" || strings.HasPrefix(d.Name(), ".") && p != root) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".tf") {
			rel, err := filepath.Rel(root, filepath.Dir(p))
			if err != nil {
				return err
			}
			seen[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for d := range seen {
		dirs = append(dirs, d)
	}
	slices.Sort(dirs)
	return dirs
}

// copyExample copies the .tf files of examples/rel (not its
// subdirectories) into a new temporary directory.
func copyExample(t *testing.T, rel string) string {
	t.Helper()
	src := filepath.Join(repoRoot, "examples", filepath.FromSlash(rel))
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".tf") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dst, e.Name()), string(b))
	}
	return dst
}

// hasTerraformBlock reports whether the module in dir declares its
// required providers (the policy checks and the demo do; the
// documentation's snippets do not).
func hasTerraformBlock(t *testing.T, dir string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("required_providers")) {
			return true
		}
	}
	return false
}

const terraformBlock = `terraform {
  required_providers {
    opsaudit = {
      source = "opsaudit/opsaudit"
    }
  }
}
`

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Every example directory is a valid configuration: the CLI parses it and
// the provider validates every block of it (attribute names, types,
// enumerations, time formats) with unknown variables. The examples the
// documentation and the README point at are all there, and are formatted.
func TestAccExamplesValidate(t *testing.T) {
	tf := terraformCLI(t)
	rc := cliConfig(t)
	dirs := exampleDirs(t)

	want := []string{"demo", "provider", "provider/endpoints", "provider/temporary-credentials",
		"credentials/oidc-huaweicloud", "credentials/oidc-alicloud", "credentials/profiles", "credentials/assume-role",
		"credentials/ecs-instance-role", "credentials/ecs-agency-huaweicloud"}
	for _, ds := range dataSourceTypes {
		want = append(want, "data-sources/"+ds)
	}
	for _, pc := range policyChecks {
		want = append(want, "policy-checks/"+pc, "policy-checks/ephemeral/"+pc)
	}
	for _, w := range want {
		if !slices.Contains(dirs, w) {
			t.Errorf("examples/%s: missing (found %v)", w, dirs)
		}
	}

	if out, err := runCLI(t, tf, filepath.Join(repoRoot, "examples"), cliEnv(rc), "fmt", "-check", "-recursive", "-diff", "-no-color"); err != nil {
		t.Errorf("examples are not formatted (run make generate): %v\n%s", err, out)
	}

	for _, rel := range dirs {
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			dir := copyExample(t, rel)
			if !hasTerraformBlock(t, dir) {
				writeFile(t, filepath.Join(dir, "opsaudit_test_terraform.tf"), terraformBlock)
			}
			out, err := runCLI(t, tf, dir, cliEnv(rc), "validate", "-no-color")
			if err != nil || !strings.Contains(out, "The configuration is valid") {
				t.Fatalf("validate examples/%s: %v\n%s", rel, err, out)
			}
		})
	}
}

// The documentation has a page template for every data source, showing its
// basic example and its policy-check example where it has one, and the
// rendered page.
func TestDocsTemplatesCoverExamples(t *testing.T) {
	for _, ds := range dataSourceTypes {
		short := strings.TrimPrefix(ds, "opsaudit_")
		tmpl, err := os.ReadFile(filepath.Join(repoRoot, "templates", "data-sources", short+".md.tmpl"))
		if err != nil {
			t.Errorf("%s: %v", ds, err)
			continue
		}
		for _, f := range []string{"data-source.tf", "policy-check.tf"} {
			ref := fmt.Sprintf(`tffile "examples/data-sources/%s/%s"`, ds, f)
			_, err := os.Stat(filepath.Join(repoRoot, "examples", "data-sources", ds, f))
			switch {
			case f == "data-source.tf" && err != nil:
				t.Errorf("%s: %v", ds, err)
			case err == nil && !bytes.Contains(tmpl, []byte(ref)):
				t.Errorf("%s: the template does not include {{ %s }}", ds, ref)
			}
		}
		if !bytes.Contains(tmpl, []byte(".SchemaMarkdown")) {
			t.Errorf("%s: the template does not render the schema", ds)
		}
		page, err := os.ReadFile(filepath.Join(repoRoot, "docs", "data-sources", short+".md"))
		if err != nil {
			t.Errorf("%s: %v (run make generate)", ds, err)
			continue
		}
		if !bytes.Contains(page, []byte("# "+ds)) || !bytes.Contains(page, []byte("## Schema")) {
			t.Errorf("docs/data-sources/%s.md: no title or schema section (run make generate)", short)
		}
	}
	if _, err := os.Stat(filepath.Join(repoRoot, "docs", "index.md")); err != nil {
		t.Errorf("docs/index.md: %v (run make generate)", err)
	}
}

// checkResult is one entry of "checks" in `show -json`.
type checkResult struct {
	Address struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"address"`
	Status string `json:"status"`
}

// shown is what a test reads from `show -json` after an apply.
type shown struct {
	Values struct {
		Outputs map[string]struct {
			Value json.RawMessage `json:"value"`
		} `json:"outputs"`
	} `json:"values"`
	Checks []checkResult `json:"checks"`
}

// checkStatus returns the status of the check block named name.
func (s *shown) checkStatus(name string) string {
	for _, c := range s.Checks {
		if c.Address.Kind == "check" && c.Address.Name == name {
			return c.Status
		}
	}
	return "(no such check)"
}

// output decodes the output named name into v.
func (s *shown) output(t *testing.T, name string, v any) {
	t.Helper()
	o, ok := s.Values.Outputs[name]
	if !ok {
		t.Fatalf("no output %q", name)
	}
	if err := json.Unmarshal(o.Value, v); err != nil {
		t.Fatalf("output %s: %v (%s)", name, err, o.Value)
	}
}

// checkWarning matches the CLI's report of the failed check block name.
func checkWarning(name string) *regexp.Regexp {
	return regexp.MustCompile(`Check block assertion failed[\s\S]*?in check "` + regexp.QuoteMeta(name) + `"`)
}
