package huaweicloud

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// agency is one agency of the chain: whose credentials the ones before
// it are traded for.
type agency struct {
	// name and settings name it in errors ("assume_role[1]" and its
	// settings with their environment variables).
	name, settings string
	agencyName     string
	// domainName selects IAM v3 (agency.go), domainID IAM v5
	// (agencyv5.go).
	domainName, domainID string
	// duration is in seconds; 0 means DefaultDuration.
	duration int
}

// agencyOf reads an assume_role block. Both domains set (one from the
// configuration, one from the environment): the configured one wins;
// both from the environment: domain_id (IAM v5), as the huaweicloud
// provider does.
func agencyOf(v *credchain.Values) (agency, error) {
	var missing []string
	if !v.Has("agency_name") {
		missing = append(missing, v.Name("agency_name"))
	}
	if !v.Any("domain_name", "domain_id") {
		missing = append(missing, v.Name("domain_name")+" or "+v.Name("domain_id"))
	}
	if len(missing) > 0 {
		return agency{}, &credchain.IncompleteError{Cloud: cloudName, Source: v.Label(), Missing: missing}
	}
	a := agency{name: v.Label(), agencyName: v.Str("agency_name"), duration: int(v.Int("duration"))}
	domain := "domain_name"
	if v.Has("domain_id") && (!v.Has("domain_name") || v.FromEnv("domain_name") || !v.FromEnv("domain_id")) {
		domain, a.domainID = "domain_id", v.Str("domain_id")
	} else {
		a.domainName = v.Str("domain_name")
	}
	a.settings = v.Name("agency_name") + " and " + v.Name(domain)
	return a, nil
}

// assume caches the credentials of agency a, assumed with base's.
func (c *Client) assume(base *credchain.Cache[Credentials], a agency) *credchain.Cache[Credentials] {
	return c.Factory.Traded(a.name, a.settings, base, func(ctx context.Context) (Credentials, time.Time, error) {
		if a.domainID != "" {
			return c.assumeAgencyV5(ctx, base, a)
		}
		return c.assumeAgencyV3(ctx, base, a)
	})
}

// signedBy signs each attempt with the credentials get returns then
// (the chain's, or those below an agency).
func (c *Client) signedBy(get func(context.Context) (Credentials, error)) func(*http.Request, []byte) error {
	return func(req *http.Request, body []byte) error {
		cred, err := get(req.Context())
		if err != nil {
			return err
		}
		return Sign(req, body, cred, c.now())
	}
}

// assumeAgencyV3 trades the base credentials for the agency's through IAM
// CreateTemporaryAccessKeyByAgency
// (https://support.huaweicloud.com/intl/en-us/api-iam/iam_04_0101.html).
func (c *Client) assumeAgencyV3(ctx context.Context, base *credchain.Cache[Credentials], a agency) (Credentials, time.Time, error) {
	type assumeRole struct {
		AgencyName      string `json:"agency_name"`
		DomainName      string `json:"domain_name"`
		DurationSeconds int    `json:"duration_seconds"`
	}
	var body struct {
		Auth struct {
			Identity struct {
				Methods    []string   `json:"methods"`
				AssumeRole assumeRole `json:"assume_role"`
			} `json:"identity"`
		} `json:"auth"`
	}
	body.Auth.Identity.Methods = []string{"assume_role"}
	body.Auth.Identity.AssumeRole = assumeRole{AgencyName: a.agencyName, DomainName: a.domainName, DurationSeconds: orDuration(a.duration)}
	b, err := json.Marshal(body)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	const op = "CreateTemporaryAccessKeyByAgency"
	resp, err := c.send(ctx, Call{
		Operation: op, Service: "iam", Region: c.HomeRegion(), Method: http.MethodPost,
		Path: "/v3.0/OS-CREDENTIAL/securitytokens", Body: b, ContentType: jsonUTF8,
	}, c.signedBy(base.Get))
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeCredential(op, resp.Body)
}

// jsonUTF8 is the content type the official SDK sends with IAM's
// credential requests.
const jsonUTF8 = "application/json;charset=UTF-8"

// credential is the credential object of IAM securitytokens answers and
// of the ECS metadata service; the SDK reads either spelling of its
// fields (huaweicloud-sdk-go-v3, core/auth/internal/metadata_accessor.go).
type credential struct {
	Access        string `json:"access"`
	Secret        string `json:"secret"`
	SecurityToken string `json:"securitytoken"`
	ExpiresAt     string `json:"expires_at"`

	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SecurityTokenV2 string `json:"securityToken"`
	Expiration      string `json:"expiration"`
}

// decodeCredential reads the credential object of an answer. The answer
// carries secrets: errors describe what is missing, never the body. A
// missing or zero expiry is refused (credchain.ParseExpiry).
func decodeCredential(op string, body []byte) (Credentials, time.Time, error) {
	var r struct {
		Credential *credential `json:"credential"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return Credentials{}, time.Time{}, credchain.NotJSON(op)
	}
	cr := r.Credential
	if cr == nil {
		return Credentials{}, time.Time{}, credchain.Lacks(op, "credential")
	}
	cred := Credentials{AccessKey: first(cr.Access, cr.AccessKeyID), SecretKey: first(cr.Secret, cr.SecretAccessKey),
		SecurityToken: first(cr.SecurityToken, cr.SecurityTokenV2)}
	if cred.AccessKey == "" || cred.SecretKey == "" || cred.SecurityToken == "" {
		return Credentials{}, time.Time{}, credchain.Lacks(op, "credential.access, secret or securitytoken")
	}
	exp, err := credchain.ParseExpiry(op, "credential.expires_at", first(cr.ExpiresAt, cr.Expiration))
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return cred, exp, nil
}

// first returns the first non-empty value.
func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
