package examplestest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestAccReadmeFirstExample runs README.md's first example the way the
// README says a new user tries it: `make emulator` (the emulator command,
// its data ending when it starts), the export lines of its banner as the
// only provider settings, and the CLI with a dev override. The example's
// read finds records of the script it names in the last 24 hours.
func TestAccReadmeFirstExample(t *testing.T) {
	tf := terraformCLI(t)
	rc := cliConfig(t)

	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```hcl\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no hcl block")
	}
	example := string(m[1])
	names := regexp.MustCompile(`data "opsaudit_huaweicloud_workspace_script_execution_records" "(\w+)"`).FindStringSubmatch(example)
	script := regexp.MustCompile(`script_names\s*=\s*\["([^"]+)"\]`).FindStringSubmatch(example)
	if names == nil || script == nil {
		t.Fatalf("README.md's first example reads no script records by name:\n%s", example)
	}

	env := startEmulator(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.tf"), example+fmt.Sprintf(`
output "records" {
  value = data.opsaudit_huaweicloud_workspace_script_execution_records.%s.records
}
`, names[1]))
	cli := cliEnv(rc, env...)
	if out, err := runCLI(t, tf, dir, cli, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, out)
	}
	out, err := runCLI(t, tf, dir, cli, "output", "-json", "records")
	if err != nil {
		t.Fatalf("terraform output: %v\n%s", err, out)
	}
	var records []struct {
		ScriptName string `json:"script_name"`
		StartTime  string `json:"start_time"`
	}
	if err := json.Unmarshal([]byte(out), &records); err != nil {
		t.Fatalf("records: %v\n%s", err, out)
	}
	if len(records) == 0 {
		t.Fatalf("README.md's first example found no %q records against the emulator", script[1])
	}
	dayAgo := time.Now().Add(-25 * time.Hour)
	for _, r := range records {
		st, err := time.Parse(time.RFC3339, r.StartTime)
		if r.ScriptName != script[1] || err != nil || st.Before(dayAgo) {
			t.Errorf("record %+v: want script %q started in the last 24 hours", r, script[1])
		}
	}
}

// startEmulator builds and starts the emulator command as `make emulator`
// does (no flags but a free port) and returns the variables of the export
// lines its banner prints.
func startEmulator(t *testing.T) []string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "opsaudit-emulator")
	if out, err := exec.Command("go", "build", "-o", bin, repoRoot+"/cmd/opsaudit-emulator").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var env []string
	timeout := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("the emulator stopped before its banner ended")
			}
			if kv, found := strings.CutPrefix(strings.TrimSpace(line), "export "); found {
				env = append(env, kv)
			}
			if strings.Contains(line, "stop with Ctrl-C") {
				go func() {
					for range lines { //nolint:revive // drain the rest of the output
					}
				}()
				if len(env) == 0 {
					t.Fatal("the banner has no export lines")
				}
				return env
			}
		case <-timeout:
			t.Fatal("no banner from the emulator after 30 s")
		}
	}
}
