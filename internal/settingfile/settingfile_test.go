package settingfile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readFast reads path through Read and fails the test when Read takes
// longer than a second: nothing here may block.
func readFast(t *testing.T, path string) ([]byte, error) {
	t.Helper()
	start := time.Now()
	b, err := Read(t.Context(), "ca_cert_file", path)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("Read(%s) took %s", path, d)
	}
	return b, err
}

func TestReadRegularFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ca.pem")
	want := strings.Repeat("x", MaxBytes)
	if err := os.WriteFile(path, []byte(want), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := readFast(t, path)
	if err != nil || string(b) != want {
		t.Fatalf("%d bytes, error %v; want the whole file of %d", len(b), err, len(want))
	}
}

// TestReadRefusesLargeFiles: a file of MaxBytes + 1 (sparse: nothing is
// written) is refused before it is read.
func TestReadRefusesLargeFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(10 << 30); err != nil { // 10 GiB, sparse
		t.Fatal(err)
	}
	_ = f.Close()
	b, err := readFast(t, path)
	if !errors.Is(err, ErrTooLarge) || b != nil || !strings.Contains(err.Error(), "reading ca_cert_file: "+path+" holds 10737418240 bytes") ||
		!strings.Contains(err.Error(), "1 MiB") {
		t.Fatalf("%d bytes, error %v; want ErrTooLarge naming the setting, the size and the limit", len(b), err)
	}
}

func TestReadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing")
	_, err := Read(t.Context(), "id_token_file (from the environment variable HW_ASSUME_ROLE_ID_TOKEN_FILE)", path)
	if !errors.Is(err, os.ErrNotExist) ||
		!strings.HasPrefix(err.Error(), "reading id_token_file (from the environment variable HW_ASSUME_ROLE_ID_TOKEN_FILE): ") {
		t.Fatalf("error %v", err)
	}
}

// TestReadEndsWithItsContext: a context that has ended reads nothing.
func TestReadEndsWithItsContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(t.Context())
	cause := errors.New("the read's time budget ran out")
	cancel(cause)
	if _, err := Read(ctx, "ca_cert_file", path); !errors.Is(err, cause) {
		t.Fatalf("error %v, want the context's cause", err)
	}
}

func TestExpandHome(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip(err)
	}
	if got := ExpandHome("~/a/b"); got != filepath.Join(home, "a", "b") {
		t.Errorf("ExpandHome(~/a/b) = %s", got)
	}
	if got := ExpandHome("/x/~/y"); got != "/x/~/y" {
		t.Errorf("ExpandHome(/x/~/y) = %s", got)
	}
}
