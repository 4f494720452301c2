package faulttest_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// The Terraform CLI driven as a user drives it: a provider binary built
// from this tree, found through a dev_overrides CLI configuration in a
// temporary directory (never ~/.terraformrc), no terraform init.

// buildDir holds the provider binary, built once per test binary, and
// rc the CLI configuration whose dev_overrides entry points at it.
var (
	buildDir  string
	rc        string
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

// terraformCLI returns the CLI (acctest.CLI) and the CLI configuration
// that makes it take a provider binary built once from this tree
// (acctest.DevOverride); it skips the test under -short.
func terraformCLI(t *testing.T) (tf, config string) {
	t.Helper()
	if testing.Short() {
		t.Skip("needs the Terraform CLI and a provider build; run by make test")
	}
	tf, err := acctest.CLI()
	if err != nil {
		t.Fatal(err)
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "opsaudit-faulttest-") //nolint:usetesting // shared by every test of the binary; removed by TestMain
		if buildErr != nil {
			return
		}
		rc, buildErr = acctest.DevOverride(context.Background(), buildDir)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return tf, rc
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

// newWorkdir writes main.tf (the required_providers block is added), run
// under the CLI configuration that overrides the provider with the build.
func newWorkdir(t *testing.T, config string, env ...string) *workdir {
	t.Helper()
	tf, rc := terraformCLI(t)
	dir := t.TempDir()
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
