package emulator

import (
	"fmt"
	"net/http"
	"net/url"
)

// The RAM roles STS lets callers assume: DemoAliRoleARN trusts any caller
// and OIDC provider the emulator knows; DemoAliExternalRoleARN's trust
// policy asks for an external ID (the sts:ExternalId condition), as a
// role a partner assumes does
// (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole).
const (
	DemoAliExternalRoleARN = "acs:ram::1234567890123456:role/opsaudit-partner"
	DemoAliExternalID      = "opsaudit-external-7f3a"
)

// trustRole answers the refusal of an AssumeRole or AssumeRoleWithOIDC
// whose role does not exist or does not trust the request (nil when it
// does): an unknown role is 404 EntityNotExist.Role; the external-ID role
// without its external ID, or with another, is 403 NoPermission, as a
// trust policy's unmet condition is refused.
func (c *credCall) trustRole(q url.Values) *response {
	switch arn := q.Get("RoleArn"); arn {
	case DemoAliRoleARN:
		return nil
	case DemoAliExternalRoleARN:
		if q.Get("ExternalId") != DemoAliExternalID {
			return c.aliErr(http.StatusForbidden, "NoPermission", "You are not authorized to assume this role: its trust policy asks for another ExternalId.")
		}
		return nil
	default:
		return c.aliErr(http.StatusNotFound, "EntityNotExist.Role", fmt.Sprintf("The role not exists: %s.", arn))
	}
}
