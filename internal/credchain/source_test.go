package credchain

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestSourceErrorsNameTheSource: every way a source fails (its fetch, an
// expired answer, a temporary answer without expiry) is a *SourceError
// naming the source and its settings; a failure of the source below
// passes through unchanged, so a layer never takes the blame for it.
func TestSourceErrorsNameTheSource(t *testing.T) {
	clk := &fakeClock{t: t0}
	below := (&Source[string]{Cloud: "Test Cloud", Name: "assume_role_with_oidc", Settings: "idp_id (TEST_IDP)"}).Error(errors.New("IAM.1001"))
	for _, tc := range []struct {
		name      string
		temporary bool
		fetch     Fetch[string]
		want      string
		is        error
		source    string
	}{
		{"fetch fails", true, func(context.Context) (string, time.Time, error) { return "", time.Time{}, errors.New("STS said no") },
			"Test Cloud credentials from assume_role (agency_name (TEST_AGENCY)): STS said no", nil, "assume_role"},
		{"answer already expired", true, func(context.Context) (string, time.Time, error) { return "x", t0.Add(-time.Second), nil },
			"Test Cloud credentials from assume_role (agency_name (TEST_AGENCY)): the credentials returned have already expired", ErrExpired, "assume_role"},
		{"temporary answer without expiry", true, func(context.Context) (string, time.Time, error) { return "x", time.Time{}, nil },
			"Test Cloud credentials from assume_role (agency_name (TEST_AGENCY)): the temporary credentials returned have no expiry", ErrNoExpiry, "assume_role"},
		{"the source below failed", true, func(context.Context) (string, time.Time, error) { return "", time.Time{}, below },
			"Test Cloud credentials from assume_role_with_oidc (idp_id (TEST_IDP)): IAM.1001", nil, "assume_role_with_oidc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New(Source[string]{Cloud: "Test Cloud", Name: "assume_role", Settings: "agency_name (TEST_AGENCY)", Temporary: tc.temporary, Fetch: tc.fetch}, clk.Now)
			_, err := c.Get(context.Background())
			var se *SourceError
			if !errors.As(err, &se) || se.Source != tc.source {
				t.Fatalf("err = %v, want a *SourceError of %s", err, tc.source)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err = %q, want it to start with %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("err = %v, want one wrapping %v", err, tc.is)
			}
		})
	}
}

// TestSourceStaticCredentialsMayNotExpire: a source that is not temporary
// (static keys) gives credentials without expiry; Obtained sees every
// credential before a caller does.
func TestSourceStaticCredentialsMayNotExpire(t *testing.T) {
	var seen []string
	c := New(Source[string]{Cloud: "Test Cloud", Name: "access_key", Settings: "access_key (TEST_AK)",
		Fetch:    func(context.Context) (string, time.Time, error) { return "static", time.Time{}, nil },
		Obtained: func(v string) { seen = append(seen, v) }}, nil)
	v, err := c.Get(context.Background())
	if err != nil || v != "static" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if len(seen) != 1 || seen[0] != "static" {
		t.Errorf("Obtained saw %v, want [static]", seen)
	}
}

func TestParseExpiry(t *testing.T) {
	for _, tc := range []struct {
		value, want string
		wantErr     string
	}{
		{value: "2026-12-01T12:00:00Z", want: "2026-12-01T12:00:00Z"},
		{value: "2026-12-01T12:00:00.000000Z", want: "2026-12-01T12:00:00Z"},
		{value: "2026-12-07T12:00:00.250Z", want: "2026-12-07T12:00:00.25Z"},
		{value: "2026-12-01T20:00:00+08:00", want: "2026-12-01T12:00:00Z"},
		{value: "", wantErr: "AssumeRole: the answer has no Expiration"},
		{value: "0001-01-01T00:00:00Z", wantErr: "Expiration is the zero time"},
		{value: "tomorrow-secret-echo", wantErr: "Expiration is not an RFC 3339 time"},
	} {
		got, err := ParseExpiry("AssumeRole", "Expiration", tc.value)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: err %v, want %q", tc.value, err, tc.wantErr)
			}
			if err != nil && tc.value != "" && strings.Contains(err.Error(), "echo") {
				t.Errorf("%q: the error quotes the server's text: %v", tc.value, err)
			}
			continue
		}
		if err != nil || got.UTC().Format(time.RFC3339Nano) != tc.want {
			t.Errorf("%q: got %s, %v; want %s", tc.value, got.UTC().Format(time.RFC3339Nano), err, tc.want)
		}
	}
}

// TestTradedHasTheCredentialsBelowFirst: a layer (Factory.Traded) gets
// the credentials below before it trades them, so that their failure is
// theirs, unchanged, and the trade is not tried; once they are had, the
// trade's temporary credentials are the layer's.
func TestTradedHasTheCredentialsBelowFirst(t *testing.T) {
	clk := &fakeClock{t: t0}
	f := Factory[string]{Cloud: "Test Cloud", Now: clk.Now}
	failing := true
	below := f.Cache(Source[string]{Name: "assume_role_with_oidc", Settings: "idp_id (TEST_IDP)", Temporary: true,
		Fetch: func(context.Context) (string, time.Time, error) {
			if failing {
				return "", time.Time{}, errors.New("IAM.1001")
			}
			return "oidc", t0.Add(time.Hour), nil
		}})
	trades := 0
	layer := f.Traded("assume_role", "agency_name (TEST_AGENCY)", below, func(ctx context.Context) (string, time.Time, error) {
		trades++
		v, err := below.Get(ctx)
		if err != nil {
			// What a trade's signer does with the failure: its request
			// fails, with the operation's own words around it.
			return "", time.Time{}, errors.New("AssumeAgency: signing: " + err.Error())
		}
		return "agency of " + v, t0.Add(time.Hour), nil
	})
	_, err := layer.Get(context.Background())
	if want := "Test Cloud credentials from assume_role_with_oidc (idp_id (TEST_IDP)): IAM.1001"; err == nil || err.Error() != want || trades != 0 {
		t.Fatalf("the source below fails: err %v, %d trades; want %q and no trade", err, trades, want)
	}
	failing = false
	if v, err := layer.Get(context.Background()); err != nil || v != "agency of oidc" || trades != 1 {
		t.Fatalf("Get = %q, %v, %d trades; want the trade's credentials", v, err, trades)
	}
	if src := layer.Source(); !src.Temporary || src.Cloud != "Test Cloud" {
		t.Errorf("the layer's source: temporary %v, cloud %q", src.Temporary, src.Cloud)
	}
}
