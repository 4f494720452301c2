package credchain

import (
	"context"
	"fmt"
	"strings"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/settingfile"
)

// ReadTokenFile reads a token file (an OIDC id token a CI system writes
// and rotates) through settingfile.Read, trimmed of surrounding white space;
// setting names the setting in errors. An empty file is an error.
func ReadTokenFile(ctx context.Context, setting, path string) (string, error) {
	b, err := settingfile.Read(ctx, setting, path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("%s %s is empty", setting, path)
	}
	return tok, nil
}

// Token is an OIDC token: the token itself (Value), or a file holding it
// (File) read again at each use, since CI systems and ACK's RRSA rotate
// it. Setting names where it comes from, in errors and in the settings a
// source names.
type Token struct {
	Value, File, Setting string
}

// Read is the token: Value, or the content of File (ReadTokenFile).
func (t Token) Read(ctx context.Context) (string, error) {
	if t.File == "" {
		return t.Value, nil
	}
	return ReadTokenFile(ctx, t.Setting, t.File)
}

// Token is the token of the settings value (the token) and file (a token
// file) of v, as both clouds' official tools pick it: the one written in
// the configuration wins; from the environment alone, the token wins over
// the token file.
func (v *Values) Token(value, file string) Token {
	if v.Has(file) && (!v.Has(value) || v.FromEnv(value) && !v.FromEnv(file)) {
		return Token{File: v.Str(file), Setting: v.Origin(file)}
	}
	return Token{Value: v.Str(value), Setting: v.Origin(value)}
}
