//go:build unix

package settingfile

import (
	"os"
	"syscall"
)

// open opens path to read with O_NONBLOCK, so that opening a FIFO (which
// blocks until a writer opens it) returns at once; Read then refuses it
// on the descriptor. O_NONBLOCK changes nothing for a regular file.
// O_NOCTTY keeps a terminal device from becoming the process's
// controlling terminal.
func open(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0) //nolint:gosec // G304: the user's own setting names the file
}
