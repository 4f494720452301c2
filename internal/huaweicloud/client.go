// Package huaweicloud is the Huawei Cloud side of the provider: the
// SDK-HMAC-SHA256 request signer, endpoint resolution, the IAM project
// lookup and the error shape. Calls go through internal/transport, which
// retries, logs and masks; this package never retries by itself.
package huaweicloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// Config is the resolved huaweicloud block of the provider configuration
// (configuration values already merged with the environment).
type Config struct {
	Region, ProjectID string
	// ProjectIDFrom names where ProjectID came from, for errors (e.g.
	// "the environment variable HW_PROJECT_ID"); empty means the
	// provider's huaweicloud block.
	ProjectIDFrom string
	// Cloud, when set, is the domain suffix of every service's endpoint
	// (https://{service}.{region}.{cloud}); empty means the official SDK
	// region tables (see DefaultHost).
	Cloud string
	// Endpoints overrides the base URL of a service, keyed by EndpointKeys.
	Endpoints map[string]string
	// Credentials are the credential settings of the block, resolved
	// against the environment (the Settings table); the chain (chain.go)
	// picks its sources from them. Nil: none.
	Credentials *credchain.Resolved
}

// Client calls Huawei Cloud APIs. It is safe for concurrent use.
type Client struct {
	cfg Config
	tr  *transport.Client
	// now is the clock used for X-Sdk-Date (tests may replace it).
	now func() time.Time

	mu       sync.Mutex
	projects map[string]*projectLookup

	// Base holds the credential chain (chain.go), the factory of its
	// caches and the region.
	credchain.Base[Credentials]
}

// identitySettings are the settings that say who signs: the access key
// id, the profile, the ECS metadata, the identity provider, the agencies
// assumed (not the secrets, durations or token files).
var identitySettings = map[string][]string{
	"":                        {"access_key", "shared_config_file", "profile", "use_ecs_metadata"},
	credchain.BlockAssumeRole: {"agency_name", "domain_name", "domain_id"},
	credchain.BlockOIDC:       {"idp_id", "agency_name", "domain_id"},
}

// projectLookup is one IAM project lookup for a region, shared by every
// caller that asks while it runs. id and err are written before done is
// closed and only read after.
type projectLookup struct {
	done chan struct{}
	id   string
	err  error
	// ownerCanceled records that the lookup failed because the context of
	// the caller that ran it ended: other callers then try again.
	ownerCanceled bool
}

// NewClient returns a Client for cfg sending through tr.
func NewClient(cfg Config, tr *transport.Client) *Client {
	cfg.Endpoints = credchain.LowerKeys(cfg.Endpoints)
	if cfg.Credentials == nil {
		cfg.Credentials = Settings.Keys("", "", "")
	}
	c := &Client{cfg: cfg, tr: tr, now: time.Now, projects: map[string]*projectLookup{}}
	c.Init(credchain.BaseConfig[Credentials]{
		Cloud: cloudName, Now: func() time.Time { return c.now() }, Build: c.buildChain,
		Obtained: func(cred Credentials) { tr.AddSecret(cred.SecretKey); tr.AddSecret(cred.SecurityToken) }, Mask: tr.Mask,
		Region: cfg.Region, Settings: cfg.Credentials.Top, FileSetting: "shared_config_file", ProfileRegion: profileRegion,
		Credentials: cfg.Credentials, Identity: identitySettings,
		NoRegion: "no Huawei Cloud region: set `region` in the provider's huaweicloud block " +
			"(or the HW_REGION_NAME environment variable, or a region in the KooCLI profile), or the data source's `region` argument",
	})
	return c
}

// Call is one Huawei Cloud API call.
type Call struct {
	// Operation names the API operation in logs and errors.
	Operation string
	// Service is an endpoint key (see EndpointKeys).
	Service string
	// Region selects the endpoint.
	Region string
	// ProjectID, when set, is sent (and signed) as X-Project-Id.
	ProjectID string
	Method    string
	// Path is the unescaped path below the endpoint, e.g.
	// "/v2/{project_id}/screen-records/{record_id}/os-operations"; each
	// "/"-separated segment is percent-encoded by Do. Do not pre-escape.
	Path string
	// Query is sent in canonical form (see CanonicalQuery).
	Query url.Values
	Body  []byte
	// ContentType defaults to application/json when Body is not empty.
	ContentType string

	// header adds headers (the credential exchanges' X-Idp-Id, X-Auth-Token).
	header http.Header
}

// Do sends call, signed with the client's credentials on every attempt.
// A 2xx answer is returned as is; any other answer is a
// *apierror.APIError with Service and Operation set. Transport failures
// are the transport's *transport.Error.
func (c *Client) Do(ctx context.Context, call Call) (*transport.Response, error) {
	// Credentials are had before the first attempt, so that a source that
	// fails does so once, with its own error; each attempt then signs with
	// the credentials current at that moment (refreshed during retries).
	if _, err := c.Chain.Get(ctx); err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, call, c.signedBy(c.Chain.Get))
	var apiErr *apierror.APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusUnauthorized {
		apiErr.Hint = c.signatureHint()
	}
	return resp, err
}

// send sends call, signed on every attempt by sign (nil: not signed).
func (c *Client) send(ctx context.Context, call Call, sign func(*http.Request, []byte) error) (*transport.Response, error) {
	ep, err := c.Endpoint(call.Service, call.Region)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", call.Operation, err)
	}
	if !strings.HasPrefix(call.Path, "/") {
		return nil, fmt.Errorf("%s: path %q must start with /", call.Operation, call.Path)
	}
	for seg := range strings.SplitSeq(call.Path, "/") {
		if seg == "." || seg == ".." {
			return nil, fmt.Errorf("%s: path %q has a %q segment", call.Operation, call.Path, seg)
		}
	}
	u := ep + escapePath(call.Path)
	if q := CanonicalQuery(call.Query); q != "" {
		u += "?" + q
	}
	method := call.Method
	if method == "" {
		method = http.MethodGet
	}
	h := http.Header{}
	h.Set("Accept", "application/json")
	switch {
	case call.ContentType != "":
		h.Set(headerContentType, call.ContentType)
	case len(call.Body) > 0:
		h.Set(headerContentType, "application/json")
	}
	if call.ProjectID != "" {
		h.Set(headerProjectID, call.ProjectID)
	}
	for k, vs := range call.header {
		h[http.CanonicalHeaderKey(k)] = vs
	}
	return c.tr.DoOK(ctx, &transport.Request{
		Operation: call.Operation,
		Method:    method,
		URL:       u,
		Header:    h,
		Body:      call.Body,
		Sign:      sign,
		Account:   c.Account(),
		Decode: func(r *transport.Response) error {
			e := DecodeError(call.Operation, r.StatusCode, r.Header, r.Body).Masked(r.Mask)
			e.Service = call.Service
			return e
		},
	})
}

// ProjectID returns override when set, else the configured project id,
// else the id of the IAM project named region, looked up once per region
// for the life of the Client. Concurrent callers for one region share a
// single request; a failed lookup is not remembered, so a later call
// tries again.
func (c *Client) ProjectID(ctx context.Context, region, override string) (string, error) {
	if override != "" {
		return checkProjectID(override, "the data source's project_id", c.Mask)
	}
	if c.cfg.ProjectID != "" {
		from := c.cfg.ProjectIDFrom
		if from == "" {
			from = "project_id in the provider's huaweicloud block"
		}
		return checkProjectID(c.cfg.ProjectID, from, c.Mask)
	}
	if region == "" {
		return "", errors.New("no region to look the project id up for")
	}
	for {
		c.mu.Lock()
		l, running := c.projects[region]
		if !running {
			l = &projectLookup{done: make(chan struct{})}
			c.projects[region] = l
		}
		c.mu.Unlock()

		if !running {
			l.id, l.err = c.lookupProject(ctx, region)
			if l.err != nil {
				l.ownerCanceled = ctx.Err() != nil
				c.mu.Lock()
				if c.projects[region] == l {
					delete(c.projects, region)
				}
				c.mu.Unlock()
			}
			close(l.done)
			return l.id, l.err
		}

		select {
		case <-l.done:
		case <-ctx.Done():
			return "", fmt.Errorf("looking up the project id of %s: %w", region, context.Cause(ctx))
		}
		if l.err == nil {
			return l.id, nil
		}
		if l.ownerCanceled && ctx.Err() == nil {
			continue // the caller that ran it gave up, not the lookup: try ourselves
		}
		return "", l.err
	}
}

// projectsResponse is the answer of IAM KeystoneListProjects.
type projectsResponse struct {
	Projects []project `json:"projects"`
}

type project struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (c *Client) lookupProject(ctx context.Context, region string) (string, error) {
	resp, err := c.Do(ctx, Call{
		Operation: "KeystoneListProjects",
		Service:   "iam",
		Region:    region,
		Method:    http.MethodGet,
		Path:      "/v3/projects",
		Query:     url.Values{"name": {region}},
	})
	if err != nil {
		return "", fmt.Errorf("looking up the project id of %s through IAM: %w", region, err)
	}
	var pr projectsResponse
	if err := json.Unmarshal(resp.Body, &pr); err != nil {
		return "", fmt.Errorf("looking up the project id of %s through IAM: decoding the answer: %w", region, err)
	}
	for _, p := range pr.Projects {
		if p.Name == region && p.ID != "" {
			return checkProjectID(p.ID, "the IAM project lookup (KeystoneListProjects, name="+region+")", c.Mask)
		}
	}
	return "", fmt.Errorf("no project named %q in IAM for this account; set project_id in the huaweicloud block (HW_PROJECT_ID) or the data source", region)
}

// ProjectIDRule says what a project id must be: it becomes one segment of
// every request path (/v2/{project_id}/...), so a "/", "?" or "#" in it
// would send the request to another resource.
const ProjectIDRule = "one path segment of letters, digits, '-' and '_'"

// ValidProjectID reports whether id follows ProjectIDRule.
func ValidProjectID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// checkProjectID returns id when it is ValidProjectID, else an error
// naming where it came from. The id is quoted masked (mask: the client's
// secrets), then sanitised and cut: it may be server text, and an IAM
// that echoes a token in it must not show any of it.
func checkProjectID(id, from string, mask func(string) string) (string, error) {
	if ValidProjectID(id) {
		return id, nil
	}
	return "", fmt.Errorf("the project id %q from %s is not %s; no request was sent with it",
		apierror.Sanitize(mask(id), 256), from, ProjectIDRule)
}
