package credchain

import (
	"errors"
	"strings"
	"testing"
)

func TestSelectNothingConfigured(t *testing.T) {
	_, _, err := Select("Test Cloud", []Candidate{{Name: "keys", Needs: "access_key (T_AK) and secret_key (T_SK)"}, {Name: "profile", Needs: "profile (T_PROFILE)"}})
	var me *MissingError
	if !errors.As(err, &me) || !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("err = %v, want a *MissingError wrapping ErrNoCredentials", err)
	}
	if want := "missing Test Cloud credentials: set access_key (T_AK) and secret_key (T_SK); or profile (T_PROFILE), in the provider's block or the environment"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

func TestSelect(t *testing.T) {
	keys := Candidate{Name: "access_key and secret_key", Configured: true}
	keysHalf := Candidate{Name: "access_key and secret_key", Configured: true, Missing: []string{"secret_key (T_SK)"}}
	profile := Candidate{Name: "the CLI profile", Configured: true}
	oidcHalf := Candidate{Name: "assume_role_with_oidc", Configured: true, Missing: []string{"id_token (T_TOK) or id_token_file (T_FILE)"}}
	none := Candidate{Name: "instance metadata"}
	for _, tc := range []struct {
		name        string
		cands       []Candidate
		want        int
		warn, error string
	}{
		{"one complete", []Candidate{none, profile}, 1, "", ""},
		{"the first complete wins and the others are named", []Candidate{keys, none, profile, oidcHalf}, 0,
			"Several Test Cloud credential sources are configured. The first in the documented order is used, as the official provider does: access_key and secret_key. Ignored: the CLI profile; assume_role_with_oidc.", ""},
		{"a partial source after a complete one is ignored", []Candidate{profile, oidcHalf}, 0, "Ignored: assume_role_with_oidc.", ""},
		{"a partial source before any complete one is an error", []Candidate{none, oidcHalf, profile}, -1, "",
			"incomplete Test Cloud credentials: assume_role_with_oidc is configured in part; set id_token (T_TOK) or id_token_file (T_FILE)"},
		{"partial keys never fall back to the profile", []Candidate{keysHalf, profile}, -1, "", "set secret_key (T_SK)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, warn, err := Select("Test Cloud", tc.cands)
			if tc.error != "" {
				var ie *IncompleteError
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.error) {
					t.Fatalf("err = %v, want an *IncompleteError containing %q", err, tc.error)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Select = %d, %v; want %d", got, err, tc.want)
			}
			if (tc.warn == "") != (warn == "") || !strings.Contains(warn, tc.warn) {
				t.Errorf("warning %q, want one containing %q", warn, tc.warn)
			}
		})
	}
}
