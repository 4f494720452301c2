package faulttest_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// The Terraform CLI driven as a user drives it: a provider binary built
// from this tree, found through a dev_overrides CLI configuration in a
// temporary directory (never ~/.terraformrc), no terraform init.

// buildDir holds the provider binary, built once per test binary.
var (
	buildDir  string
	buildOnce sync.Once
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// terraformCLI returns the Terraform CLI and a directory holding a
// provider binary built from this tree; it skips the test under -short.
func terraformCLI(t *testing.T) (tf, bin string) {
	t.Helper()
	if testing.Short() {
		t.Skip("needs the Terraform CLI and a provider build; run by make test")
	}
	tf = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("terraform not found: set TF_ACC_TERRAFORM_PATH or put terraform on PATH (make test does this)")
		}
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "opsaudit-faulttest-") //nolint:usetesting // shared by every test of the binary; removed by TestMain
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(buildDir, "terraform-provider-opsaudit"), ".")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return tf, buildDir
}

// workdir is a Terraform working directory with its CLI configuration and
// environment.
type workdir struct {
	tf  string
	dir string
	env []string
}

// cleanEnv is the test's environment without anything that would change
// what Terraform or the provider does: credentials of either cloud,
// Terraform logging and CLI settings.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "HW_"), strings.HasPrefix(name, "ALIBABA_CLOUD_"), strings.HasPrefix(name, "ALICLOUD_"),
			strings.HasPrefix(name, "TF_"):
			continue
		}
		out = append(out, kv)
	}
	return append(out, transport.EnvLoopbackOnly+"=1")
}

// newWorkdir writes main.tf (the required_providers block is added) and a
// CLI configuration overriding the provider with the built binary.
func newWorkdir(t *testing.T, config string, env ...string) *workdir {
	t.Helper()
	tf, bin := terraformCLI(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, "terraformrc")
	// The CLI resolves "opsaudit/opsaudit" on its default registry:
	// registry.terraform.io, or registry.opentofu.org for OpenTofu.
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	writeFile(t, rc, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "%s/opsaudit/opsaudit" = %q
  }
  direct {}
}
`, host, bin))
	work := filepath.Join(dir, "work")
	writeFile(t, filepath.Join(work, "main.tf"), `terraform {
  required_providers {
    opsaudit = { source = "opsaudit/opsaudit" }
  }
}
`+config)
	// The pacers' shared state in the test's directory, never in the
	// user's cache directory.
	e := append(cleanEnv(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		transport.PacingDirEnv+"="+filepath.Join(dir, "pacing"))
	return &workdir{tf: tf, dir: work, env: append(e, env...)}
}

// command is terraform args in the working directory, with extra
// environment variables.
func (w *workdir) command(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(w.tf, args...)
	cmd.Dir = w.dir
	cmd.Env = append(append([]string(nil), w.env...), env...)
	return cmd
}

// run runs terraform and returns its stdout, stderr and error.
func (w *workdir) run(env []string, args ...string) (string, string, error) {
	cmd := w.command(env, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// providerBlock is a provider block pointing every endpoint at srv, with
// the given lines inside the huaweicloud and alicloud blocks.
func providerBlock(srv *emulator.Server, huawei, ali []string, top ...string) string {
	return fmt.Sprintf(`
provider "opsaudit" {
  huaweicloud {
    region     = %[2]q
    project_id = %[3]q
    endpoints  = { iam = %[1]q, workspace = %[1]q, secmaster = %[1]q }
    %[4]s
  }
  alicloud {
    region    = %[5]q
    endpoints = { oos = %[1]q }
    %[6]s
  }
  %[7]s
}
`, srv.URL(), emulator.DemoRegionHuawei, srv.Data().Projects[emulator.DemoRegionHuawei],
		strings.Join(huawei, "\n    "), emulator.DemoRegionAli, strings.Join(ali, "\n    "), strings.Join(top, "\n  "))
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
