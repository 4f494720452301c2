package cliprofile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type testProfile struct {
	Name string `json:"name"`
	Key  string `json:"key"`
}

var testCLI = CLI[testProfile]{
	Name: "test CLI", FileSetting: "file (TEST_FILE)", ProfileSetting: "profile (TEST_PROFILE)",
	NameOf: func(p *testProfile) string { return p.Name },
}

func TestFindProfile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", `{"current":"b","profiles":[{"name":"a","key":"ka"},{"name":"b","key":"kb"}]}`)
	noCurrent := write("nocurrent.json", `{"profiles":[{"name":"a","key":"ka"}]}`)
	bad := write("bad.json", `{"profiles":`)

	cli := testCLI
	cli.DefaultFile = good
	cases := []struct {
		name, file, profile string
		wantKey, wantErr    string
	}{
		{name: "current", file: good, wantKey: "kb"},
		{name: "named", file: good, profile: "a", wantKey: "ka"},
		{name: "default file", profile: "a", wantKey: "ka"},
		{name: "unknown", file: good, profile: "c", wantErr: `profile "c" (profile (TEST_PROFILE)) not found in ` + good},
		{name: "no current", file: noCurrent, wantErr: "names no current profile: set profile (TEST_PROFILE)"},
		{name: "not JSON", file: bad, wantErr: "is not a config.json of the test CLI"},
		{name: "missing", file: filepath.Join(dir, "none.json"), wantErr: "reading file (TEST_FILE): open "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, _, err := cli.FindProfile(t.Context(), c.file, c.profile)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Key != c.wantKey {
				t.Fatalf("key %q, want %q", p.Key, c.wantKey)
			}
		})
	}
}
