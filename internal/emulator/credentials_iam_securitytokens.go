package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// APISecurityTokens is Huawei IAM POST /v3.0/OS-CREDENTIAL/securitytokens
// (https://support.huaweicloud.com/intl/en-us/api-iam/iam_04_0101.html):
// an agency's temporary credentials for a signed caller (method
// assume_role, IAM v3), or temporary credentials for an IAM token (method
// token: the token of the id-token exchange, APIIDTokenTokens).
const APISecurityTokens = "iam-securitytokens"

// Issuers of the credentials of APISecurityTokens, as IssuedBy reports
// them: by an agency, or for the token of the OIDC exchange.
const (
	IssuerHuaweiAgency = "huawei-assume-role"
	IssuerHuaweiOIDC   = "huawei-oidc"
)

func init() {
	registerCredentials(&credService{name: APISecurityTokens, serve: (*credCall).securityTokens, unreadable: hwUnreadable,
		match: func(r *http.Request) bool { return r.URL.Path == "/v3.0/OS-CREDENTIAL/securitytokens" }})
}

// hwCredential is the credential object of IAM securitytokens answers.
type hwCredential struct {
	Access        string `json:"access"`
	Secret        string `json:"secret"`
	SecurityToken string `json:"securitytoken"`
	ExpiresAt     string `json:"expires_at"`
}

// securityTokens answers IAM POST /v3.0/OS-CREDENTIAL/securitytokens:
// method assume_role signed with AK/SK, or method token with the subject
// token in the X-Auth-Token header or in the body's token.id (the
// official SDK and the huaweicloud provider send the body form; IAM's
// model gives the body id as the header's equal). A request that also
// carries an AK/SK signature must verify, as the gateway checks it first.
func (c *credCall) securityTokens() *response {
	if c.r.Method != http.MethodPost {
		return c.hwErr(http.StatusMethodNotAllowed, "APIG.0101", "Method not allowed.")
	}
	var req struct {
		Auth struct {
			Identity struct {
				Methods    []string `json:"methods"`
				AssumeRole *struct {
					AgencyName      string `json:"agency_name"`
					DomainName      string `json:"domain_name"`
					DomainID        string `json:"domain_id"`
					DurationSeconds int    `json:"duration_seconds"`
				} `json:"assume_role"`
				Token *struct {
					ID              string `json:"id"`
					DurationSeconds int    `json:"duration_seconds"`
				} `json:"token"`
			} `json:"identity"`
		} `json:"auth"`
	}
	bodyErr := json.Unmarshal(c.body, &req)
	id := req.Auth.Identity
	header := c.r.Header.Get("X-Auth-Token")
	tokenMethod := header != "" || (bodyErr == nil && len(id.Methods) == 1 && id.Methods[0] == "token")
	if c.r.Header.Get("Authorization") != "" || !tokenMethod {
		if aerr := c.s.verifyHuawei(c.r, c.body); aerr != nil {
			return c.hwErr(aerr.status, aerr.code, aerr.msg)
		}
	}
	var duration int
	var issuer, signer string
	if tokenMethod {
		if bodyErr != nil || id.Token == nil || len(id.Methods) != 1 || id.Methods[0] != "token" {
			return c.hwErr(http.StatusBadRequest, "IAM.0007", "The request body is invalid: methods must be [\"token\"] with a token object.")
		}
		tok := header
		switch body := id.Token.ID; {
		case tok == "" && body == "":
			return c.hwErr(http.StatusUnauthorized, "IAM.0001", "The token is missing: send it as X-Auth-Token or as auth.identity.token.id.")
		case tok == "":
			tok = body
		case body != "" && !equalSecret(body, tok):
			return c.hwErr(http.StatusBadRequest, "IAM.0007", "The request body is invalid: auth.identity.token.id differs from X-Auth-Token.")
		}
		if !c.s.creds.validToken(tok, c.s.now()) {
			return c.hwErr(http.StatusUnauthorized, "IAM.0001", "The token is invalid or has expired.")
		}
		duration, issuer = id.Token.DurationSeconds, IssuerHuaweiOIDC
	} else {
		if bodyErr != nil || id.AssumeRole == nil || len(id.Methods) != 1 || id.Methods[0] != "assume_role" {
			return c.hwErr(http.StatusBadRequest, "IAM.0007", "The request body is invalid: methods must be [\"assume_role\"] with an assume_role object.")
		}
		ar := id.AssumeRole
		// The agency's domain by name or by id (IAM's model takes
		// either; the SDK's IdentityAssumerole has both).
		domain := ar.DomainName
		if domain == "" && ar.DomainID == DemoHuaweiDomainID {
			domain = DemoHuaweiDomain
		}
		if domain != DemoHuaweiDomain || ar.AgencyName != DemoHuaweiAgency {
			return c.hwErr(http.StatusNotFound, "IAM.0002", fmt.Sprintf("Could not find agency %q in domain %q.", ar.AgencyName, ar.DomainName+ar.DomainID))
		}
		duration, issuer, signer = ar.DurationSeconds, IssuerHuaweiAgency, SignedBy(RecordedRequest{Header: c.r.Header})
	}
	if duration == 0 {
		duration = 900
	}
	if duration < 900 || duration > 86400 {
		return c.hwErr(http.StatusBadRequest, "IAM.0007", "duration_seconds must be between 900 and 86400.")
	}
	ak, is := c.s.creds.issue(c.s.now(), c.s.lifetime(time.Duration(duration)*time.Second), true, issuer, signer)
	return c.hwJSON(http.StatusCreated, map[string]hwCredential{"credential": {
		Access: ak, Secret: is.secret, SecurityToken: is.token, ExpiresAt: is.expires.UTC().Format("2006-01-02T15:04:05.000000Z"),
	}})
}
