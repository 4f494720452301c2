package examplestest

import (
	"bufio"
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
// only provider settings, and the CLI with a dev override. The example is
// a gate, and the emulator's data has FAILED runs of the script it names
// in the last 24 hours: `terraform plan` fails, its message naming the
// desktops. (TestAccGateExamples runs it on clean data and without an API
// too.)
func TestAccReadmeFirstExample(t *testing.T) {
	tf := terraformCLI(t)
	rc := cliConfig(t)

	example := readmeExample(t)
	script := regexp.MustCompile(`script_names\s*=\s*\["([^"]+)"\]`).FindStringSubmatch(example)
	if script == nil || !strings.Contains(example, "postcondition {") {
		t.Fatalf("README.md's first example is no gate over script records by name:\n%s", example)
	}

	env := startEmulator(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.tf"), example)
	out, err := runCLI(t, tf, dir, cliEnv(rc, env...), "plan", "-input=false", "-no-color")
	if err == nil || !conditionFailed.MatchString(out) {
		t.Fatalf("terraform plan: want the postcondition to fail it, got %v\n%s", err, out)
	}
	m := regexp.MustCompile(script[1] + ` FAILED (\d+) time\(s\) in the last 24 hours, e\.g\. on ([^.]+)\.`).FindStringSubmatch(flat(out))
	if m == nil || m[1] == "0" || !strings.HasPrefix(m[2], "wks-desk-") {
		t.Fatalf("the message does not name the failed runs' desktops:\n%s", out)
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
