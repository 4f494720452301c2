package credcache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/settingfile"
)

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

// Source wraps fetch as the credential source named source of cloud,
// selected by settings: a failure becomes a *SourceError (one already
// naming a source below, e.g. the base credentials of an assume-role, is
// passed on as it is); on success, obtained is called with the
// credentials (to mask their secrets from then on) and a DEBUG line names
// the source and the expiry, never the values.
func Source[T any](cloud, source, settings string, fetch Fetch[T], obtained func(T)) Fetch[T] {
	return func(ctx context.Context) (T, time.Time, error) {
		v, exp, err := fetch(ctx)
		if err != nil {
			var zero T
			if se := (*SourceError)(nil); errors.As(err, &se) {
				return zero, time.Time{}, err
			}
			return zero, time.Time{}, &SourceError{Cloud: cloud, Source: source, Settings: settings, Err: err}
		}
		if obtained != nil {
			obtained(v)
		}
		fields := map[string]any{"cloud": cloud, "credential_source": source, "temporary": !exp.IsZero()}
		if !exp.IsZero() {
			fields["expires_at"] = exp.UTC().Format(time.RFC3339)
		}
		tflog.Debug(ctx, "Using "+cloud+" credentials from "+source, fields)
		return v, exp, nil
	}
}

// ExpandHome replaces a leading "~/" with the user's home directory.
func ExpandHome(p string) string { return settingfile.ExpandHome(p) }

// ReadTokenFile reads a token file (an OIDC id token a CI system writes
// and rotates) through settingfile.Read (a regular file of at most 1 MiB,
// under ctx), trimmed of surrounding white space; setting names the
// setting in errors. An empty file is an error.
func ReadTokenFile(ctx context.Context, setting, path string) (string, error) {
	b, err := settingfile.Read(ctx, setting, path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("%s %s is empty", setting, path)
	}
	return tok, nil
}
