package credchain

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Source is one credential source of a chain: where credentials come
// from, how it is named in errors and logs, and how they are fetched.
type Source[T any] struct {
	// Cloud is the cloud's name in messages ("Huawei Cloud").
	Cloud string
	// Name names the source ("assume_role_with_oidc", "profile \"ci\" (mode
	// RamRoleArn)"); Settings names the settings that select it, with
	// their environment variables (never their values).
	Name, Settings string
	// Temporary: the source hands out temporary credentials, which must
	// come with an expiry. A temporary answer without one (or with the
	// zero time) is refused rather than kept forever.
	Temporary bool
	// Fetch obtains the credentials.
	Fetch Fetch[T]
	// Obtained is called with every credential fetched, before it is
	// used (to mask its secrets from then on).
	Obtained func(T)
	// Mask masks the secrets known so far in text (nil: none), for the
	// log lines the cache writes with a source's error: its text may
	// quote server text no transport decoding masked.
	Mask func(string) string
}

// SourceError is the failure of one credential source. Its text names the
// cloud, the source, and the settings that select it with their
// environment variables, then the cause (which carries the service's own
// error code when a service refused). It never holds a secret.
type SourceError struct {
	Cloud, Source, Settings string
	Err                     error
}

func (e *SourceError) Error() string {
	return fmt.Sprintf("%s credentials from %s (%s): %v", e.Cloud, e.Source, e.Settings, e.Err)
}

func (e *SourceError) Unwrap() error { return e.Err }

// ErrExpired is wrapped by the error of a fetch that returned credentials
// already expired.
var ErrExpired = errors.New("the credentials returned have already expired")

// ErrNoExpiry is wrapped by the error of a temporary source whose answer
// gave no expiry (or the zero time).
var ErrNoExpiry = errors.New("the temporary credentials returned have no expiry")

// fetch runs the source's Fetch at fetched: a failure becomes a
// *SourceError naming this source (one already naming a source below,
// e.g. the base credentials of an assume-role, is passed on as it is, so
// that a layer never takes the blame for the one beneath it); temporary
// credentials without an expiry, and credentials already expired, are
// refused; on success, Obtained is called and a DEBUG line names the
// source and the expiry, never the values.
func (s *Source[T]) fetch(ctx context.Context, fetched time.Time) (T, time.Time, error) {
	var zero T
	v, exp, err := s.Fetch(ctx)
	switch {
	case err != nil:
		if se := (*SourceError)(nil); errors.As(err, &se) {
			return zero, time.Time{}, err
		}
	case s.Temporary && exp.IsZero():
		err = ErrNoExpiry
	case !exp.IsZero() && !fetched.Before(exp):
		err = fmt.Errorf("%w (expiry %s)", ErrExpired, exp.UTC().Format(time.RFC3339))
	}
	if err != nil {
		return zero, time.Time{}, s.Error(err)
	}
	if s.Obtained != nil {
		s.Obtained(v)
	}
	fields := map[string]any{"cloud": s.Cloud, "credential_source": s.Name, "temporary": !exp.IsZero()}
	if !exp.IsZero() {
		fields["expires_at"] = exp.UTC().Format(time.RFC3339)
	}
	tflog.Debug(ctx, "Using "+s.Cloud+" credentials from "+s.Name, fields)
	return v, exp, nil
}

// Error is err as this source's *SourceError.
func (s *Source[T]) Error(err error) *SourceError {
	return &SourceError{Cloud: s.Cloud, Source: s.Name, Settings: s.Settings, Err: err}
}

// mask is text with the secrets known so far masked (Mask).
func (s *Source[T]) mask(text string) string {
	if s.Mask == nil {
		return text
	}
	return s.Mask(text)
}

// Describe names the source and its settings, for messages that say where
// credentials come from.
func (s *Source[T]) Describe() string { return s.Name + " (" + s.Settings + ")" }
