package examplestest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindTofuExplainsFailure: when OpenTofu cannot be downloaded from
// its Go module, scripts/find-tofu.sh fails with the download's own error
// and the ways out (TOFU_BIN, an installed OpenTofu), not silently. The
// script runs with a PATH holding only the tools it uses (so no tofu) and
// GOPROXY=off (so nothing is fetched), for a version that is not cached.
func TestFindTofuExplainsFailure(t *testing.T) {
	bin := t.TempDir()
	for _, tool := range []string{"bash", "sed", "mktemp", "cat", "rm", "dirname", "mkdir", "go"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Fatalf("%s: %v", tool, err)
		}
		if err := os.Symlink(p, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name != "PATH" && name != "TOFU_BIN" && name != "TOFU_VERSION" && name != "GOPROXY" && name != "GOFLAGS" {
			env = append(env, kv)
		}
	}
	cmd := exec.CommandContext(t.Context(), filepath.Join(bin, "bash"), filepath.Join(repoRoot, "scripts", "find-tofu.sh"))
	env = append(env, "PATH="+bin, "GOPROXY=off", "TOFU_VERSION=0.0.1")
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err == nil || stdout.Len() != 0 {
		t.Fatalf("find-tofu.sh: err %v, stdout %q: want a failure and no path\n%s", err, stdout.String(), stderr.String())
	}
	for _, want := range []string{
		"could not download github.com/opentofu/opentofu@v0.0.1",
		"module lookup disabled by GOPROXY=off", // the download's own error
		"TOFU_BIN=/path/to/tofu",
		"https://opentofu.org/docs/intro/install/",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("find-tofu.sh says nothing of %q:\n%s", want, stderr.String())
		}
	}
}
