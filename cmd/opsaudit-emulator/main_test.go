package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// syncBuffer is a bytes.Buffer safe for the writer goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRejectsNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8787", ":8787", "10.0.0.1:8787"} {
		var out, errb bytes.Buffer
		if code := run(t.Context(), []string{"-addr", addr}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "loopback") {
			t.Errorf("-addr %s: code %d, stderr %q", addr, code, errb.String())
		}
	}
}

func TestWriteFixture(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.json")
	var out, errb bytes.Buffer
	if code := run(t.Context(), []string{"-write-fixture", path, "-seed", "3", "-script-records", "12", "-screen-records", "1", "-events", "5"}, &out, &errb); code != 0 {
		t.Fatalf("code %d: %s", code, errb.String())
	}
	d, err := emulator.LoadFixture(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.ScriptRecords) != 12 || len(d.ScreenRecords["sr-0001"]) != 5 {
		t.Fatalf("fixture sizes: %d records, %d events", len(d.ScriptRecords), len(d.ScreenRecords["sr-0001"]))
	}
	if code := run(t.Context(), []string{"-fixture", filepath.Join(t.TempDir(), "none.json")}, &out, &errb); code != 1 {
		t.Fatalf("missing fixture: code %d", code)
	}
}

func TestServeUntilCancelled(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(t.Context())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-url-file", urlFile}, &out, &errb) }()
	var base string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(urlFile); err == nil {
			base = strings.TrimSpace(string(b))
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("url file: %q (stderr %s)", base, errb.String())
	}
	resp, err := http.Get(base + "/v3/projects")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned request: %d", resp.StatusCode)
	}
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "Existing ids") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit code %d: %s", code, errb.String())
	}
	banner := out.String()
	for _, want := range []string{base, emulator.DemoHuaweiAccessKey, "HW_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID", "sr-0001", "ws-0001", "exec-0001"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
}
