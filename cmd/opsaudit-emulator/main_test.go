package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
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
	if len(d.ScriptRecords()) != 12 || len(d.ScreenRecords()["sr-0001"]) != 5 {
		t.Fatalf("fixture sizes: %d records, %d events", len(d.ScriptRecords()), len(d.ScreenRecords()["sr-0001"]))
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
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "stop with Ctrl-C") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit code %d: %s", code, errb.String())
	}
	banner := out.String()
	for _, want := range []string{
		// Export lines that alone point the provider at the emulator.
		"export HW_ACCESS_KEY=" + emulator.DemoHuaweiAccessKey, "export HW_SECRET_KEY=" + emulator.DemoHuaweiSecretKey,
		"export HW_REGION_NAME=" + emulator.DemoRegionHuawei,
		"export HW_ENDPOINT_IAM=" + base + "\n", "export HW_ENDPOINT_WORKSPACE=" + base + "\n", "export HW_ENDPOINT_SECMASTER=" + base + "\n",
		"export ALIBABA_CLOUD_ACCESS_KEY_ID=" + emulator.DemoAliAccessKey, "export ALIBABA_CLOUD_REGION=" + emulator.DemoRegionAli,
		"export ALIBABA_CLOUD_ENDPOINT_OOS=" + base + "\n",
		// A few values of every filter, the README's and the examples' among them.
		`"harden-desktop"`, `"install-agent"`, `"rg-01"`, `"desktop-0001"`, `"script-01"`, `"FAILED"`,
		`"sr-0001"`, `"APP_INSTALL"`, `"ALARM"`, `"ws-0001"`, `"PLAYBOOK"`, `"exec-0001"`, `"exec-0001.t0002"`, `"Output"`,
		// The time range, ending at the start.
		"ending at ", "(the emulator's start; -now pins it)", "start_time from ",
	} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
}

// TestNow: -now pins the end of the generated data; without it the data
// ends when the emulator starts.
func TestNow(t *testing.T) {
	dir := t.TempDir()
	// Every API's sizes, small: the flags and Generate's Sizes alike.
	small := emulator.Sizes{emulator.SizeScriptRecords: 30, emulator.SizeScreenRecords: 1, emulator.SizeEventsPerScreenRecord: 5,
		emulator.SizeWorkspaces: 1, emulator.SizeAuditLogsPerWorkspace: 12, emulator.SizeExecutions: 1, emulator.SizeLogsPerExecution: 7}
	sz := emulator.Sizes{}
	sizes := []string{"-seed", "4"}
	for _, f := range emulator.SizeFlags() {
		n, ok := small[f.Name]
		if !ok {
			n = max(1, f.Default/10)
		}
		sz[f.Name] = n
		sizes = append(sizes, "-"+f.Name, strconv.Itoa(n))
	}
	pinned := filepath.Join(dir, "pinned.json")
	var out, errb bytes.Buffer
	if code := run(t.Context(), append([]string{"-now", "2026-11-20T12:00:00Z", "-write-fixture", pinned}, sizes...), &out, &errb); code != 0 {
		t.Fatalf("code %d: %s", code, errb.String())
	}
	got, err := emulator.LoadFixture(pinned)
	if err != nil {
		t.Fatal(err)
	}
	want := emulator.Generate(4, sz)
	if !reflect.DeepEqual(got, want) {
		t.Error("-now 2026-11-20T12:00:00Z does not give Generate's data (DataEnd)")
	}

	before := time.Now().UTC().Truncate(time.Second)
	current := filepath.Join(dir, "now.json")
	if code := run(t.Context(), append([]string{"-write-fixture", current}, sizes...), &out, &errb); code != 0 {
		t.Fatalf("code %d: %s", code, errb.String())
	}
	after := time.Now().UTC()
	d, err := emulator.LoadFixture(current)
	if err != nil {
		t.Fatal(err)
	}
	newest, err := time.Parse(time.RFC3339, d.ScriptRecords()[0].StartTime)
	if err != nil || newest.After(after) || newest.Before(before.Add(-3*time.Hour)) {
		t.Errorf("without -now the newest record starts at %s (%v), want within the 3 hours before %s", d.ScriptRecords()[0].StartTime, err, after.Format(time.RFC3339))
	}

	for _, args := range [][]string{
		{"-now", "yesterday"},
		{"-now", "2026-11-20 12:00:00"},
		{"-now", "2026-11-20T12:00:00Z", "-fixture", pinned},
	} {
		errb.Reset()
		if code := run(t.Context(), args, &out, &errb); code != 2 || !strings.Contains(errb.String(), "-now") {
			t.Errorf("%q: code %d, stderr %q", args, code, errb.String())
		}
	}
}

// TestTLS: -tls-addr serves the same emulator over HTTPS, with a CA made
// at start that the banner prints and -ca-file writes; a client trusting
// that CA alone reaches it.
func TestTLS(t *testing.T) {
	dir := t.TempDir()
	urlFile, caFile := filepath.Join(dir, "url"), filepath.Join(dir, "ca.pem")
	ctx, cancel := context.WithCancel(t.Context())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-tls-addr", "127.0.0.1:0", "-ca-file", caFile, "-url-file", urlFile}, &out, &errb)
	}()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "stop with Ctrl-C") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	banner := out.String()
	_, rest, ok := strings.Cut(banner, "HTTPS: the same services at ")
	httpsURL, _, _ := strings.Cut(rest, ",")
	if !ok || !strings.HasPrefix(httpsURL, "https://127.0.0.1:") {
		t.Fatalf("banner without the HTTPS URL:\n%s\n%s", banner, errb.String())
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(banner, string(pem)) {
		t.Error("the banner does not print the CA certificate written to -ca-file")
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("-ca-file holds no certificate: %s", pem)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(httpsURL + "/v3/projects")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned request over HTTPS: %d", resp.StatusCode)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit code %d: %s", code, errb.String())
	}
	var o, e bytes.Buffer
	if code := run(t.Context(), []string{"-addr", "127.0.0.1:0", "-ca-file", caFile}, &o, &e); code != 2 || !strings.Contains(e.String(), "-tls-addr") {
		t.Errorf("-ca-file without -tls-addr: code %d, %s", code, e.String())
	}
	if code := run(t.Context(), []string{"-addr", "127.0.0.1:0", "-tls-addr", "10.0.0.1:0"}, &o, &e); code == 0 {
		t.Error("a TLS address that is not loopback was accepted")
	}
}
