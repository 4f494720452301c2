package alicloud

import (
	"context"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// cloudName is the cloud's name in credential messages.
const cloudName = "Alibaba Cloud"

// credentials is the Client's credential chain: one source picked from
// the settings in the order the docs give (keys, the profile, the
// instance role, credentials_uri, then the OIDC exchange), then the
// assume_role block's role, when written. Every source caches its
// credentials and refreshes them before they expire, once for all
// concurrent requests (internal/credchain).
type credentials struct {
	c     *Client
	chain *credchain.Chain[Credentials]
}

func newCredentials(c *Client) *credentials {
	l := &credentials{c: c}
	l.chain = credchain.NewChain(l.build)
	return l
}

// get returns the current credentials.
func (l *credentials) get(ctx context.Context) (Credentials, error) { return l.chain.Get(ctx) }

// cache is the cache of src, whose secrets are masked once obtained.
func (l *credentials) cache(src credchain.Source[Credentials]) *credchain.Cache[Credentials] {
	src.Cloud = cloudName
	src.Obtained = func(cred Credentials) {
		l.c.tr.AddSecret(cred.AccessKeySecret)
		l.c.tr.AddSecret(cred.SecurityToken)
	}
	return credchain.New(src, func() time.Time { return l.c.now() })
}

// build picks the source and wraps it in the assume_role block's role,
// contacting nothing (credchain.Choose: the first complete source; one
// configured in part before it is an error naming what it lacks).
func (l *credentials) build() (*credchain.Cache[Credentials], []string, error) {
	r := l.c.cfg.Credentials
	top, oidc := r.Top, r.Blocks(blockOIDC)[0]
	opts := []credchain.Option[Credentials]{
		{Candidate: credchain.KeysCandidate(top), Make: func() *credchain.Cache[Credentials] {
			return l.cache(credchain.KeysSource(cloudName, top, func(ak, sk, tok string) Credentials {
				return Credentials{AccessKeyID: ak, AccessKeySecret: sk, SecurityToken: tok}
			}))
		}},
		{Candidate: profileCandidate(top), Make: func() *credchain.Cache[Credentials] { return l.profile(top) }},
		{Candidate: ecsCandidate(top), Make: func() *credchain.Cache[Credentials] {
			return l.ecsRole("ecs_role_name", top.Origin("ecs_role_name"), top.Str("ecs_role_name"))
		}},
		{Candidate: uriCandidate(top), Make: func() *credchain.Cache[Credentials] {
			return l.uriSource("credentials_uri", top.Origin("credentials_uri"), top.Str("credentials_uri"))
		}},
		{Candidate: oidcCandidate(oidc), Make: func() *credchain.Cache[Credentials] { return l.oidc(oidc) }},
	}
	return credchain.Choose(cloudName, opts, func(int) ([]credchain.Layer[Credentials], error) {
		ar, err := roleOf(r.Blocks(blockAssumeRole)[0])
		if ar == nil || err != nil {
			return nil, err
		}
		return []credchain.Layer[Credentials]{func(below *credchain.Cache[Credentials]) *credchain.Cache[Credentials] { return l.assume(below, *ar) }}, nil
	})
}
