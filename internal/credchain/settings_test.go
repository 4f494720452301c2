package credchain

import (
	"strings"
	"testing"
)

var testTable = &Table{Block: "testcloud", Blocks: []Block{
	{Settings: []Setting{
		{Name: "access_key", Env: []string{"T_AK", "LEGACY_AK", "SDK_AK"}},
		{Name: "use_metadata", Env: []string{"T_META"}, Kind: Bool},
		{Name: "sts_region", Env: []string{"T_STS_REGION"}, EnvOnly: true},
	}},
	{Name: "assume_role", Repeats: true, Settings: []Setting{
		{Name: "agency_name", Env: []string{"T_AGENCY"}},
		{Name: "duration", Env: []string{"T_DURATION"}, Kind: Int, Min: 900, Max: 86400},
	}},
}}

func TestResolvePrecedence(t *testing.T) {
	getenv := func(env map[string]string) func(string) string { return func(k string) string { return env[k] } }
	for _, tc := range []struct {
		name    string
		cfg     Config
		env     map[string]string
		want    string
		wantEnv string
	}{
		{"the configuration wins", Config{Top: Written{"access_key": {Str: "cfg", Set: true}}}, map[string]string{"T_AK": "env"}, "cfg", ""},
		{"the first variable set wins", Config{}, map[string]string{"LEGACY_AK": "legacy", "SDK_AK": "sdk"}, "legacy", "LEGACY_AK"},
		{"an empty variable is unset", Config{}, map[string]string{"T_AK": "", "SDK_AK": "sdk"}, "sdk", "SDK_AK"},
		{"an unset configuration value falls back", Config{Top: Written{"access_key": {}}}, map[string]string{"T_AK": "env"}, "env", "T_AK"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := testTable.Resolve(tc.cfg, getenv(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Top.Str("access_key"); got != tc.want {
				t.Errorf("access_key = %q, want %q", got, tc.want)
			}
			origin := r.Top.Origin("access_key")
			if tc.wantEnv == "" && origin != "access_key (T_AK, LEGACY_AK, SDK_AK) in the provider's testcloud block" ||
				tc.wantEnv != "" && origin != "access_key from the environment variable "+tc.wantEnv {
				t.Errorf("Origin = %q", origin)
			}
		})
	}
}

func TestResolveBlocks(t *testing.T) {
	env := map[string]string{"T_AGENCY": "env-agency", "T_DURATION": "1800", "T_META": "TRUE", "T_STS_REGION": "cn-x"}
	getenv := func(k string) string { return env[k] }
	// Not written: one instance from the environment alone.
	r, err := testTable.Resolve(Config{}, getenv)
	if err != nil {
		t.Fatal(err)
	}
	bs := r.Blocks("assume_role")
	if len(bs) != 1 || bs[0].InConfig || bs[0].Str("agency_name") != "env-agency" || bs[0].Int("duration") != 1800 {
		t.Fatalf("environment-only block: %+v", bs)
	}
	if !r.Top.Bool("use_metadata") || r.Top.Str("sts_region") != "cn-x" {
		t.Errorf("top: use_metadata %v sts_region %q", r.Top.Bool("use_metadata"), r.Top.Str("sts_region"))
	}
	// Written twice: each instance falls back to the environment, and is
	// named by its index.
	r, err = testTable.Resolve(Config{Nested: map[string][]Written{"assume_role": {
		{"agency_name": {Str: "first", Set: true}}, {"duration": {Int: 900, Set: true}},
	}}}, getenv)
	if err != nil {
		t.Fatal(err)
	}
	bs = r.Blocks("assume_role")
	if len(bs) != 2 || !bs[0].InConfig || bs[0].Str("agency_name") != "first" || bs[1].Str("agency_name") != "env-agency" || bs[1].Int("duration") != 900 {
		t.Fatalf("written blocks: %v %v", bs[0].vals, bs[1].vals)
	}
	if got := bs[1].Name("agency_name"); got != "assume_role[1].agency_name (T_AGENCY)" {
		t.Errorf("Name = %q", got)
	}
	if got := bs[1].Path(); got != "testcloud.assume_role[1]" {
		t.Errorf("Path = %q", got)
	}
	if got := r.Top.Name("access_key"); got != "access_key (T_AK, LEGACY_AK, SDK_AK)" {
		t.Errorf("Name = %q", got)
	}
	if got := r.Top.Name("sts_region"); got != "the environment variable T_STS_REGION" {
		t.Errorf("Name of an environment-only setting = %q", got)
	}
	// An environment-only setting is not taken from the configuration.
	r, _ = testTable.Resolve(Config{Top: Written{"sts_region": {Str: "cfg", Set: true}}}, func(string) string { return "" })
	if r.Top.Has("sts_region") {
		t.Error("an environment-only setting was taken from the configuration")
	}
}

func TestResolveEnvironmentErrors(t *testing.T) {
	for env, want := range map[string]string{
		"T_DURATION=ninety": `the environment variable T_DURATION (duration) = "ninety" is not a whole number`,
		"T_DURATION=60":     "the environment variable T_DURATION (duration) = 60 is not between 900 and 86400",
		"T_META=yes please": `the environment variable T_META (use_metadata) = "yes please" is not true or false`,
	} {
		k, v, _ := strings.Cut(env, "=")
		_, err := testTable.Resolve(Config{}, func(n string) string {
			if n == k {
				return v
			}
			return ""
		})
		if err == nil || err.Error() != want {
			t.Errorf("%s: err %v, want %q", env, err, want)
		}
	}
}
