// Package settingfile reads the files the provider's settings name: the
// CA bundle (ca_cert_file), OIDC token files (id_token_file,
// oidc_token_file) and the cloud CLIs' profile and credentials files.
// Every such file is read through Read, which reads regular files only,
// at most MaxBytes of them, and gives up when the read's context ends:
// a setting that names /dev/zero, a FIFO or a directory fails at once
// with an error naming the setting, instead of exhausting memory or
// blocking the plan outside every deadline.
package settingfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxBytes is the most a file named by a setting may hold. The largest
// real ones are CA bundles (the Mozilla bundle is about 220 KB) and CLI
// profile files with a few dozen profiles; an OIDC token is a few KB.
const MaxBytes = 1 << 20

// ErrNotRegular is the cause of a refused file that is not a regular file
// (a device, a FIFO, a socket, a directory).
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is the cause of a refused file over MaxBytes.
var ErrTooLarge = errors.New("over the size limit")

// Read returns the content of the regular file at path (a leading "~/"
// is the user's home directory). setting names where the path came from
// in errors, e.g. "ca_cert_file" or "id_token_file (from the environment
// variable HW_ASSUME_ROLE_ID_TOKEN_FILE)". A file that is not a regular
// file (ErrNotRegular) or holds more than MaxBytes (ErrTooLarge) is
// refused without reading it, and a read still going on when ctx ends is
// abandoned with ctx's error.
//
// The file is opened without blocking (open.go) and checked on the open
// descriptor, so there is no window between the check and the read in
// which the path could be replaced: opening a FIFO to read would
// otherwise block until a writer appears, possibly forever.
func Read(ctx context.Context, setting, path string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", setting, context.Cause(ctx))
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := read(ExpandHome(path))
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, fmt.Errorf("reading %s: %w", setting, r.err)
		}
		return r.b, nil
	case <-ctx.Done():
		// The goroutine ends with its read (a file system that stalls
		// holds it, not the caller) and closes the file.
		return nil, fmt.Errorf("reading %s %s: %w", setting, path, context.Cause(ctx))
	}
}

// read opens path without blocking, refuses anything but a regular file
// of at most MaxBytes, and reads it.
func read(path string) ([]byte, error) {
	f, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %s, %w: the provider reads only regular files", path, kind(info.Mode()), ErrNotRegular)
	}
	if info.Size() > MaxBytes {
		return nil, fmt.Errorf("%s holds %d bytes, %w of %d bytes (1 MiB)", path, info.Size(), ErrTooLarge, MaxBytes)
	}
	// The size can change after the check: read one byte past the limit
	// to see a file that grew.
	b, err := io.ReadAll(io.LimitReader(f, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxBytes {
		return nil, fmt.Errorf("%s holds more than %d bytes, %w of %d bytes (1 MiB)", path, MaxBytes, ErrTooLarge, MaxBytes)
	}
	return b, nil
}

// kind names what a file that is not a regular file is.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file (" + m.Type().String() + ")"
}

// ExpandHome replaces a leading "~/" with the user's home directory.
func ExpandHome(p string) string {
	rest, ok := strings.CutPrefix(p, "~/")
	if !ok {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, rest)
}
