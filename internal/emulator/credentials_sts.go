package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// APISTS is Alibaba STS, version 2015-04-01: AssumeRole, signed
// (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole),
// and AssumeRoleWithOIDC, anonymous
// (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerolewithoidc),
// both RPC actions at "/". The roles it lets callers assume are in
// credentials_roles.go.
const APISTS = "sts"

// Issuers of the credentials of APISTS, as IssuedBy reports them.
const (
	IssuerAliAssume = "ali-assume-role"
	IssuerAliOIDC   = "ali-oidc"
)

func init() {
	registerCredentials(&credService{name: APISTS, serve: (*credCall).sts,
		unreadable: func(c *credCall) *response {
			return c.aliErr(http.StatusRequestEntityTooLarge, "InvalidParameter", "The request body could not be read.")
		},
		match: func(r *http.Request) bool {
			if p := r.URL.Path; p != "/" && p != "" {
				return false
			}
			action, _ := rpcActionVersion(r, r.URL.Query())
			return action == "AssumeRole" || action == "AssumeRoleWithOIDC"
		}})
}

// stsCredentials is the Credentials object of STS and metadata answers.
type stsCredentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken"`
	Expiration      string `json:"Expiration"`
}

func aliCredentials(ak string, is issued) stsCredentials {
	return stsCredentials{AccessKeyID: ak, AccessKeySecret: is.secret, SecurityToken: is.token, Expiration: is.expires.UTC().Format(aliDateFmt)}
}

// sts answers STS AssumeRole (signed) and AssumeRoleWithOIDC (unsigned).
func (c *credCall) sts() *response {
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return c.aliErr(http.StatusBadRequest, "InvalidParameter", "The request parameters are malformed.")
	}
	if strings.HasPrefix(strings.ToLower(c.r.Header.Get("Content-Type")), "application/x-www-form-urlencoded") && len(c.body) > 0 {
		form, err := url.ParseQuery(string(c.body))
		if err != nil {
			return c.aliErr(http.StatusBadRequest, "InvalidParameter", "The request body is malformed.")
		}
		for k, v := range form {
			q[k] = append(q[k], v...)
		}
	}
	action, version := rpcActionVersion(c.r, q)
	if version != "2015-04-01" {
		return c.aliErr(http.StatusBadRequest, "InvalidVersion", "Specified parameter Version is not valid.")
	}
	duration := 3600
	if v := q.Get("DurationSeconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 900 || n > 43200 {
			return c.aliErr(http.StatusBadRequest, "InvalidParameter.DurationSeconds", "The DurationSeconds must be between 900 and 43200.")
		}
		duration = n
	}
	if q.Get("RoleSessionName") == "" {
		return c.aliErr(http.StatusBadRequest, "MissingRoleSessionName", "RoleSessionName is mandatory for this action.")
	}
	var issuer, signer string
	if action == "AssumeRole" {
		if aerr := c.s.verifyAli(c.r, c.body); aerr != nil {
			return c.aliErr(aerr.status, aerr.code, aerr.msg)
		}
		issuer, signer = IssuerAliAssume, SignedBy(RecordedRequest{Header: c.r.Header, RawQuery: c.r.URL.RawQuery, Body: c.body})
	} else {
		if c.r.Header.Get("Authorization") != "" || q.Has("Signature") {
			return c.aliErr(http.StatusBadRequest, "InvalidParameter", "AssumeRoleWithOIDC is an anonymous call: send it without a signature.")
		}
		// credentials-go and the STS SDK send a Timestamp with the
		// anonymous call too; when there is one, it is held to the
		// signed calls' format and window.
		if ts := q.Get("Timestamp"); ts != "" {
			t, err := time.Parse(aliDateFmt, ts)
			switch {
			case err != nil:
				return c.aliErr(http.StatusBadRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
			case skewed(t, c.s.now()):
				return c.aliErr(http.StatusBadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
			}
		}
		if arn := q.Get("OIDCProviderArn"); arn != DemoAliOIDCProviderARN {
			return c.aliErr(http.StatusNotFound, "EntityNotExist.OIDCProvider", fmt.Sprintf("The OIDC provider does not exist: %s.", arn))
		}
		switch err := checkIDToken(q.Get("OIDCToken"), c.s.now()); {
		case errors.Is(err, errTokenExpired):
			return c.aliErr(http.StatusBadRequest, "AuthenticationFail.OIDCToken.Expired", "The OIDCToken has expired.")
		case err != nil:
			return c.aliErr(http.StatusBadRequest, "AuthenticationFail.OIDCToken.Invalid", "The OIDCToken is invalid: its signature or claims do not verify.")
		}
		issuer = IssuerAliOIDC
	}
	if refused := c.trustRole(q); refused != nil {
		return refused
	}
	ak, is := c.s.creds.issue(c.s.now(), c.s.lifetime(time.Duration(duration)*time.Second), false, issuer, signer)
	return c.aliJSON(http.StatusOK, map[string]any{
		"RequestId":       c.reqID,
		"AssumedRoleUser": map[string]string{"Arn": q.Get("RoleArn") + "/" + q.Get("RoleSessionName"), "AssumedRoleId": "3000000000000000:" + q.Get("RoleSessionName")},
		"Credentials":     aliCredentials(ak, is),
	})
}
