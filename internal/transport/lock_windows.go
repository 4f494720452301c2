//go:build windows

package transport

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockOffset is where the byte locked is: one byte far past the state's end,
// since Windows' locks are mandatory for the range they cover.
const lockOffset = 1 << 30

// lockFile takes an exclusive lock (LockFileEx) on f without waiting; it
// reports false when another holds it. The lock belongs to the handle, so
// two opens in one process exclude each other too.
func lockFile(f *os.File) (bool, error) {
	ol := windows.Overlapped{Offset: lockOffset}
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION), errors.Is(err, windows.ERROR_IO_PENDING):
		return false, nil
	}
	return false, err
}

func unlockFile(f *os.File) error {
	ol := windows.Overlapped{Offset: lockOffset}
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ol)
}
