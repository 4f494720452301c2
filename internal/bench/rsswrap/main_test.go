//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRun: the command's exit status is returned, and each run appends one
// positive peak resident set to the file.
func TestRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rss")
	var stderr bytes.Buffer
	if code := run([]string{"/bin/sh", "-c", "exit 3"}, out, &stderr); code != 3 {
		t.Fatalf("exit status %d, want 3 (%s)", code, stderr.String())
	}
	if code := run([]string{"/bin/sh", "-c", "true"}, out, &stderr); code != 0 {
		t.Fatalf("exit status %d, want 0 (%s)", code, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(b))
	if len(lines) != 2 {
		t.Fatalf("%d lines recorded, want 2: %q", len(lines), b)
	}
	for _, l := range lines {
		if kb, err := strconv.ParseInt(l, 10, 64); err != nil || kb <= 0 {
			t.Errorf("recorded %q, want a positive number of KiB", l)
		}
	}
	if code := run([]string{filepath.Join(t.TempDir(), "missing")}, "", &stderr); code != 127 {
		t.Errorf("a missing command: exit status %d, want 127", code)
	}
	if code := run(nil, "", &stderr); code != 2 {
		t.Errorf("no command: exit status %d, want 2", code)
	}
}
