package credchain

import (
	"context"
	"time"
)

// The settings of static keys: both clouds' tables name them alike.
const (
	settingAccessKey     = "access_key"
	settingSecretKey     = "secret_key"
	settingSecurityToken = "security_token"
)

// KeysCandidate is the first source of every chain: access_key and
// secret_key (with security_token for temporary keys) of the cloud's
// block v. A token or one key alone is a source configured in part.
func KeysCandidate(v *Values) Candidate {
	c := Candidate{Name: "access_key and secret_key", Configured: v.Any(settingAccessKey, settingSecretKey, settingSecurityToken),
		Needs: v.Name(settingAccessKey) + " and " + v.Name(settingSecretKey)}
	for _, s := range []string{settingAccessKey, settingSecretKey} {
		if !v.Has(s) {
			c.Missing = append(c.Missing, v.Name(s))
		}
	}
	return c
}

// KeysSource is the source of the static keys of v, made into the
// cloud's credentials by newCred. Its settings say where each key came from
// (the block or an environment variable), for errors that ask to check
// them.
func KeysSource[T any](cloud string, v *Values, newCred func(accessKey, secretKey, securityToken string) T) Source[T] {
	settings := v.Origin(settingAccessKey) + " with " + v.Origin(settingSecretKey)
	if v.Has(settingSecurityToken) {
		settings += " and " + v.Origin(settingSecurityToken) + " (temporary credentials expire)"
	}
	cred := newCred(v.Str(settingAccessKey), v.Str(settingSecretKey), v.Str(settingSecurityToken))
	return Source[T]{Cloud: cloud, Name: "access_key and secret_key", Settings: settings,
		Fetch: func(context.Context) (T, time.Time, error) { return cred, time.Time{}, nil }}
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
