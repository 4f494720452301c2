// Package alicloud is the Alibaba Cloud side of the provider: the
// ACS3-HMAC-SHA256 request signer, the RPC call helper, endpoint
// resolution and the error shape. Calls go through internal/transport,
// which retries (throttling codes included, through Retryable), logs and
// masks; this package never retries by itself.
package alicloud

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// EndpointKeys are the valid keys of Config.Endpoints (and of the
// provider's alicloud.endpoints map).
var EndpointKeys = []string{"oos", "sts", "imds"}

// DefaultIMDSEndpoint is the instance metadata service of an ECS instance,
// contacted only when ecs_role_name or a profile of mode EcsRamRole asks.
const DefaultIMDSEndpoint = "http://100.100.100.200"

// Config is the resolved alicloud block of the provider configuration
// (configuration values already merged with the environment).
type Config struct {
	Region, AccessKey, SecretKey, SecurityToken string
	// Endpoints overrides the base URL of a product, keyed by EndpointKeys.
	Endpoints map[string]string

	// SharedCredentialsFile and Profile select a profile of the aliyun CLI
	// file (credentials.go); the file is read only when one of them is set.
	SharedCredentialsFile, Profile string
	// ECSRoleName is the instance's RAM role, read through IMDSv2.
	ECSRoleName string
	// CredentialsURI answers a GET with temporary credentials.
	CredentialsURI string
	// AssumeRole, when set, trades the credentials found for a role's.
	AssumeRole *AssumeRole
	// OIDC, when set, is the source of last resort: an OIDC token traded
	// for a role's temporary credentials.
	OIDC *AssumeRoleWithOIDC
}

// Client calls Alibaba Cloud APIs. It is safe for concurrent use.
type Client struct {
	cfg Config
	tr  *transport.Client
	// now and nonce feed the signer (tests may replace them).
	now   func() time.Time
	nonce func() string

	// creds is the credentials layer (credentials.go).
	creds *credentials
	// profileRegionOnce guards profileRegionValue (profileRegion).
	profileRegionOnce  sync.Once
	profileRegionValue string
	// account is cfg.account(), sent with every request.
	account string
}

// account names whose requests the client sends, for the pacers that
// share a host's rate between processes (transport.Request.Account: a
// hash of it names their state file; it is never written): the access
// key, else the aliyun CLI profile, else the instance's RAM role or the
// credentials URI, else the OIDC provider and role, in the order the
// credentials layer picks them, and the role assumed. Empty when no
// source is set: then nothing is shared.
func (cfg Config) account() string {
	var who string
	switch {
	case cfg.AccessKey != "":
		who = "key " + cfg.AccessKey
	case cfg.SharedCredentialsFile != "" || cfg.Profile != "":
		who = "profile " + cfg.SharedCredentialsFile + "#" + cfg.Profile
	case cfg.ECSRoleName != "":
		who = "ecs " + cfg.ECSRoleName
	case cfg.CredentialsURI != "":
		who = "uri " + cfg.CredentialsURI
	case cfg.OIDC != nil:
		who = "oidc " + cfg.OIDC.OIDCProviderARN + " " + cfg.OIDC.RoleARN
	default:
		return ""
	}
	if ar := cfg.AssumeRole; ar != nil {
		who += " role " + ar.RoleARN
	}
	return "alicloud " + who
}

// NewClient returns a Client for cfg sending through tr.
func NewClient(cfg Config, tr *transport.Client) *Client {
	eps := make(map[string]string, len(cfg.Endpoints))
	for k, v := range cfg.Endpoints {
		eps[strings.ToLower(k)] = v
	}
	cfg.Endpoints = eps
	c := &Client{cfg: cfg, tr: tr, now: time.Now, nonce: NewNonce, account: cfg.account()}
	c.creds = newCredentials(c)
	return c
}

// Region returns override when set, else the configured region.
func (c *Client) Region(override string) (string, error) {
	if override != "" {
		return override, nil
	}
	if c.cfg.Region != "" {
		return c.cfg.Region, nil
	}
	if r := c.profileRegion(); r != "" {
		return r, nil
	}
	return "", errors.New("no Alibaba Cloud region: set `region` in the provider's alicloud block " +
		"(or the ALIBABA_CLOUD_REGION or ALICLOUD_REGION environment variable, or region_id in the aliyun CLI profile), or the data source's `region` argument")
}

// CheckCredentials reports, without contacting any service, whether the
// settings select a credential source, naming the settings and their
// environment variables (never their values) when they do not or when
// the source selected is incomplete.
func (c *Client) CheckCredentials() error {
	return c.creds.chain.Check()
}

// Endpoint returns the base URL of product in region: the configured
// override (trailing slashes trimmed) when there is one, else
// https://{product}.{region}.aliyuncs.com (for imds, DefaultIMDSEndpoint).
func (c *Client) Endpoint(product, region string) (string, error) {
	product = strings.ToLower(product)
	if !slices.Contains(EndpointKeys, product) {
		return "", fmt.Errorf("unknown Alibaba Cloud product %q (known: %s)", product, strings.Join(EndpointKeys, ", "))
	}
	if ep := strings.TrimRight(strings.TrimSpace(c.cfg.Endpoints[product]), "/"); ep != "" {
		if transport.CheckBaseURL(ep) != nil {
			return "", fmt.Errorf("endpoints.%s = %q is not an http(s) base URL", product, ep)
		}
		return ep, nil
	}
	if product == "imds" {
		return DefaultIMDSEndpoint, nil
	}
	if region == "" {
		return "", fmt.Errorf("no region to build the %s endpoint from", product)
	}
	if !transport.HostLabel(region) {
		return "", fmt.Errorf("region %q is not a valid region name (letters, digits and '-')", region)
	}
	return "https://" + product + "." + region + ".aliyuncs.com", nil
}

// RPCCall is one Alibaba Cloud RPC-style API call.
type RPCCall struct {
	// Operation names the call in logs and errors; empty means Action.
	Operation string
	// Product is an endpoint key (see EndpointKeys), e.g. "oos".
	Product string
	// Action and Version are the RPC action and API version, e.g.
	// "ListExecutionLogs" and "2019-06-01".
	Action, Version string
	// Region selects the endpoint and is sent as RegionId.
	Region string
	// Params are the action's parameters, sent in the query.
	Params url.Values

	// form sends Params as a form-encoded body instead of the query (for
	// the unsigned AssumeRoleWithOIDC, whose token must not be in a URL).
	form bool
	// noRegionID leaves RegionId out (STS takes none).
	noRegionID bool
}

// RPC sends call as the official SDK does: a POST to {endpoint}/ with
// every parameter (and RegionId) in the canonical query, an empty body,
// x-acs-action and x-acs-version headers, and an ACS3-HMAC-SHA256
// signature with a new date and nonce on every attempt. Throttling codes
// are retried by the transport (Retryable). A 2xx answer is returned as
// is; any other answer is a *transport.APIError.
func (c *Client) RPC(ctx context.Context, call RPCCall) (*transport.Response, error) {
	// Credentials are had before the first attempt, so that a source that
	// fails does so once, with its own error; each attempt then signs with
	// the credentials current at that moment (refreshed during retries).
	if _, err := c.creds.get(ctx); err != nil {
		return nil, err
	}
	return c.rpc(ctx, call, func(ctx context.Context) (Credentials, error) { return c.creds.get(ctx) })
}

// rpc sends call, signed on every attempt with the credentials cred
// returns then (nil cred: not signed).
func (c *Client) rpc(ctx context.Context, call RPCCall, cred func(context.Context) (Credentials, error)) (*transport.Response, error) {
	op := call.Operation
	if op == "" {
		op = call.Action
	}
	if call.Action == "" || call.Version == "" {
		return nil, fmt.Errorf("%s: RPC call without action or version", op)
	}
	ep, err := c.Endpoint(call.Product, call.Region)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	params := url.Values{}
	for k, vs := range call.Params {
		params[k] = append([]string(nil), vs...)
	}
	if call.Region != "" && !call.noRegionID {
		params.Set("RegionId", call.Region)
	}
	u := ep + "/"
	h := http.Header{}
	var body []byte
	if call.form {
		body = []byte(CanonicalQuery(params))
		h.Set("Content-Type", "application/x-www-form-urlencoded")
	} else if q := CanonicalQuery(params); q != "" {
		u += "?" + q
	}
	h.Set("Accept", "application/json")
	h.Set("x-acs-action", call.Action)
	h.Set("x-acs-version", call.Version)
	var sign func(*http.Request, []byte) error
	if cred != nil {
		sign = func(req *http.Request, body []byte) error {
			cr, err := cred(req.Context())
			if err != nil {
				return err
			}
			return Sign(req, body, cr, c.nonce(), c.now())
		}
	}
	resp, err := c.tr.Do(ctx, &transport.Request{
		Operation: op,
		Method:    http.MethodPost,
		URL:       u,
		Header:    h,
		Body:      body,
		Sign:      sign,
		Retryable: Retryable,
		Account:   c.account,
		Decode: func(r *transport.Response) error {
			return DecodeError(op, r.StatusCode, r.Header, r.Body).Masked(r.Mask)
		},
	})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, DecodeError(op, resp.StatusCode, resp.Header, resp.Body).Masked(resp.Mask)
	}
	return resp, nil
}
