package emulator

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// APIIMDS is the Alibaba ECS instance metadata service's RAM role part
// (https://www.alibabacloud.com/help/en/ecs/user-guide/view-instance-metadata),
// in IMDSv2 mode: a token from PUT /latest/api/token, then with it the
// instance's role name or its credentials under
// /latest/meta-data/ram/security-credentials/. Unsigned, as on an
// instance.
const APIIMDS = "imds"

// IssuerAliIMDS is the IssuedBy of credentials of APIIMDS.
const IssuerAliIMDS = "ali-imds"

func init() {
	registerCredentials(&credService{name: APIIMDS, serve: (*credCall).imds, match: func(r *http.Request) bool {
		return r.URL.Path == "/latest/api/token" || strings.HasPrefix(r.URL.Path, "/latest/meta-data/")
	}})
}

// metadataAnswer is the credentials answer of the metadata service, and
// of a credentials_uri.
type metadataAnswer struct {
	Code        string `json:"Code"`
	LastUpdated string `json:"LastUpdated"`
	stsCredentials
}

// imds answers the ECS instance metadata service in IMDSv2 mode: a token
// first (PUT), then, with it, the role's name (GET
// /latest/meta-data/ram/security-credentials/) or its credentials (the
// same path ending in the role name).
func (c *credCall) imds() *response {
	now := c.s.now()
	if c.r.URL.Path == "/latest/api/token" {
		if c.r.Method != http.MethodPut {
			return plain(http.StatusMethodNotAllowed, "Method Not Allowed")
		}
		ttl, err := strconv.Atoi(c.r.Header.Get("X-aliyun-ecs-metadata-token-ttl-seconds"))
		if err != nil || ttl < 1 || ttl > 21600 {
			return plain(http.StatusBadRequest, "X-aliyun-ecs-metadata-token-ttl-seconds must be 1 to 21600")
		}
		return plain(http.StatusOK, c.s.creds.newToken(now, time.Duration(ttl)*time.Second))
	}
	if c.r.Method != http.MethodGet {
		return plain(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	if !c.s.creds.validToken(c.r.Header.Get("X-aliyun-ecs-metadata-token"), now) {
		return plain(http.StatusUnauthorized, "Unauthorized")
	}
	role, ok := strings.CutPrefix(c.r.URL.Path, "/latest/meta-data/ram/security-credentials/")
	if ok && role == "" {
		// The role discovery of credentials-go when no role name is
		// configured: the instance's role, as plain text.
		return plain(http.StatusOK, DemoAliECSRoleName)
	}
	if !ok || role != DemoAliECSRoleName {
		return plain(http.StatusNotFound, "Not Found")
	}
	ak, is := c.s.creds.issue(now, c.s.lifetime(6*time.Hour), false, IssuerAliIMDS, "")
	return &response{status: http.StatusOK, header: http.Header{"Content-Type": {"text/plain"}},
		body: marshal(metadataAnswer{Code: "Success", LastUpdated: now.UTC().Format(aliDateFmt), stsCredentials: aliCredentials(ak, is)})}
}
