package credchain

import (
	"errors"
	"fmt"
	"strings"
)

// Candidate is one source of a cloud's chain, in the chain's order, as the
// settings configure it.
type Candidate struct {
	// Name names the source in warnings and errors ("access_key and
	// secret_key", "assume_role_with_oidc").
	Name string
	// Configured: some setting of the source is set.
	Configured bool
	// Missing are the settings a configured source still needs, named
	// with their environment variables (Values.Name); alternatives are
	// joined with " or " in one entry.
	Missing []string
	// Needs says what selects the source, for the error that lists the
	// sources when none is configured.
	Needs string
}

// Complete reports whether the candidate is configured and lacks nothing.
func (c Candidate) Complete() bool { return c.Configured && len(c.Missing) == 0 }

// ErrNoCredentials is wrapped by the error of a chain whose settings
// configure no source at all. It is not a plan-time error: a
// configuration may leave a cloud it does not read without credentials.
var ErrNoCredentials = errors.New("no credentials configured")

// MissingError is the error of a chain whose settings configure no
// source: it lists what would select each. It wraps ErrNoCredentials.
type MissingError struct {
	Cloud        string
	Alternatives []string
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("missing %s credentials: set %s, in the provider's block or the environment", e.Cloud, strings.Join(e.Alternatives, "; or "))
}

func (e *MissingError) Unwrap() error { return ErrNoCredentials }

// IncompleteError is a source configured in part with no complete source
// before it: never a silent fall back to a later source.
type IncompleteError struct {
	Cloud, Source string
	Missing       []string
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("incomplete %s credentials: %s is configured in part; set %s (a value in the provider's block wins over the environment)",
		e.Cloud, e.Source, strings.Join(e.Missing, " and "))
}

// Select returns the index of the first complete candidate, and a
// warning naming it and the other configured candidates it ignores when
// there are any ("" otherwise). A candidate configured in part before the
// first complete one is an *IncompleteError; when no candidate is
// configured at all, the error is a *MissingError listing what each
// candidate Needs.
func Select(cloud string, cands []Candidate) (int, string, error) {
	chosen := -1
	var ignored []string
	for i, c := range cands {
		switch {
		case !c.Configured:
		case chosen >= 0:
			ignored = append(ignored, c.Name)
		case c.Complete():
			chosen = i
		default:
			return -1, "", &IncompleteError{Cloud: cloud, Source: c.Name, Missing: c.Missing}
		}
	}
	if chosen < 0 {
		e := &MissingError{Cloud: cloud}
		for _, c := range cands {
			e.Alternatives = append(e.Alternatives, c.Needs)
		}
		return -1, "", e
	}
	if len(ignored) == 0 {
		return chosen, "", nil
	}
	return chosen, fmt.Sprintf("Several %s credential sources are configured. The first in the documented order is used, as the official provider does: %s. Ignored: %s.",
		cloud, cands[chosen].Name, strings.Join(ignored, "; ")), nil
}

// Option is one source a chain may start from: how the settings configure
// it, and how to make it once chosen.
type Option[T any] struct {
	Candidate
	Make func() *Cache[T]
}

// Layer trades the credentials of the source below for others (an
// assume-role).
type Layer[T any] func(below *Cache[T]) *Cache[T]

// Choose builds a chain, contacting nothing: the first complete option
// (Select), then the layers the settings configure on top of it, in
// order (layers is told which option was chosen, -1 for none). A source
// configured in part is an error first; then a layer configured in part
// (a plan-time error even without any source); then a missing source.
// It returns the outermost cache and Select's warning, if any.
func Choose[T any](cloud string, opts []Option[T], layers func(chosen int) ([]Layer[T], error)) (*Cache[T], []string, error) {
	cands := make([]Candidate, len(opts))
	for i, o := range opts {
		cands[i] = o.Candidate
	}
	chosen, warning, err := Select(cloud, cands)
	if ie := (*IncompleteError)(nil); errors.As(err, &ie) {
		return nil, nil, err
	}
	ls, lerr := layers(chosen)
	if lerr != nil {
		return nil, nil, lerr
	}
	if err != nil {
		return nil, nil, err
	}
	cache := opts[chosen].Make()
	for _, l := range ls {
		cache = l(cache)
	}
	var warnings []string
	if warning != "" {
		warnings = append(warnings, warning)
	}
	return cache, warnings, nil
}
