package credcache

import (
	"encoding/json"
	"fmt"
	"os"
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

// FindProfile reads the CLI's file (empty: DefaultFile) and returns the
// profile named name (empty: the file's current one) and the file's name.
func (cli ProfileCLI[P]) FindProfile(file, name string) (*P, string, error) {
	if file == "" {
		file = cli.DefaultFile
	}
	b, err := os.ReadFile(ExpandHome(file))
	if err != nil {
		return nil, file, fmt.Errorf("reading the %s file: %w", cli.Name, err)
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
