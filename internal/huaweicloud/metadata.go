package huaweicloud

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// metadataCandidate is use_ecs_metadata as a source: the temporary
// credentials of the agency attached to the ECS instance the provider
// runs on. Instance metadata is never contacted unless it is true.
func metadataCandidate(v *credchain.Values) credchain.Candidate {
	return credchain.Candidate{Name: "use_ecs_metadata", Configured: v.Bool("use_ecs_metadata"),
		Needs: v.Name("use_ecs_metadata") + " = true on an ECS instance with an agency"}
}

func (c *Client) metadata(v *credchain.Values) *credchain.Cache[Credentials] {
	return c.Factory.Cache(credchain.Source[Credentials]{Name: "ECS instance metadata", Temporary: true,
		Settings: v.Origin("use_ecs_metadata") + ", at endpoints.metadata (HW_ENDPOINT_METADATA)",
		Fetch:    c.ecsMetadata})
}

// metadataTokenTTL is the life asked for a metadata session token, in
// seconds, as the official SDK asks.
const metadataTokenTTL = "21600"

// ecsMetadata reads the instance's agency credentials as the official SDK
// does (huaweicloud-sdk-go-v3, core/auth/internal/metadata_accessor.go):
// a session token from PUT /meta-data/latest/api/token, then
// GET /openstack/latest/securitykey with it
// (https://support.huaweicloud.com/intl/en-us/usermanual-ecs/ecs_03_0166.html).
// A metadata service that does not know the token path (404 or 405) is
// asked without a token, as the SDK does.
func (c *Client) ecsMetadata(ctx context.Context) (Credentials, time.Time, error) {
	resp, err := c.send(ctx, Call{Operation: "GetMetadataToken", Service: "metadata", Method: http.MethodPut,
		Path: "/meta-data/latest/api/token", header: http.Header{"X-Metadata-Token-Ttl-Seconds": {metadataTokenTTL}}}, nil)
	var token string
	var apiErr *apierror.APIError
	switch {
	case errors.As(err, &apiErr) && (apiErr.Status == http.StatusNotFound || apiErr.Status == http.StatusMethodNotAllowed):
	case err != nil:
		return Credentials{}, time.Time{}, err
	default:
		if token = strings.TrimSpace(string(resp.Body)); token == "" {
			return Credentials{}, time.Time{}, errors.New("GetMetadataToken: the answer is empty")
		}
		c.tr.AddSecret(token)
	}
	h := http.Header{}
	if token != "" {
		h.Set("X-Metadata-Token", token)
	}
	const op = "GetSecurityKey"
	resp, err = c.send(ctx, Call{Operation: op, Service: "metadata", Method: http.MethodGet,
		Path: "/openstack/latest/securitykey", header: h}, nil)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeCredential(op, resp.Body)
}
