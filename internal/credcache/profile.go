package credcache

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/settingfile"
)

// ProfileFile is the part of a cloud CLI's config.json the provider reads:
// named profiles and the current one. The aliyun CLI
// (https://github.com/aliyun/aliyun-cli#configure) and KooCLI
// (https://support.huaweicloud.com/intl/en-us/usermanual-hcli/hcli_03_002.html)
// share this shape; each profile type P has its cloud's fields.
type ProfileFile[P any] struct {
	Current  string `json:"current"`
	Profiles []P    `json:"profiles"`
}

// ProfileCLI describes one cloud CLI's file for FindProfile.
type ProfileCLI[P any] struct {
	// Name is the CLI's name in errors ("aliyun CLI", "KooCLI").
	Name string
	// DefaultFile is read when no file is configured.
	DefaultFile string
	// ProfileSetting names the setting (and its environment variable)
	// that picks a profile, for the error when the file names none.
	ProfileSetting string
	// NameOf returns a profile's name.
	NameOf func(*P) string
}

// FindProfile reads the CLI's file (empty: DefaultFile) through
// settingfile.Read (a regular file of at most 1 MiB, under ctx) and
// returns the profile named name (empty: the file's current one) and the
// file's name. setting names the setting that names the file, in errors.
func (cli ProfileCLI[P]) FindProfile(ctx context.Context, setting, file, name string) (*P, string, error) {
	if file == "" {
		file = cli.DefaultFile
	}
	b, err := settingfile.Read(ctx, setting+" (the "+cli.Name+" file)", file)
	if err != nil {
		return nil, file, err
	}
	var cfg ProfileFile[P]
	if err := json.Unmarshal(b, &cfg); err != nil {
		return nil, file, fmt.Errorf("%s is not a config.json of the %s: %w", file, cli.Name, err)
	}
	if name == "" {
		name = cfg.Current
	}
	if name == "" {
		return nil, file, fmt.Errorf("%s names no current profile: set %s", file, cli.ProfileSetting)
	}
	for i := range cfg.Profiles {
		if cli.NameOf(&cfg.Profiles[i]) == name {
			return &cfg.Profiles[i], file, nil
		}
	}
	return nil, file, fmt.Errorf("profile %q not found in %s", name, file)
}
