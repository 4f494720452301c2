//go:build unix

package settingfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadRefusesWhatIsNotARegularFile: a character device that never
// ends, a FIFO no one writes to, a directory, and a symbolic link to the
// device are refused at once, naming the setting and what the file is.
func TestReadRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	for path, what := range map[string]string{
		"/dev/zero": "a character device", fifo: "a named pipe (FIFO)", dir: "a directory", link: "a character device",
	} {
		b, err := readFast(t, path)
		if !errors.Is(err, ErrNotRegular) || b != nil {
			t.Errorf("%s: %d bytes, error %v; want ErrNotRegular", path, len(b), err)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "reading ca_cert_file: "+path+" is "+what) {
			t.Errorf("%s: error %q does not name the setting and what the file is", path, msg)
		}
	}
}
