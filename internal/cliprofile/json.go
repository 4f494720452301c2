// Package cliprofile reads the profile files of the clouds' command line
// tools: the config.json both the aliyun CLI and KooCLI write (named
// profiles and the current one), and the INI credentials file of
// Alibaba Cloud's SDKs. It parses; what a profile's fields mean is its
// cloud's business.
package cliprofile

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/settingfile"
)

// File is the part of a cloud CLI's config.json the provider reads: named
// profiles and the current one. The aliyun CLI
// (https://github.com/aliyun/aliyun-cli#configure) and KooCLI
// (https://support.huaweicloud.com/intl/en-us/usermanual-hcli/hcli_03_002.html)
// share this shape; each profile type P has its cloud's fields.
type File[P any] struct {
	Current  string `json:"current"`
	Profiles []P    `json:"profiles"`
	// Path is where the file was read from.
	Path string `json:"-"`
}

// CLI describes one cloud CLI's file.
type CLI[P any] struct {
	// Name is the CLI's name in errors ("aliyun CLI", "KooCLI").
	Name string
	// DefaultFile is read when no file is configured.
	DefaultFile string
	// FileSetting and ProfileSetting name the settings (with their
	// environment variables) that pick the file and the profile, for
	// errors.
	FileSetting, ProfileSetting string
	// NameOf returns a profile's name.
	NameOf func(*P) string
}

// Read reads the CLI's file (empty: DefaultFile), a regular file of at
// most 1 MiB, under ctx (settingfile.Read).
func (cli CLI[P]) Read(ctx context.Context, file string) (*File[P], error) {
	if file == "" {
		file = cli.DefaultFile
	}
	b, err := settingfile.Read(ctx, cli.FileSetting, file)
	if err != nil {
		return nil, err
	}
	return cli.Parse(file, b)
}

// Parse parses the contents b of the CLI's file read from file.
func (cli CLI[P]) Parse(file string, b []byte) (*File[P], error) {
	var f File[P]
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s (%s) is not a config.json of the %s: %w", file, cli.FileSetting, cli.Name, err)
	}
	f.Path = file
	return &f, nil
}

// Find returns the profile named name (empty: the file's current one).
func (cli CLI[P]) Find(f *File[P], name string) (*P, error) {
	if name == "" {
		name = f.Current
	}
	if name == "" {
		return nil, fmt.Errorf("%s names no current profile: set %s", f.Path, cli.ProfileSetting)
	}
	for i := range f.Profiles {
		if cli.NameOf(&f.Profiles[i]) == name {
			return &f.Profiles[i], nil
		}
	}
	return nil, fmt.Errorf("profile %q (%s) not found in %s", name, cli.ProfileSetting, f.Path)
}

// FindProfile reads the CLI's file (empty: DefaultFile) and returns the
// profile named name (empty: the file's current one) and the file's name.
func (cli CLI[P]) FindProfile(ctx context.Context, file, name string) (*P, string, error) {
	f, err := cli.Read(ctx, file)
	if err != nil {
		if file == "" {
			file = cli.DefaultFile
		}
		return nil, file, err
	}
	p, err := cli.Find(f, name)
	return p, f.Path, err
}
