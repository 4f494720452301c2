package credchain

import (
	"context"
	"fmt"
	"strings"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/settingfile"
)

// ReadFile reads a file a setting names (a profile file, a token file)
// through settingfile.Read: a regular file of at most 1 MiB (the path may
// start with "~/"), under ctx, errors naming the setting.
func ReadFile(ctx context.Context, setting, path string) ([]byte, error) {
	return settingfile.Read(ctx, setting, path)
}

// ReadTokenFile reads a token file (an OIDC id token a CI system writes
// and rotates) through ReadFile, trimmed of surrounding white space;
// setting names the setting in errors. An empty file is an error.
func ReadTokenFile(ctx context.Context, setting, path string) (string, error) {
	b, err := ReadFile(ctx, setting, path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("%s %s is empty", setting, path)
	}
	return tok, nil
}
