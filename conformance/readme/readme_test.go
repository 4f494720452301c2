package readme

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/conformance/internal/emutest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

var env *emutest.Env

func TestMain(m *testing.M) { emutest.Main(m, &env, nil) }

// marked returns the blocks of file between "// README:<name>" and
// "// README:end", by name, with one tab of indentation removed.
func marked(t *testing.T, file string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	name := ""
	var block []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "// README:end":
			out[name] = strings.Join(block, "\n")
			name, block = "", nil
		case strings.HasPrefix(trimmed, "// README:"):
			name = strings.TrimPrefix(trimmed, "// README:")
		case name != "":
			block = append(block, strings.TrimPrefix(line, "\t"))
		}
	}
	return out
}

// readmeBlocks returns README.md's fenced Go blocks that follow a line
// "<!-- conformance:<name> -->", by name.
func readmeBlocks(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		name, ok := strings.CutPrefix(strings.TrimSpace(l), "<!-- conformance:")
		if !ok {
			continue
		}
		name = strings.TrimSuffix(name, " -->")
		if i+1 >= len(lines) || lines[i+1] != "```go" {
			t.Fatalf("README.md: the marker %q is not followed by a ```go block", name)
		}
		var block []string
		for _, c := range lines[i+2:] {
			if c == "```" {
				break
			}
			block = append(block, c)
		}
		out[name] = strings.Join(block, "\n")
	}
	return out
}

// stdout runs f and returns what it printed.
func stdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	func() {
		defer func() { os.Stdout = saved }()
		f()
	}()
	w.Close()
	return <-done
}

func TestREADMEExamples(t *testing.T) {
	code := marked(t, "examples_test.go")
	readme := readmeBlocks(t)
	for _, name := range []string{"huaweicloud", "alicloud"} {
		if code[name] == "" || readme[name] == "" {
			t.Fatalf("example %s: %d lines in examples_test.go, %d in README.md", name, strings.Count(code[name], "\n"), strings.Count(readme[name], "\n"))
		}
		if code[name] != readme[name] {
			t.Errorf("README.md's %s example is not the tested code:\nREADME:\n%s\ntested:\n%s", name, readme[name], code[name])
		}
	}
	data := env.Server.Data()
	failed := 0
	for _, r := range data.ScriptRecords() {
		if r.Status == "FAILED" && !r.History {
			failed++
		}
	}
	if got, want := stdout(t, func() { huaweiCloudExample(env.URL) }), fmt.Sprintln(failed, "failed script runs"); got != want {
		t.Errorf("the Huawei Cloud example printed %q, want %q", got, want)
	}
	if got, want := stdout(t, func() { aliCloudExample(env.Host) }), fmt.Sprintln(min(100, len(data.Executions()[emulator.ExecutionID(1)])), "logs"); got != want {
		t.Errorf("the Alibaba Cloud example printed %q, want %q", got, want)
	}
}
