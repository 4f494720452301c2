//go:build !unix

package settingfile

import (
	"fmt"
	"os"
)

// open checks that path is a regular file before it opens it: without
// O_NONBLOCK, opening a named pipe could block. Between the check and the
// open the path could be replaced by one that blocks: Read's context
// still bounds the wait, and the descriptor is checked again after the
// open.
func open(path string) (*os.File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %s, %w: the provider reads only regular files", path, kind(info.Mode()), ErrNotRegular)
	}
	return os.Open(path) //nolint:gosec // G304: the user's own setting names the file
}
