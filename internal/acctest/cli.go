package acctest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// This file is for the tests that run the Terraform CLI itself, as a user
// does, on the provider built from this tree (the examples, the OPA
// recipe): which CLI, the dev_overrides configuration that makes it take
// the build, the environment of a run, and an API that cannot be reached.

// CLI is the CLI those tests run: TF_ACC_TERRAFORM_PATH (Terraform or
// OpenTofu; make test and make conformance set it), else terraform on
// PATH.
func CLI() (string, error) {
	if tf := os.Getenv("TF_ACC_TERRAFORM_PATH"); tf != "" {
		return tf, nil
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		return "", errors.New("terraform not found: set TF_ACC_TERRAFORM_PATH or put terraform on PATH (make test and make conformance do this)")
	}
	return tf, nil
}

// ProviderHost is the registry host the CLI resolves "opsaudit/opsaudit"
// to: registry.terraform.io, or TF_ACC_PROVIDER_HOST (OpenTofu:
// registry.opentofu.org).
func ProviderHost() string {
	if h := os.Getenv("TF_ACC_PROVIDER_HOST"); h != "" {
		return h
	}
	return "registry.terraform.io"
}

// DevOverride builds the provider of this tree into dir/bin and writes
// dir/cli.tfrc, a CLI configuration whose dev_overrides entry makes the
// CLI take that build for "opsaudit/opsaudit"; it returns the file's path
// (for TF_CLI_CONFIG_FILE).
func DevOverride(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "bin")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(bin, "terraform-provider-opsaudit"), //nolint:gosec // dir is the test's own directory
		"github.com/opsaudit/terraform-provider-opsaudit").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	rc := filepath.Join(dir, "cli.tfrc")
	return rc, os.WriteFile(rc, fmt.Appendf(nil, "provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
		ProviderHost()+"/opsaudit/opsaudit", bin), 0o600)
}

// DeadURL is a loopback URL nothing listens on (a port the kernel gave,
// closed again): an API that cannot be reached.
func DeadURL(t testing.TB) string {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// CLIEnv is the environment of a CLI run under the configuration rc: this
// process's, without any setting of the provider or of the CLI that could
// change the outcome, plus the loopback guard, the pacers' shared state
// in pacingDir (never in the user's cache directory), and extra.
func CLIEnv(rc, pacingDir string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "HW_") || strings.HasPrefix(name, "ALIBABA_CLOUD_") || strings.HasPrefix(name, "ALICLOUD_") ||
			strings.HasPrefix(name, "TF_VAR_") || strings.HasPrefix(name, "TF_CLI_") || name == "TF_WORKSPACE" || name == "TF_DATA_DIR" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		transport.EnvLoopbackOnly+"=1", transport.PacingDirEnv+"="+pacingDir)
	return append(env, extra...)
}
