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
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// EndpointKeys are the valid keys of Config.Endpoints (and of the
// provider's alicloud.endpoints map).
var EndpointKeys = []string{"oos"}

// Config is the resolved alicloud block of the provider configuration
// (configuration values already merged with the environment).
type Config struct {
	Region, AccessKey, SecretKey, SecurityToken string
	// Endpoints overrides the base URL of a product, keyed by EndpointKeys.
	Endpoints map[string]string
}

// Client calls Alibaba Cloud APIs. It is safe for concurrent use.
type Client struct {
	cfg Config
	tr  *transport.Client
	// now and nonce feed the signer (tests may replace them).
	now   func() time.Time
	nonce func() string
}

// NewClient returns a Client for cfg sending through tr.
func NewClient(cfg Config, tr *transport.Client) *Client {
	eps := make(map[string]string, len(cfg.Endpoints))
	for k, v := range cfg.Endpoints {
		eps[strings.ToLower(k)] = v
	}
	cfg.Endpoints = eps
	return &Client{cfg: cfg, tr: tr, now: time.Now, nonce: NewNonce}
}

// Region returns override when set, else the configured region.
func (c *Client) Region(override string) (string, error) {
	if override != "" {
		return override, nil
	}
	if c.cfg.Region != "" {
		return c.cfg.Region, nil
	}
	return "", errors.New("no Alibaba Cloud region: set `region` in the provider's alicloud block " +
		"(or the ALIBABA_CLOUD_REGION or ALICLOUD_REGION environment variable), or the data source's `region` argument")
}

// CheckCredentials reports which credentials are missing, naming the
// settings and their environment variables (never their values).
func (c *Client) CheckCredentials() error {
	var missing []string
	if c.cfg.AccessKey == "" {
		missing = append(missing, "access_key (ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY)")
	}
	if c.cfg.SecretKey == "" {
		missing = append(missing, "secret_key (ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_SECRET_KEY)")
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("missing Alibaba Cloud credentials: set %s in the provider's alicloud block or the environment",
		strings.Join(missing, " and "))
}

// Endpoint returns the base URL of product in region: the configured
// override (trailing slashes trimmed) when there is one, else
// https://{product}.{region}.aliyuncs.com.
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
}

// RPC sends call as the official SDK does: a POST to {endpoint}/ with
// every parameter (and RegionId) in the canonical query, an empty body,
// x-acs-action and x-acs-version headers, and an ACS3-HMAC-SHA256
// signature with a new date and nonce on every attempt. Throttling codes
// are retried by the transport (Retryable). A 2xx answer is returned as
// is; any other answer is an *APIError.
func (c *Client) RPC(ctx context.Context, call RPCCall) (*transport.Response, error) {
	op := call.Operation
	if op == "" {
		op = call.Action
	}
	if err := c.CheckCredentials(); err != nil {
		return nil, err
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
	if call.Region != "" {
		params.Set("RegionId", call.Region)
	}
	u := ep + "/"
	if q := CanonicalQuery(params); q != "" {
		u += "?" + q
	}
	h := http.Header{}
	h.Set("Accept", "application/json")
	h.Set("x-acs-action", call.Action)
	h.Set("x-acs-version", call.Version)
	cred := Credentials{AccessKeyID: c.cfg.AccessKey, AccessKeySecret: c.cfg.SecretKey, SecurityToken: c.cfg.SecurityToken}
	resp, err := c.tr.Do(ctx, &transport.Request{
		Operation: op,
		Method:    http.MethodPost,
		URL:       u,
		Header:    h,
		Sign: func(req *http.Request, body []byte) error {
			return Sign(req, body, cred, c.nonce(), c.now())
		},
		Retryable: Retryable,
	})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, DecodeError(op, resp.StatusCode, resp.Header, resp.Body).masked(resp.Mask)
	}
	return resp, nil
}
