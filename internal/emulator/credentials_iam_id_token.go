package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// APIIDTokenTokens is Huawei IAM POST /v3.0/OS-AUTH/id-token/tokens
// (https://support.huaweicloud.com/intl/en-us/api-iam/iam_13_0605.html):
// an OIDC id token of the emulator's identity provider (oidc.go) for an
// IAM token, which APISecurityTokens trades for credentials.
const APIIDTokenTokens = "iam-id-token-tokens"

func init() {
	registerCredentials(&credService{name: APIIDTokenTokens, serve: (*credCall).idTokenTokens, unreadable: hwUnreadable,
		match: func(r *http.Request) bool { return r.URL.Path == "/v3.0/OS-AUTH/id-token/tokens" }})
}

// hwUnreadable is IAM's answer to a body that could not be read.
func hwUnreadable(c *credCall) *response {
	return c.hwErr(http.StatusRequestEntityTooLarge, "APIG.0201", "The request body could not be read.")
}

// idTokenTokens answers IAM POST /v3.0/OS-AUTH/id-token/tokens: an OIDC
// id token of the emulator's provider for an IAM token in X-Subject-Token.
func (c *credCall) idTokenTokens() *response {
	if c.r.Method != http.MethodPost {
		return c.hwErr(http.StatusMethodNotAllowed, "APIG.0101", "Method not allowed.")
	}
	if idp := c.r.Header.Get("X-Idp-Id"); idp != DemoHuaweiIdpID {
		return c.hwErr(http.StatusNotFound, "IAM.1000", fmt.Sprintf("The identity provider %q does not exist.", idp))
	}
	var req struct {
		Auth struct {
			IDToken struct {
				ID string `json:"id"`
			} `json:"id_token"`
			Scope *struct {
				Domain struct {
					ID string `json:"id"`
				} `json:"domain"`
			} `json:"scope"`
		} `json:"auth"`
	}
	if json.Unmarshal(c.body, &req) != nil || req.Auth.IDToken.ID == "" {
		return c.hwErr(http.StatusBadRequest, "IAM.0007", "The request body is invalid: auth.id_token.id is required.")
	}
	if sc := req.Auth.Scope; sc != nil && sc.Domain.ID != DemoHuaweiDomainID {
		return c.hwErr(http.StatusBadRequest, "IAM.0007", "The scope's domain does not own the identity provider.")
	}
	if err := checkIDToken(req.Auth.IDToken.ID, c.s.now()); err != nil {
		if errors.Is(err, errTokenExpired) {
			return c.hwErr(http.StatusBadRequest, "IAM.1001", "The id_token has expired.")
		}
		return c.hwErr(http.StatusBadRequest, "IAM.1002", "The id_token is invalid: its signature or claims do not verify.")
	}
	life := c.s.lifetime(24 * time.Hour)
	tok := c.s.creds.newToken(c.s.now(), life)
	resp := c.hwJSON(http.StatusCreated, map[string]any{"token": map[string]any{
		"expires_at": c.s.now().Add(life).UTC().Format("2006-01-02T15:04:05.000000Z"), "methods": []string{"mapped"},
	}})
	resp.header["X-Subject-Token"] = []string{tok}
	return resp
}
