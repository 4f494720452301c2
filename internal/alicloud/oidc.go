package alicloud

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// oidcRole is an OIDC token traded for a RAM role's credentials: the
// assume_role_with_oidc block's, or a profile's of mode OIDC.
type oidcRole struct {
	providerARN, roleARN string
	// token is the token, or its file read again at each refresh.
	token               credchain.Token
	sessionName, policy string
	duration            int
	sts                 stsTarget
}

// oidcCandidate is the assume_role_with_oidc block as a source: written
// in the configuration, or its provider or a token set in the
// environment (ALIBABA_CLOUD_ROLE_ARN alone selects nothing, as in the
// official tools). It needs all three.
func oidcCandidate(v *credchain.Values) credchain.Candidate {
	token := v.Name("oidc_token") + " or " + v.Name("oidc_token_file")
	c := credchain.Candidate{Name: "assume_role_with_oidc", Configured: v.InConfig || v.Any("oidc_provider_arn", "oidc_token", "oidc_token_file"),
		Needs: "assume_role_with_oidc: " + v.Name("oidc_provider_arn") + ", " + v.Name("role_arn") + " and " + token}
	for _, s := range []string{"oidc_provider_arn", "role_arn"} {
		if !v.Has(s) {
			c.Missing = append(c.Missing, v.Name(s))
		}
	}
	if !v.Any("oidc_token", "oidc_token_file") {
		c.Missing = append(c.Missing, token)
	}
	return c
}

// oidc is the source of the assume_role_with_oidc block. The token
// written in the configuration (either setting) wins; from the
// environment alone, the token wins over the token file.
func (c *Client) oidc(v *credchain.Values) *credchain.Cache[Credentials] {
	o := oidcRole{providerARN: v.Str("oidc_provider_arn"), roleARN: v.Str("role_arn"), token: v.Token("oidc_token", "oidc_token_file"),
		sessionName: v.Str("role_session_name"), policy: v.Str("policy"), duration: int(v.Int("session_expiration"))}
	return c.oidcSource("assume_role_with_oidc", v.Origin("oidc_provider_arn")+", "+v.Origin("role_arn")+" and "+o.token.Setting, o)
}

// oidcSource caches the credentials of o, named name and selected by
// settings.
func (c *Client) oidcSource(name, settings string, o oidcRole) *credchain.Cache[Credentials] {
	return c.Factory.Cache(credchain.Source[Credentials]{Name: name, Settings: settings, Temporary: true,
		Fetch: func(ctx context.Context) (Credentials, time.Time, error) { return c.assumeRoleWithOIDC(ctx, o) }})
}

// assumeRoleWithOIDC calls STS AssumeRoleWithOIDC as the official
// credentials library sends it (credentials-go, providers/oidc.go): not
// signed (the token is the proof), Action, Version, Format and Timestamp
// in the query, the parameters in a form body, so that the token is
// never part of a URL (nor of a logged query).
func (c *Client) assumeRoleWithOIDC(ctx context.Context, o oidcRole) (Credentials, time.Time, error) {
	tok, err := o.token.Read(ctx)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	c.tr.AddSecret(tok)
	ep, err := c.stsEndpoint(o.sts)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	form := url.Values{
		"OIDCProviderArn": {o.providerARN},
		"RoleArn":         {o.roleARN},
		"OIDCToken":       {tok},
		"RoleSessionName": {orDefault(o.sessionName, DefaultSessionName)},
		"DurationSeconds": {strconv.Itoa(orDefault(o.duration, DefaultDuration))},
	}
	if o.policy != "" {
		form.Set("Policy", o.policy)
	}
	resp, err := c.rpc(ctx, RPCCall{Product: "sts", Action: "AssumeRoleWithOIDC", Version: stsVersion, endpoint: ep, noRegionID: true,
		form: form, commonInQuery: true}, nil)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeSTS("AssumeRoleWithOIDC", resp.Body)
}
