package alicloud

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

const stsVersion = "2015-04-01"

// role is a RAM role the credentials below it are traded for, through
// STS AssumeRole: the assume_role block's, or an aliyun CLI profile's.
type role struct {
	// name and settings name it in errors.
	name, settings                       string
	arn, sessionName, policy, externalID string
	// duration is in seconds; 0 means DefaultDuration.
	duration int
	sts      stsTarget
}

// roleOf reads the assume_role block: written in the configuration only
// (its variables fill it in, as in the alicloud provider; none selects
// it alone), and it needs role_arn.
func roleOf(v *credchain.Values) (*role, error) {
	if !v.InConfig {
		return nil, nil
	}
	if !v.Has("role_arn") {
		return nil, &credchain.IncompleteError{Cloud: cloudName, Source: "assume_role", Missing: []string{v.Name("role_arn")}}
	}
	return &role{name: "assume_role", settings: v.Origin("role_arn"), arn: v.Str("role_arn"), sessionName: v.Str("session_name"),
		policy: v.Str("policy"), externalID: v.Str("external_id"), duration: int(v.Int("session_expiration"))}, nil
}

// assume caches the credentials of r, assumed with below's.
func (c *Client) assume(below *credchain.Cache[Credentials], r role) *credchain.Cache[Credentials] {
	return c.Factory.Traded(r.name, r.settings, below, func(ctx context.Context) (Credentials, time.Time, error) {
		return c.assumeRole(ctx, below, r)
	})
}

// assumeRole calls STS AssumeRole as the official credentials library
// sends it (credentials-go, providers/ram_role_arn.go): Action, Version,
// Format, Timestamp and the RPC signature of SignatureVersion 1.0 in the
// query, signed with the credentials below (their security token too);
// the role's parameters, ExternalId and Policy among them, in a form
// body.
func (c *Client) assumeRole(ctx context.Context, below *credchain.Cache[Credentials], r role) (Credentials, time.Time, error) {
	ep, err := c.stsEndpoint(r.sts)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	form := url.Values{
		"RoleArn":         {r.arn},
		"RoleSessionName": {orDefault(r.sessionName, DefaultSessionName)},
		"DurationSeconds": {strconv.Itoa(orDefault(r.duration, DefaultDuration))},
	}
	if r.policy != "" {
		form.Set("Policy", r.policy)
	}
	if r.externalID != "" {
		form.Set("ExternalId", r.externalID)
	}
	resp, err := c.rpc(ctx, RPCCall{Product: "sts", Action: "AssumeRole", Version: stsVersion, endpoint: ep, noRegionID: true,
		form: form, commonInQuery: true, signV1: true},
		below.Get)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeSTS("AssumeRole", resp.Body)
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// stsCredentials is the Credentials object of the STS answers, and the
// answer of the instance metadata service and of a credentials_uri.
type stsCredentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken"`
	Expiration      string `json:"Expiration"`
}

// decode checks the credentials of an answer; errors describe what is
// missing, never the values (the answer carries secrets). A missing or
// zero Expiration is refused (credchain.ParseExpiry).
func (s *stsCredentials) decode(op string) (Credentials, time.Time, error) {
	if s == nil || s.AccessKeyID == "" || s.AccessKeySecret == "" || s.SecurityToken == "" {
		return Credentials{}, time.Time{}, credchain.Lacks(op, "AccessKeyId, AccessKeySecret or SecurityToken")
	}
	exp, err := credchain.ParseExpiry(op, "Expiration", s.Expiration)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return Credentials{AccessKeyID: s.AccessKeyID, AccessKeySecret: s.AccessKeySecret, SecurityToken: s.SecurityToken}, exp, nil
}

// decodeSTS reads the Credentials of an STS answer.
func decodeSTS(op string, body []byte) (Credentials, time.Time, error) {
	var r struct {
		Credentials *stsCredentials `json:"Credentials"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return Credentials{}, time.Time{}, credchain.NotJSON(op)
	}
	return r.Credentials.decode(op)
}
