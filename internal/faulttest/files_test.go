//go:build unix

package faulttest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// hostileFiles are paths a file setting could name that must not be read:
// a device that never ends (/dev/zero: read whole, it took the plugin's
// memory until it crashed), a FIFO no one writes to (opened to read, it
// blocked the plan outside every deadline), a directory, and a regular
// file over the 1 MiB limit (2 MiB). want is what the error says of each.
func hostileFiles(t *testing.T) map[string]struct{ path, want string } {
	t.Helper()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.pem")
	if err := os.WriteFile(big, []byte(strings.Repeat("#", 2<<20)), 0o600); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	return map[string]struct{ path, want string }{
		"dev-zero":  {"/dev/zero", "/dev/zero is a character device, not a regular file"},
		"fifo":      {fifo, fifo + " is a named pipe (FIFO), not a regular file"},
		"directory": {sub, sub + " is a directory, not a regular file"},
		"2 MiB":     {big, big + " holds 2097152 bytes, over the size limit of 1048576 bytes (1 MiB)"},
	}
}

// TestCLI_fileSettings: every setting that names a file (ca_cert_file,
// both clouds' CLI profile files, both OIDC token files) pointed at
// /dev/zero, a FIFO, a directory or a 2 MiB file fails the plan within
// seconds, with an error naming the setting and what is wrong with the
// file. Run through the Terraform CLI with a time limit: a plan that hangs
// (the FIFO) is killed with its provider and fails the test.
func TestCLI_fileSettings(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{Data: smallData()})
	hw, ali := sourceFor(emulator.APIScriptRecords), sourceFor(emulator.APIExecutionLogs)
	u := srv.URL()
	settings := []struct {
		name   string
		config func(path string) string
		want   string // the setting as errors name it
	}{
		{"ca_cert_file", func(p string) string {
			return providerBlock(srv, nil, nil, "ca_cert_file = "+acctest.HCLString(p)) + hw.block
		}, "Invalid ca_cert_file"},
		{"shared_config_file", func(p string) string {
			return fmt.Sprintf(`provider "opsaudit" {
  huaweicloud {
    region             = %q
    project_id         = %q
    endpoints          = { iam = %q, workspace = %q }
    shared_config_file = %s
    profile            = "ci"
  }
  max_retries = 0
}
`, emulator.DemoRegionHuawei, srv.Data().Projects[emulator.DemoRegionHuawei], u, u, acctest.HCLString(p)) + hw.block
		}, "reading shared_config_file (HW_SHARED_CONFIG_FILE): "},
		{"shared_credentials_file", func(p string) string {
			return fmt.Sprintf(`provider "opsaudit" {
  alicloud {
    region                  = %q
    endpoints               = { oos = %q, sts = %q }
    shared_credentials_file = %s
    profile                 = "ci"
  }
  max_retries = 0
}
`, emulator.DemoRegionAli, u, u, acctest.HCLString(p)) + ali.block
		}, "reading shared_credentials_file (ALICLOUD_SHARED_CREDENTIALS_FILE, ALIBABA_CLOUD_CREDENTIALS_FILE, ALIBABA_CLOUD_CONFIG_FILE): "},
		{"id_token_file", func(p string) string {
			return fmt.Sprintf(`provider "opsaudit" {
  huaweicloud {
    region     = %q
    project_id = %q
    endpoints  = { iam = %q, workspace = %q }
    assume_role_with_oidc {
      idp_id        = %q
      id_token_file = %s
    }
  }
  max_retries = 0
}
`, emulator.DemoRegionHuawei, srv.Data().Projects[emulator.DemoRegionHuawei], u, u, emulator.DemoHuaweiIdpID, acctest.HCLString(p)) + hw.block
		}, "reading assume_role_with_oidc.id_token_file (HW_ASSUME_ROLE_ID_TOKEN_FILE, HUAWEICLOUD_SDK_ID_TOKEN_FILE) in the provider's huaweicloud block: "},
		{"oidc_token_file", func(p string) string {
			return fmt.Sprintf(`provider "opsaudit" {
  alicloud {
    region    = %q
    endpoints = { oos = %q, sts = %q }
    assume_role_with_oidc {
      oidc_provider_arn = %q
      role_arn          = "acs:ram::1234567890123456:role/opsaudit-ci"
      oidc_token_file   = %s
    }
  }
  max_retries = 0
}
`, emulator.DemoRegionAli, u, u, emulator.DemoAliOIDCProviderARN, acctest.HCLString(p)) + ali.block
		}, "reading assume_role_with_oidc.oidc_token_file (ALIBABA_CLOUD_OIDC_TOKEN_FILE) in the provider's alicloud block: "},
	}
	files := hostileFiles(t)
	for _, s := range settings {
		for name, f := range files {
			t.Run(s.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				w := newWorkdir(t, s.config(f.path))
				start := time.Now()
				out, err := w.runWithin(t, 90*time.Second, "plan", "-input=false", "-no-color")
				if err == nil {
					t.Fatalf("the plan passed:\n%s", out)
				}
				if d := time.Since(start); d > 60*time.Second {
					t.Errorf("the plan took %s to fail", d)
				}
				if !acctest.DiagnosticPattern(s.want, f.want).MatchString(out) {
					t.Errorf("the output does not say %q then %q:\n%s", s.want, f.want, out)
				}
			})
		}
	}
}

// runWithin runs terraform with args and kills it, with the provider it
// started (its process group), when it has not finished within d.
func (w *workdir) runWithin(t *testing.T, d time.Duration, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	defer cancel()
	cmd := w.command(nil, args...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.String(), err
	case <-ctx.Done():
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if err := <-done; err == nil {
			t.Logf("terraform ended by itself as it was killed")
		}
		t.Fatalf("terraform %s did not finish within %s (killed):\n%s", strings.Join(args, " "), d, out.String())
		return "", nil
	}
}
