package huaweicloud

import (
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// cloudName is the cloud's name in credential messages.
const cloudName = "Huawei Cloud"

// The Client's credential chain (Client.Chain): one source picked from
// the settings in the order the docs give (keys, the KooCLI profile, ECS
// metadata, then the OIDC exchange), then the agencies that trade it for
// theirs, in order (the OIDC block's own agency, then each assume_role).
// Every source caches its credentials and refreshes them before they
// expire, once for all concurrent requests (internal/credchain); the
// secrets they obtain are masked from then on (Client.Factory).

// build picks the source and wraps it in the agencies configured,
// contacting nothing (credchain.Choose: the first complete source; one
// configured in part before it is an error naming what it lacks).
func (c *Client) buildChain() (*credchain.Cache[Credentials], []string, error) {
	r := c.cfg.Credentials
	top, oidc := r.Top, r.Blocks(credchain.BlockOIDC)[0]
	opts := []credchain.Option[Credentials]{
		c.Factory.Keys(top, func(ak, sk, tok string) Credentials {
			return Credentials{AccessKey: ak, SecretKey: sk, SecurityToken: tok}
		}),
		c.Factory.Profile(top, "KooCLI", "shared_config_file", c.resolveProfile),
		{Candidate: metadataCandidate(top), Make: func() *credchain.Cache[Credentials] { return c.metadata(top) }},
		{Candidate: oidcCandidate(oidc), Make: func() *credchain.Cache[Credentials] { return c.oidc(oidc) }},
	}
	return credchain.Choose(cloudName, opts, func(chosen int) ([]credchain.Layer[Credentials], error) {
		return c.agencies(r, oidc, chosen == len(opts)-1)
	})
}

// agencies are the agencies the chosen source's credentials are traded
// for, in order: the OIDC block's (when the OIDC exchange is the source),
// then each assume_role block. An assume_role written in the
// configuration always counts; from the environment alone,
// HW_ASSUME_ROLE_AGENCY_NAME counts only when no identity provider is
// set, since with one it is the OIDC exchange's agency, as in the
// huaweicloud provider. One configured in part is an error.
func (c *Client) agencies(r *credchain.Resolved, oidc *credchain.Values, oidcChosen bool) ([]credchain.Layer[Credentials], error) {
	var out []agency
	if oidcChosen && oidc.Has("agency_name") {
		out = append(out, agency{name: "the agency of assume_role_with_oidc", settings: oidc.Name("agency_name") + " and " + oidc.Name("domain_id"),
			agencyName: oidc.Str("agency_name"), domainID: oidc.Str("domain_id"), duration: int(oidc.Int("duration"))})
	}
	for _, v := range r.Blocks(credchain.BlockAssumeRole) {
		if !v.InConfig && (!v.Has("agency_name") || oidcConfigured(oidc)) {
			continue
		}
		a, err := agencyOf(v)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	layers := make([]credchain.Layer[Credentials], len(out))
	for i, a := range out {
		layers[i] = func(below *credchain.Cache[Credentials]) *credchain.Cache[Credentials] { return c.assume(below, a) }
	}
	return layers, nil
}

// signatureHint is what a 401 from a signed Huawei Cloud request asks to
// check: the source the access key id and secret key come from, and the
// API gateway's lock of an access key for five minutes after five failed
// signatures in a row ("Common Errors Related to IAM Authentication
// Information", https://support.huaweicloud.com/intl/en-us/apig_faq/apig-faq-0003.html),
// which is why a 401 is never retried.
func (c *Client) signatureHint() string {
	from := "the configured credentials"
	if top := c.Chain.Top(); top != nil {
		from = top.Describe()
	}
	return "Huawei Cloud refused the request's signature: check that the access key id and the secret key of " + from +
		" belong together and are current. Huawei Cloud locks an access key for five minutes after five failed " +
		"signatures in a row: correct the key before running again."
}

// orDuration returns d, or DefaultDuration when d is 0.
func orDuration(d int) int {
	if d == 0 {
		return DefaultDuration
	}
	return d
}
