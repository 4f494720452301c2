package credchain

import (
	"os"
	"path/filepath"
	"testing"
)

var tokenTable = &Table{Block: "testcloud", Blocks: []Block{{Settings: []Setting{
	{Name: "token", Env: []string{"T_TOKEN"}},
	{Name: "token_file", Env: []string{"T_TOKEN_FILE"}},
}}}}

// TestValuesToken: the token setting written in the configuration wins;
// from the environment alone, the token wins over the token file; the
// token file is read again at each Read.
func TestValuesToken(t *testing.T) {
	file := filepath.Join(t.TempDir(), "token")
	write := func(s string) {
		if err := os.WriteFile(file, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("from-file\n")
	cfg := func(k string) Written {
		return Written{k: {Str: map[string]string{"token": "cfg-token", "token_file": file}[k], Set: true}}
	}
	for _, tc := range []struct {
		name    string
		cfg     Written
		env     map[string]string
		want    string
		setting string
	}{
		{"the token file alone", nil, map[string]string{"T_TOKEN_FILE": file}, "from-file", "token_file from the environment variable T_TOKEN_FILE"},
		{"the token alone", nil, map[string]string{"T_TOKEN": "env-token"}, "env-token", "token from the environment variable T_TOKEN"},
		{"both from the environment: the token", nil, map[string]string{"T_TOKEN": "env-token", "T_TOKEN_FILE": file}, "env-token", "token from the environment variable T_TOKEN"},
		{"the file configured wins over the token variable", cfg("token_file"), map[string]string{"T_TOKEN": "env-token"}, "from-file", "token_file (T_TOKEN_FILE) in the provider's testcloud block"},
		{"the token configured wins over the file variable", cfg("token"), map[string]string{"T_TOKEN_FILE": file}, "cfg-token", "token (T_TOKEN) in the provider's testcloud block"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tokenTable.Resolve(Config{Top: tc.cfg}, func(k string) string { return tc.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			tok := r.Top.Token("token", "token_file")
			got, err := tok.Read(t.Context())
			if err != nil || got != tc.want || tok.Setting != tc.setting {
				t.Errorf("Read = %q, %v; Setting %q; want %q from %q", got, err, tok.Setting, tc.want, tc.setting)
			}
		})
	}
	tok := Token{File: file, Setting: "token_file"}
	write("  rotated  ")
	if got, err := tok.Read(t.Context()); err != nil || got != "rotated" {
		t.Errorf("after a rotation: Read = %q, %v; want the new token, trimmed", got, err)
	}
	write("\n")
	if _, err := tok.Read(t.Context()); err == nil {
		t.Error("an empty token file was read as a token")
	}
}
