package credchain

import "context"

// The settings of static keys and of the profile: both clouds' tables name
// them alike.
const (
	settingAccessKey     = "access_key"
	settingSecretKey     = "secret_key"
	settingSecurityToken = "security_token"
	settingProfile       = "profile"
)

// Keys is the first option of every chain: access_key and secret_key
// (with security_token for temporary keys) of the cloud's block v, made
// into the cloud's credentials by newCred. A token or one key alone is a
// source configured in part. Its settings say where each key came from
// (the block or an environment variable), for errors that ask to check
// them.
func (f Factory[T]) Keys(v *Values, newCred func(accessKey, secretKey, securityToken string) T) Option[T] {
	c := Candidate{Name: "access_key and secret_key", Configured: v.Any(settingAccessKey, settingSecretKey, settingSecurityToken),
		Needs: v.Name(settingAccessKey) + " and " + v.Name(settingSecretKey)}
	for _, s := range []string{settingAccessKey, settingSecretKey} {
		if !v.Has(s) {
			c.Missing = append(c.Missing, v.Name(s))
		}
	}
	return Option[T]{Candidate: c, Make: func() *Cache[T] {
		settings := v.Origin(settingAccessKey) + " with " + v.Origin(settingSecretKey)
		if v.Has(settingSecurityToken) {
			settings += " and " + v.Origin(settingSecurityToken) + " (temporary credentials expire)"
		}
		return f.Static(c.Name, settings, newCred(v.Str(settingAccessKey), v.Str(settingSecretKey), v.Str(settingSecurityToken)))
	}}
}

// Profile is a CLI profile as an option: configured when the file
// setting of the cloud's block v, or its profile, is set; read at its
// first use by resolve (Lazy), with both values. cli names the CLI in
// messages ("KooCLI").
func (f Factory[T]) Profile(v *Values, cli, fileSetting string, resolve func(ctx context.Context, file, name string) (*Cache[T], error)) Option[T] {
	name := "the " + cli + " profile"
	return Option[T]{
		Candidate: Candidate{Name: name, Configured: v.Any(fileSetting, settingProfile),
			Needs: "a " + cli + " profile: " + v.Name(settingProfile) + " or " + v.Name(fileSetting)},
		Make: func() *Cache[T] {
			file, profile := v.Str(fileSetting), v.Str(settingProfile)
			return f.Cache(Source[T]{Name: name, Settings: v.Origin(settingProfile) + " of " + v.Origin(fileSetting),
				Fetch: Lazy(func(ctx context.Context) (*Cache[T], error) { return resolve(ctx, file, profile) })})
		},
	}
}

// Keys are the settings of static keys (token optional) and nothing else,
// for callers that hold keys rather than a configuration (tests,
// benchmarks).
func (t *Table) Keys(accessKey, secretKey, securityToken string) *Resolved {
	r, err := t.Resolve(Config{Top: Written{
		settingAccessKey:     {Str: accessKey, Set: accessKey != ""},
		settingSecretKey:     {Str: secretKey, Set: secretKey != ""},
		settingSecurityToken: {Str: securityToken, Set: securityToken != ""},
	}}, func(string) string { return "" })
	if err != nil {
		panic(err) // no environment, no number to parse
	}
	return r
}
