package alicloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// ecsCandidate is ecs_role_name as a source: the RAM role of the ECS
// instance the provider runs on. Instance metadata is never contacted
// unless it (or a profile of mode EcsRamRole) asks.
func ecsCandidate(v *credchain.Values) credchain.Candidate {
	return credchain.Candidate{Name: "ecs_role_name", Configured: v.Has("ecs_role_name"), Needs: v.Name("ecs_role_name")}
}

// ecsRole caches the credentials of the instance's role roleName (empty:
// the one attached to the instance, discovered), named name and selected
// by settings.
func (c *Client) ecsRole(name, settings, roleName string) *credchain.Cache[Credentials] {
	return c.Factory.Cache(credchain.Source[Credentials]{Name: name, Settings: settings + ", at endpoints.imds (ALIBABA_CLOUD_ENDPOINT_IMDS)", Temporary: true,
		Fetch: func(ctx context.Context) (Credentials, time.Time, error) { return c.instanceRole(ctx, roleName) }})
}

// instanceRole reads the credentials of the instance's RAM role as the
// official credentials library does (credentials-go,
// providers/ecs_ram_role.go; https://www.alibabacloud.com/help/en/ecs/user-guide/view-instance-metadata):
// a session token first (IMDSv2), then, when no role is named, the role
// attached to the instance, then its credentials.
func (c *Client) instanceRole(ctx context.Context, role string) (Credentials, time.Time, error) {
	ep, err := c.Endpoint("imds", "")
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	token, err := c.metadataToken(ctx, ep)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	h := http.Header{}
	if token != "" {
		h.Set("X-Aliyun-Ecs-Metadata-Token", token)
	}
	const base = "/latest/meta-data/ram/security-credentials/"
	if role == "" {
		resp, err := c.plainGet(ctx, "GetRoleName", http.MethodGet, ep+base, h)
		if err != nil {
			return Credentials{}, time.Time{}, err
		}
		role, _, _ = strings.Cut(strings.TrimSpace(string(resp.Body)), "\n")
		if role = strings.TrimSpace(role); role == "" {
			return Credentials{}, time.Time{}, errors.New("GetRoleName: the instance has no RAM role attached")
		}
	}
	const op = "GetRoleCredentials"
	resp, err := c.plainGet(ctx, op, http.MethodGet, ep+base+url.PathEscape(role), h)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeMetadata(op, resp.Body)
}

// metadataToken asks for an IMDSv2 session token. IMDSv1 (no token, "")
// only when the token endpoint does not answer (a transport failure, or
// a metadata service that does not know it: 404 or 405) and
// ALIBABA_CLOUD_IMDSV1_DISABLED is not true; any other refusal is an
// error.
func (c *Client) metadataToken(ctx context.Context, ep string) (string, error) {
	resp, err := c.plainGet(ctx, "GetMetadataToken", http.MethodPut, ep+"/latest/api/token",
		http.Header{"X-Aliyun-Ecs-Metadata-Token-Ttl-Seconds": {"21600"}})
	if err == nil {
		token := strings.TrimSpace(string(resp.Body))
		if token == "" {
			return "", errors.New("GetMetadataToken: the answer is empty")
		}
		c.tr.AddSecret(token)
		return token, nil
	}
	var te *transport.Error
	var ae *apierror.APIError
	noAnswer := errors.As(err, &te) || errors.As(err, &ae) && (ae.Status == http.StatusNotFound || ae.Status == http.StatusMethodNotAllowed)
	switch {
	case !noAnswer || ctx.Err() != nil:
		return "", err
	case c.cfg.Credentials.Top.Bool("imdsv1_disabled"):
		return "", fmt.Errorf("%w; IMDSv1 is not tried: %s is true", err, c.cfg.Credentials.Top.Origin("imdsv1_disabled"))
	}
	tflog.Debug(ctx, "The IMDSv2 token endpoint did not answer; reading instance metadata without a token (IMDSv1)", map[string]any{"error": err.Error()})
	return "", nil
}

// metadataCredentials is the answer of the instance metadata service and
// of a credentials_uri.
type metadataCredentials struct {
	Code string `json:"Code"`
	stsCredentials
}

func decodeMetadata(op string, body []byte) (Credentials, time.Time, error) {
	var r metadataCredentials
	if err := json.Unmarshal(body, &r); err != nil {
		return Credentials{}, time.Time{}, fmt.Errorf("%s: the answer is not JSON credentials", op)
	}
	if r.Code != "" && r.Code != "Success" {
		return Credentials{}, time.Time{}, fmt.Errorf("%s: the answer's Code is %q, not Success", op, apierror.Sanitize(r.Code, 64))
	}
	return r.decode(op)
}

// plainGet sends an unsigned request and returns a 2xx answer, or an
// error with the status and the answer's Code when it has one.
func (c *Client) plainGet(ctx context.Context, op, method, u string, h http.Header) (*transport.Response, error) {
	resp, err := c.tr.Do(ctx, &transport.Request{Operation: op, Method: method, URL: u, Header: h})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, DecodeError(op, resp.StatusCode, resp.Header, resp.Body).Masked(resp.Mask)
	}
	return resp, nil
}
