package huaweicloud

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// oidcCandidate is the assume_role_with_oidc block as a source: written
// in the configuration, or any of its identity settings set in the
// environment (HW_ASSUME_ROLE_IDP_ID, a token or a token file; the agency
// variables alone select assume_role instead). It needs idp_id and a
// token; agency_name and domain_id come together or not at all.
func oidcCandidate(v *credchain.Values) credchain.Candidate {
	token := v.Name("id_token") + " or " + v.Name("id_token_file")
	c := credchain.Candidate{Name: "assume_role_with_oidc", Configured: v.InConfig || v.Any("idp_id", "id_token", "id_token_file"),
		Needs: "assume_role_with_oidc: " + v.Name("idp_id") + " with " + token}
	if !v.Has("idp_id") {
		c.Missing = append(c.Missing, v.Name("idp_id"))
	}
	if !v.Any("id_token", "id_token_file") {
		c.Missing = append(c.Missing, token)
	}
	switch {
	case v.Has("agency_name") && !v.Has("domain_id"):
		c.Missing = append(c.Missing, v.Name("domain_id")+" (with agency_name)")
	case v.Has("domain_id") && !v.Has("agency_name"):
		c.Missing = append(c.Missing, v.Name("agency_name")+" (with domain_id)")
	}
	return c
}

// oidcConfigured reports whether an identity provider claims the agency
// variables: the block is written, or HW_ASSUME_ROLE_IDP_ID is set.
func oidcConfigured(v *credchain.Values) bool { return v.InConfig || v.Has("idp_id") }

// oidc is the source of the OIDC exchange. The token written in the
// configuration (either setting) wins; from the environment alone, the
// token wins over the token file, as in the huaweicloud provider.
func (c *Client) oidc(v *credchain.Values) *credchain.Cache[Credentials] {
	idp, token, dur := v.Str("idp_id"), v.Token("id_token", "id_token_file"), int(v.Int("duration"))
	return c.Factory.Cache(credchain.Source[Credentials]{Name: "assume_role_with_oidc", Temporary: true,
		Settings: v.Origin("idp_id") + " with " + token.Setting,
		Fetch: func(ctx context.Context) (Credentials, time.Time, error) {
			tok, err := token.Read(ctx)
			if err != nil {
				return Credentials{}, time.Time{}, err
			}
			return c.exchangeIDToken(ctx, idp, tok, dur)
		}})
}

// exchangeIDToken trades an OIDC id token for an IAM token
// (CreateTokenWithIdToken, https://support.huaweicloud.com/intl/en-us/api-iam/iam_13_0605.html),
// then that token for temporary credentials
// (CreateTemporaryAccessKeyByToken), with the headers and bodies of the
// official SDK (huaweicloud-sdk-go-v3, core/auth/internal): the IAM token
// in the body (token.id), as the SDK and the huaweicloud provider send
// it, not in X-Auth-Token. Neither request is signed: the id token, then
// the IAM token, is the proof.
func (c *Client) exchangeIDToken(ctx context.Context, idpID, idToken string, duration int) (Credentials, time.Time, error) {
	c.tr.AddSecret(idToken)
	var idBody struct {
		Auth struct {
			IDToken struct {
				ID string `json:"id"`
			} `json:"id_token"`
		} `json:"auth"`
	}
	idBody.Auth.IDToken.ID = idToken
	b, err := json.Marshal(idBody)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	resp, err := c.send(ctx, Call{
		Operation: "CreateTokenWithIdToken", Service: "iam", Region: c.HomeRegion(), Method: http.MethodPost,
		Path: "/v3.0/OS-AUTH/id-token/tokens", Body: b, ContentType: jsonUTF8, header: http.Header{"X-Idp-Id": {idpID}},
	}, nil)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	subject := resp.Header.Get("X-Subject-Token")
	if subject == "" {
		return Credentials{}, time.Time{}, errors.New("CreateTokenWithIdToken: the answer has no X-Subject-Token header")
	}
	c.tr.AddSecret(subject)

	type token struct {
		ID              string `json:"id"`
		DurationSeconds int    `json:"duration_seconds"`
	}
	var tokBody struct {
		Auth struct {
			Identity struct {
				Methods []string `json:"methods"`
				Token   token    `json:"token"`
			} `json:"identity"`
		} `json:"auth"`
	}
	tokBody.Auth.Identity.Methods = []string{"token"}
	tokBody.Auth.Identity.Token = token{ID: subject, DurationSeconds: orDuration(duration)}
	if b, err = json.Marshal(tokBody); err != nil {
		return Credentials{}, time.Time{}, err
	}
	const op = "CreateTemporaryAccessKeyByToken"
	resp, err = c.send(ctx, Call{
		Operation: op, Service: "iam", Region: c.HomeRegion(), Method: http.MethodPost,
		Path: "/v3.0/OS-CREDENTIAL/securitytokens", Body: b, ContentType: jsonUTF8,
	}, nil)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeCredential(op, resp.Body)
}
