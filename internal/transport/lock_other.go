//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package transport

import (
	"errors"
	"os"
)

// errNoLock: this system has no advisory lock the provider uses; its
// processes pace on their own.
var errNoLock = errors.New("no advisory file lock on this system")

func lockFile(*os.File) (bool, error) { return false, errNoLock }

func unlockFile(*os.File) error { return errNoLock }
