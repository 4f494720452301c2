package emulator

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// assumeRole sends a signed STS AssumeRole (ACS3) with params.
func (e *env) assumeRole(params url.Values) result {
	req := e.newReq(http.MethodPost, "/", params, nil)
	req.Header.Set("x-acs-action", "AssumeRole")
	req.Header.Set("x-acs-version", "2015-04-01")
	signAli(req, nil, e.ali, time.Now())
	return e.send(req)
}

// TestAssumeRoleTrust: a role whose trust policy asks for an external ID
// is assumed with it, and refused without it or with another one, as STS
// refuses an unmet condition; an unknown role does not exist.
func TestAssumeRoleTrust(t *testing.T) {
	e := newEnv(t, Options{})
	params := func(role, externalID string) url.Values {
		q := url.Values{"RoleArn": {role}, "RoleSessionName": {"ci"}}
		if externalID != "" {
			q.Set("ExternalId", externalID)
		}
		return q
	}
	r := e.assumeRole(params(DemoAliExternalRoleARN, DemoAliExternalID))
	wantOK(t, r)
	wantAliErr(t, e.assumeRole(params(DemoAliExternalRoleARN, "")), http.StatusForbidden, "NoPermission")
	wantAliErr(t, e.assumeRole(params(DemoAliExternalRoleARN, "opsaudit-external-7f3b")), http.StatusForbidden, "NoPermission")
	wantAliErr(t, e.assumeRole(params("acs:ram::1234567890123456:role/nobody", "")), http.StatusNotFound, "EntityNotExist.Role")
	// The role that asks for nothing takes an external ID it ignores.
	wantOK(t, e.assumeRole(params(DemoAliRoleARN, "anything")))
}
