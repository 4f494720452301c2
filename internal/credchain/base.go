package credchain

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// Base is what a cloud's client holds of its credentials and its region,
// the same for both clouds: the chain of its credential sources, the
// factory that makes the chain's caches (naming them after the cloud and
// handing what they obtain to be masked), and the provider's region, the
// configured one or else the CLI profile's, read once. A cloud's Client
// embeds it and sets it up with Init.
type Base[T any] struct {
	// Chain is the credential chain; Factory makes its sources' caches.
	Chain   *Chain[T]
	Factory Factory[T]

	cfg           BaseConfig[T]
	profileOnce   sync.Once
	profileRegion string
	account       string
}

// BaseConfig is what a cloud's client tells its Base.
type BaseConfig[T any] struct {
	// Cloud, Now, Obtained and Mask make the Factory: the cloud's name
	// in credential messages, the clock, what every source's credentials
	// are handed to (the transport, to mask their secrets), and what
	// masks the secrets known so far in a source's log lines (the
	// transport's Mask).
	Cloud    string
	Now      func() time.Time
	Obtained func(T)
	Mask     func(string) string
	// Build picks the chain's source from the settings, contacting
	// nothing (NewChain).
	Build func() (*Cache[T], []string, error)
	// Region is the configured region ("" none).
	Region string
	// Settings are the block's top-level settings, FileSetting the name
	// of its CLI profile file setting; ProfileRegion reads the region of
	// the profile they name (file and profile as set, "" when unset).
	Settings      *Values
	FileSetting   string
	ProfileRegion func(ctx context.Context, file, profile string) (string, error)
	// NoRegion is the error text when there is no region at all: which
	// settings give one.
	NoRegion string
	// Credentials and Identity give Account: the resolved settings, and
	// the settings among them that say who signs (Resolved.Identity).
	Credentials *Resolved
	Identity    map[string][]string
}

// Init sets b up from cfg.
func (b *Base[T]) Init(cfg BaseConfig[T]) {
	b.cfg = cfg
	b.Factory = Factory[T]{Cloud: cfg.Cloud, Now: cfg.Now, Obtained: cfg.Obtained, Mask: cfg.Mask}
	b.Chain = NewChain(cfg.Build)
	if id := cfg.Credentials.Identity(cfg.Identity); id != "" {
		b.account = cfg.Cloud + "\n" + id
	}
}

// Account names whose requests the client sends, for the pacers that
// share a host's rate between the provider's processes
// (transport.Request.Account: a hash of it names their state file; it is
// never written): the cloud and the settings that say who signs. Empty
// when none of them is set: then nothing is shared.
func (b *Base[T]) Account() string { return b.account }

// Region returns override when set, else the configured region, else the
// region of the CLI profile the settings name.
func (b *Base[T]) Region(override string) (string, error) {
	if override != "" {
		return override, nil
	}
	if b.cfg.Region != "" {
		return b.cfg.Region, nil
	}
	if r := b.fromProfile(); r != "" {
		return r, nil
	}
	return "", errors.New(b.cfg.NoRegion)
}

// HomeRegion is the provider's region (configuration, environment, then
// profile), "" when there is none.
func (b *Base[T]) HomeRegion() string {
	r, _ := b.Region("")
	return r
}

// fromProfile is the region of the CLI profile the settings name, or ""
// when they name none or it cannot be read (the credentials then say
// why). It is read once, before any read runs: the file is refused at
// once if it is not a regular file, and read whole only up to 1 MiB
// (settingfile).
func (b *Base[T]) fromProfile() string {
	v := b.cfg.Settings
	if v == nil || b.cfg.ProfileRegion == nil || !v.Any(b.cfg.FileSetting, settingProfile) {
		return ""
	}
	b.profileOnce.Do(func() {
		if r, err := b.cfg.ProfileRegion(context.Background(), v.Str(b.cfg.FileSetting), v.Str(settingProfile)); err == nil {
			b.profileRegion = r
		}
	})
	return b.profileRegion
}

// CheckCredentials reports, without contacting any service, whether the
// settings select a credential source, naming the settings and their
// environment variables (never their values) when they do not or when
// the source selected is incomplete.
func (b *Base[T]) CheckCredentials() error { return b.Chain.Check() }

// CredentialWarnings are the warnings about the credential settings
// (several sources configured: which one is used, which are ignored).
func (b *Base[T]) CredentialWarnings() []string { return b.Chain.Warnings() }

// LowerKeys is m with its keys in lower case (the endpoints maps: a key
// is a service or product name, matched without case).
func LowerKeys(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}
