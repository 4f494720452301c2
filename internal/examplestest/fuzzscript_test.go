package examplestest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFuzzScript: scripts/fuzz.sh (make fuzz) runs a fuzz target once
// more when Go's fuzz coordinator failed it only by its time-limit race
// (go.dev/issue/75804: a bare "context deadline exceeded", no failing
// input), and fails on a second such run, on a finding and on any other
// failure. A fake go command plays each run.
func TestFuzzScript(t *testing.T) {
	const race = "fuzz: elapsed: 2s, execs: 9 (0/sec)\n--- FAIL: FuzzA (2.06s)\n    context deadline exceeded\nFAIL\nexit status 1\n"
	const finding = "--- FAIL: FuzzA (0.10s)\n    --- FAIL: FuzzA (0.00s)\n        a_test.go:12: boom\n" +
		"    context deadline exceeded\n    Failing input written to testdata/fuzz/FuzzA/abc\nFAIL\n"
	const pass = "PASS\nok  \tpkg\t2.0s\n"
	for _, tc := range []struct {
		name  string
		runs  []string // what each go test run prints; "" passes
		calls int      // runs the script makes
		ok    bool
	}{
		{"passes", []string{pass, pass}, 2, true},
		{"race then pass", []string{race, pass, pass}, 3, true},
		{"race twice", []string{race, race}, 2, false},
		{"finding", []string{finding}, 1, false},
		{"other failure", []string{"--- FAIL: FuzzA (0.01s)\n    a_test.go:3: wrong\nFAIL\n"}, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for i, out := range tc.runs {
				rc := 0
				if strings.Contains(out, "FAIL") {
					rc = 1
				}
				script := "cat <<'OUT'\n" + out + "OUT\nexit " + string(rune('0'+rc)) + "\n"
				if err := os.WriteFile(filepath.Join(dir, "run"+string(rune('1'+i))), []byte(script), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			fakeGo := filepath.Join(dir, "go")
			if err := os.WriteFile(fakeGo, []byte("#!/bin/sh\nn=$(($(cat \"$0.n\" 2>/dev/null || echo 0) + 1))\necho $n >\"$0.n\"\n"+
				"[ -f \""+dir+"/run$n\" ] || { echo \"unexpected run $n\"; exit 3; }\nexec sh \""+dir+"/run$n\"\n"), 0o700); err != nil { //nolint:gosec // an executable of the test's own
				t.Fatal(err)
			}
			cmd := exec.Command("bash", filepath.Join(repoRoot, "scripts", "fuzz.sh"), "2s", "./a:FuzzA", "./b:FuzzB")
			cmd.Env = append(os.Environ(), "GO="+fakeGo)
			out, err := cmd.CombinedOutput()
			if (err == nil) != tc.ok {
				t.Fatalf("exit %v, want ok=%v:\n%s", err, tc.ok, out)
			}
			n, _ := os.ReadFile(fakeGo + ".n")
			if calls := strings.TrimSpace(string(n)); calls != string(rune('0'+tc.calls)) {
				t.Fatalf("%s runs, want %d:\n%s", calls, tc.calls, out)
			}
			if tc.ok {
				for _, line := range strings.Split(string(out), "\n") {
					if strings.HasPrefix(line, "FAIL") || strings.HasPrefix(line, "--- FAIL") {
						t.Fatalf("a run retried shows the line %q unindented (CI counts it as a failure):\n%s", line, out)
					}
				}
			}
		})
	}
}
