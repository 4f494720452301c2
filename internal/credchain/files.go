package credchain

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

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

// ReadFile reads a file a setting names (a profile file, a token
// file), naming the setting in errors. The path may start with "~/".
func ReadFile(setting, path string) ([]byte, error) {
	b, err := os.ReadFile(ExpandHome(path))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", setting, err)
	}
	return b, nil
}

// ReadTokenFile reads a token file (an OIDC id token a CI system writes
// and rotates), trimmed of surrounding white space; setting names the
// setting in errors. An empty file is an error.
func ReadTokenFile(setting, path string) (string, error) {
	b, err := ReadFile(setting, path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("%s %s is empty", setting, path)
	}
	return tok, nil
}
