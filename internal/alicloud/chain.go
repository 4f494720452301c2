package alicloud

import (
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// cloudName is the cloud's name in credential messages.
const cloudName = "Alibaba Cloud"

// Client.Chain is the credential chain: one source picked from the
// settings in the order the docs give (keys, the profile, the instance
// role, credentials_uri, then the OIDC exchange), then the assume_role
// block's role, when written. Each source is a cache that refreshes its
// credentials before they expire, once for all concurrent requests
// (internal/credchain); what they obtain is masked (Client.Factory).

// build picks the source and wraps it in the assume_role block's role,
// contacting nothing (credchain.Choose: the first complete source; one
// configured in part before it is an error naming what it lacks).
func (c *Client) buildChain() (*credchain.Cache[Credentials], []string, error) {
	r := c.cfg.Credentials
	top, oidc := r.Top, r.Blocks(credchain.BlockOIDC)[0]
	opts := []credchain.Option[Credentials]{
		c.Factory.Keys(top, func(ak, sk, tok string) Credentials {
			return Credentials{AccessKeyID: ak, AccessKeySecret: sk, SecurityToken: tok}
		}),
		c.Factory.Profile(top, "aliyun CLI", "shared_credentials_file", c.resolveProfile),
		{Candidate: ecsCandidate(top), Make: func() *credchain.Cache[Credentials] {
			return c.ecsRole("ecs_role_name", top.Origin("ecs_role_name"), top.Str("ecs_role_name"))
		}},
		{Candidate: uriCandidate(top), Make: func() *credchain.Cache[Credentials] {
			return c.uriSource("credentials_uri", top.Origin("credentials_uri"), top.Str("credentials_uri"))
		}},
		{Candidate: oidcCandidate(oidc), Make: func() *credchain.Cache[Credentials] { return c.oidc(oidc) }},
	}
	return credchain.Choose(cloudName, opts, func(int) ([]credchain.Layer[Credentials], error) {
		ar, err := roleOf(r.Blocks(credchain.BlockAssumeRole)[0])
		if ar == nil || err != nil {
			return nil, err
		}
		return []credchain.Layer[Credentials]{func(below *credchain.Cache[Credentials]) *credchain.Cache[Credentials] { return c.assume(below, *ar) }}, nil
	})
}
