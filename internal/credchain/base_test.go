package credchain

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

var baseTable = &Table{Block: "testcloud", Blocks: []Block{{Settings: []Setting{
	{Name: "profile", Env: []string{"T_PROFILE"}},
	{Name: "shared_config_file", Env: []string{"T_FILE"}},
}}}}

// TestBaseRegion: the data source's region, else the configured one,
// else the profile's, read once and only when the settings name a
// profile; without any, the cloud's error.
func TestBaseRegion(t *testing.T) {
	for _, tc := range []struct {
		name             string
		override, region string
		top              Written
		profile          string // the profile's region; "-": unreadable
		want, wantErr    string
		reads            int
	}{
		{name: "override", override: "r-ds", region: "r-cfg", top: Written{"profile": {Str: "p", Set: true}}, profile: "r-prof", want: "r-ds"},
		{name: "configured", region: "r-cfg", top: Written{"profile": {Str: "p", Set: true}}, profile: "r-prof", want: "r-cfg"},
		{name: "profile", top: Written{"profile": {Str: "p", Set: true}}, profile: "r-prof", want: "r-prof", reads: 1},
		{name: "profile file", top: Written{"shared_config_file": {Str: "/f", Set: true}}, profile: "r-prof", want: "r-prof", reads: 1},
		{name: "no profile named", profile: "r-prof", wantErr: "no test region", reads: 0},
		{name: "profile unreadable", top: Written{"profile": {Str: "p", Set: true}}, profile: "-", wantErr: "no test region", reads: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := baseTable.Resolve(Config{Top: tc.top}, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			reads := 0
			var b Base[string]
			b.Init(BaseConfig[string]{Cloud: "Test", Region: tc.region, Settings: r.Top, FileSetting: "shared_config_file",
				NoRegion: "no test region",
				Build:    func() (*Cache[string], []string, error) { return nil, []string{"w"}, errors.New("no source") },
				ProfileRegion: func(_ context.Context, file, profile string) (string, error) {
					reads++
					if file != r.Top.Str("shared_config_file") || profile != r.Top.Str("profile") {
						t.Errorf("profile read with %q, %q", file, profile)
					}
					if tc.profile == "-" {
						return "", errors.New("unreadable")
					}
					return tc.profile, nil
				}})
			for range 3 {
				got, err := b.Region(tc.override)
				if got != tc.want || (err == nil) != (tc.wantErr == "") || err != nil && err.Error() != tc.wantErr {
					t.Fatalf("Region(%q) = %q, %v; want %q, %q", tc.override, got, err, tc.want, tc.wantErr)
				}
			}
			if reads != tc.reads {
				t.Errorf("the profile was read %d times, want %d", reads, tc.reads)
			}
			if b.HomeRegion() != tc.want && tc.override == "" {
				t.Errorf("HomeRegion() = %q, want %q", b.HomeRegion(), tc.want)
			}
			if err := b.CheckCredentials(); err == nil || !strings.Contains(err.Error(), "no source") || !slices.Equal(b.CredentialWarnings(), []string{"w"}) {
				t.Errorf("CheckCredentials() = %v, CredentialWarnings() = %v: not the chain's", err, b.CredentialWarnings())
			}
		})
	}
}
