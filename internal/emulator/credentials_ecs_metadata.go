package emulator

import (
	"net/http"
	"strconv"
	"time"
)

// APIHuaweiMetadata is the Huawei ECS instance metadata service's
// credential part, as the official SDK reads it
// (huaweicloud-sdk-go-v3, core/auth/internal/metadata_accessor.go): a
// session token from PUT /meta-data/latest/api/token
// (X-Metadata-Token-Ttl-Seconds), then the temporary credentials of the
// agency attached to the instance from GET /openstack/latest/securitykey
// with that token (X-Metadata-Token). Unsigned, as on an instance.
const APIHuaweiMetadata = "huawei-ecs-metadata"

// IssuerHuaweiMetadata is the IssuedBy of credentials of
// APIHuaweiMetadata.
const IssuerHuaweiMetadata = "huawei-ecs-metadata"

// The paths of APIHuaweiMetadata.
const (
	huaweiMetadataTokenPath = "/meta-data/latest/api/token"
	huaweiSecurityKeyPath   = "/openstack/latest/securitykey"
)

func init() {
	// It reads no body: one that cannot be read is answered as an empty one.
	registerCredentials(&credService{name: APIHuaweiMetadata, serve: (*credCall).huaweiMetadata, unreadable: (*credCall).huaweiMetadata,
		match: func(r *http.Request) bool {
			return r.URL.Path == huaweiMetadataTokenPath || r.URL.Path == huaweiSecurityKeyPath
		}})
}

// huaweiMetadata answers in the metadata service's terms: a token asked
// with a TTL of 1 to 21600 seconds; credentials only with a valid token
// (the emulator's instance takes no request without one, as an
// instance whose metadata service requires tokens does).
func (c *credCall) huaweiMetadata() *response {
	s, r := c.s, c.r
	now := s.now()
	if r.URL.Path == huaweiMetadataTokenPath {
		if r.Method != http.MethodPut {
			return plain(http.StatusMethodNotAllowed, "Method Not Allowed")
		}
		ttl, err := strconv.Atoi(r.Header.Get("X-Metadata-Token-Ttl-Seconds"))
		if err != nil || ttl < 1 || ttl > 21600 {
			return plain(http.StatusBadRequest, "X-Metadata-Token-Ttl-Seconds must be 1 to 21600")
		}
		return plain(http.StatusOK, s.creds.newToken(now, time.Duration(ttl)*time.Second))
	}
	if r.Method != http.MethodGet {
		return plain(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	if !s.creds.validToken(r.Header.Get("X-Metadata-Token"), now) {
		return plain(http.StatusUnauthorized, "Unauthorized: a valid X-Metadata-Token is required")
	}
	ak, is := s.creds.issue(now, s.lifetime(time.Hour), true, IssuerHuaweiMetadata, "")
	return &response{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}},
		body: marshal(map[string]hwCredential{"credential": {
			Access: ak, Secret: is.secret, SecurityToken: is.token, ExpiresAt: is.expires.UTC().Format("2006-01-02T15:04:05.000000Z"),
		}})}
}
