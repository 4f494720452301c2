package huaweicloud

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// AgencyURN is the URN IAM v5 names an agency by.
func AgencyURN(domainID, agencyName string) string {
	return "iam::" + domainID + ":agency:" + agencyName
}

// assumeAgencyV5 trades the base credentials for the agency's through IAM
// v5 AssumeAgency, POST {sts}/v5/agencies/assume, signed like any other
// call (huaweicloud-sdk-go-v3, services/sts/v1; the huaweicloud
// provider's huaweicloud/config/auth.go). The session is named after the
// agency, as the huaweicloud provider names it.
func (c *Client) assumeAgencyV5(ctx context.Context, base *credchain.Cache[Credentials], a agency) (Credentials, time.Time, error) {
	b, err := json.Marshal(struct {
		AgencyURN         string `json:"agency_urn"`
		AgencySessionName string `json:"agency_session_name"`
		DurationSeconds   int    `json:"duration_seconds"`
	}{AgencyURN(a.domainID, a.agencyName), a.agencyName, orDuration(a.duration)})
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	const op = "AssumeAgency"
	resp, err := c.send(ctx, Call{
		Operation: op, Service: "sts", Region: c.HomeRegion(), Method: http.MethodPost,
		Path: "/v5/agencies/assume", Body: b, ContentType: "application/json", // the SDK's (services/sts/v1/sts_meta.go)
	}, c.signedBy(base.Get))
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeV5Credentials(op, resp.Body)
}

// decodeV5Credentials reads the credentials of an IAM v5 answer; errors
// describe what is missing, never the body (it carries secrets).
func decodeV5Credentials(op string, body []byte) (Credentials, time.Time, error) {
	var r struct {
		Credentials *struct {
			AccessKeyID     string `json:"access_key_id"`
			SecretAccessKey string `json:"secret_access_key"`
			SecurityToken   string `json:"security_token"`
			Expiration      string `json:"expiration"`
		} `json:"credentials"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return Credentials{}, time.Time{}, credchain.NotJSON(op)
	}
	cr := r.Credentials
	if cr == nil || cr.AccessKeyID == "" || cr.SecretAccessKey == "" || cr.SecurityToken == "" {
		return Credentials{}, time.Time{}, credchain.Lacks(op, "credentials.access_key_id, secret_access_key or security_token")
	}
	exp, err := credchain.ParseExpiry(op, "credentials.expiration", cr.Expiration)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return Credentials{AccessKey: cr.AccessKeyID, SecretKey: cr.SecretAccessKey, SecurityToken: cr.SecurityToken}, exp, nil
}
