// Package alicloud is the Alibaba Cloud side of the provider: the
// ACS3-HMAC-SHA256 request signer, the RPC call helper, endpoint
// resolution and the error shape. Calls go through internal/transport,
// which retries (throttling codes included, through Retryable), logs and
// masks; this package never retries by itself.
package alicloud

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
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
	Region string
	// Endpoints overrides the base URL of a product, keyed by EndpointKeys.
	Endpoints map[string]string
	// Credentials are the credential settings of the block, resolved
	// against the environment (the Settings table); the chain (chain.go)
	// picks its sources from them. Nil: none.
	Credentials *credchain.Resolved
}

// Client calls Alibaba Cloud APIs. It is safe for concurrent use.
type Client struct {
	cfg Config
	tr  *transport.Client
	// now and nonce feed the signer (tests may replace them).
	now   func() time.Time
	nonce func() string

	// Base holds the credential chain (chain.go), the factory of its
	// caches and the region.
	credchain.Base[Credentials]
}

// identitySettings are the settings that say who signs: the access key
// id, the profile, the instance role, the roles assumed (not the
// secrets, durations or token files).
var identitySettings = map[string][]string{
	"":                        {"access_key", "shared_credentials_file", "profile", "ecs_role_name", "credentials_uri"},
	credchain.BlockAssumeRole: {"role_arn"},
	credchain.BlockOIDC:       {"oidc_provider_arn", "role_arn"},
}

// NewClient returns a Client for cfg sending through tr.
func NewClient(cfg Config, tr *transport.Client) *Client {
	cfg.Endpoints = credchain.LowerKeys(cfg.Endpoints)
	if cfg.Credentials == nil {
		cfg.Credentials = Settings.Keys("", "", "")
	}
	c := &Client{cfg: cfg, tr: tr, now: time.Now, nonce: NewNonce}
	c.Init(credchain.BaseConfig[Credentials]{
		Cloud: cloudName, Now: func() time.Time { return c.now() }, Build: c.buildChain,
		Obtained: func(cred Credentials) { tr.AddSecret(cred.AccessKeySecret); tr.AddSecret(cred.SecurityToken) }, Mask: tr.Mask,
		Region: cfg.Region, Settings: cfg.Credentials.Top, FileSetting: "shared_credentials_file", ProfileRegion: profileRegion,
		Credentials: cfg.Credentials, Identity: identitySettings,
		NoRegion: "no Alibaba Cloud region: set `region` in the provider's alicloud block " +
			"(or the ALIBABA_CLOUD_REGION or ALICLOUD_REGION environment variable, or region_id in the aliyun CLI profile), or the data source's `region` argument",
	})
	return c
}

// Endpoint returns the base URL of product in region: the configured
// override (trailing slashes trimmed) when there is one, else
// https://{product}.{region}.aliyuncs.com (for imds, DefaultIMDSEndpoint).
func (c *Client) Endpoint(product, region string) (string, error) {
	product = strings.ToLower(product)
	if !slices.Contains(EndpointKeys, product) {
		return "", fmt.Errorf("unknown Alibaba Cloud product %q (known: %s)", product, strings.Join(EndpointKeys, ", "))
	}
	if ep, err := transport.EndpointOverride(c.cfg.Endpoints, product); ep != "" || err != nil {
		return ep, err
	}
	if product == "imds" {
		return DefaultIMDSEndpoint, nil
	}
	if err := transport.CheckRegion(product, region); err != nil {
		return "", err
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

	// endpoint, when set, is the base URL instead of Product's in Region
	// (STS, whose host follows its own rule: stshost.go).
	endpoint string
	// noRegionID leaves RegionId out (STS takes none).
	noRegionID bool
	// form are parameters sent in a form-encoded body rather than the
	// query (the action's own parameters, in the RPC style of the
	// official credentials library: an OIDC token is then in no URL).
	form url.Values
	// commonInQuery puts Action, Version, Format and Timestamp in the
	// query, as the RPC style has them, instead of the x-acs-action and
	// x-acs-version headers.
	commonInQuery bool
	// signV1 signs with the RPC signature of SignatureVersion 1.0
	// (rpcsign.go) instead of ACS3, as credentials-go signs AssumeRole;
	// it goes with commonInQuery.
	signV1 bool
}

// RPC sends call as the official SDK does: a POST to {endpoint}/ with
// every parameter (and RegionId) in the canonical query, an empty body,
// x-acs-action and x-acs-version headers, and an ACS3-HMAC-SHA256
// signature with a new date and nonce on every attempt. Throttling codes
// are retried by the transport (Retryable). A 2xx answer is returned as
// is; any other answer is a *apierror.APIError.
func (c *Client) RPC(ctx context.Context, call RPCCall) (*transport.Response, error) {
	// Credentials are had before the first attempt, so that a source that
	// fails does so once, with its own error; each attempt then signs with
	// the credentials current at that moment (refreshed during retries).
	if _, err := c.Chain.Get(ctx); err != nil {
		return nil, err
	}
	return c.rpc(ctx, call, c.Chain.Get)
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
	ep := call.endpoint
	if ep == "" {
		var err error
		if ep, err = c.Endpoint(call.Product, call.Region); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
	}
	params := cloneValues(call.Params)
	if call.Region != "" && !call.noRegionID {
		params.Set("RegionId", call.Region)
	}
	h := http.Header{}
	h.Set("Accept", "application/json")
	if call.commonInQuery {
		params.Set("Action", call.Action)
		params.Set("Version", call.Version)
		params.Set("Format", "JSON")
		params.Set("Timestamp", c.now().UTC().Format(DateFormat))
	} else {
		h.Set("x-acs-action", call.Action)
		h.Set("x-acs-version", call.Version)
	}
	u := ep + "/"
	if q := CanonicalQuery(params); q != "" {
		u += "?" + q
	}
	var body []byte
	if call.form != nil {
		body = []byte(CanonicalQuery(call.form))
		h.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	var sign func(*http.Request, []byte) error
	switch {
	case cred != nil && call.signV1:
		// Every attempt gets its own nonce, timestamp and signature in
		// its query.
		sign = func(req *http.Request, _ []byte) error {
			cr, err := cred(req.Context())
			if err != nil {
				return err
			}
			q := cloneValues(params)
			if err := SignRPC(http.MethodPost, q, call.form, cr, c.nonce(), c.now()); err != nil {
				return err
			}
			req.URL.RawQuery = CanonicalQuery(q)
			return nil
		}
	case cred != nil:
		sign = func(req *http.Request, body []byte) error {
			cr, err := cred(req.Context())
			if err != nil {
				return err
			}
			return Sign(req, body, cr, c.nonce(), c.now())
		}
	}
	return c.tr.DoOK(ctx, &transport.Request{
		Operation: op,
		Method:    http.MethodPost,
		URL:       u,
		Header:    h,
		Body:      body,
		Sign:      sign,
		Retryable: Retryable,
		Account:   c.Account(),
		Decode: func(r *transport.Response) error {
			return DecodeError(op, r.StatusCode, r.Header, r.Body).Masked(r.Mask)
		},
	})
}
