package transport

import (
	"net/http"
	"net/url"
	"strings"
)

// Masked replaces a secret wherever one would be logged.
const Masked = "***"

// secretHeaders are headers whose values are never logged.
var secretHeaders = map[string]bool{
	"authorization":        true,
	"x-security-token":     true,
	"x-acs-security-token": true,
	"x-auth-token":         true,
	"x-subject-token":      true,
	// The session tokens of both clouds' instance metadata services
	// (Alibaba IMDSv2, Huawei ECS metadata).
	"x-aliyun-ecs-metadata-token": true,
	"x-metadata-token":            true,
}

// secretParams are query parameters whose values are never logged
// (compared case-insensitively): the legacy Alibaba RPC signature carries
// these in the query.
var secretParams = map[string]bool{
	"accesskeyid":   true,
	"securitytoken": true,
	"signature":     true,
}

// MaskHeaders returns the headers as a flat map for logging, with the
// values of credential-bearing headers replaced by Masked.
func MaskHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		if secretHeaders[strings.ToLower(k)] {
			out[k] = Masked
			continue
		}
		out[k] = strings.Join(vs, ",")
	}
	return out
}

// MaskQuery returns a raw query for logging with the values of
// credential-bearing parameters replaced by Masked. The rest is kept
// as sent.
func MaskQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		name, _, hasValue := strings.Cut(p, "=")
		if !hasValue {
			continue
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if secretParams[strings.ToLower(name)] {
			parts[i] = p[:strings.IndexByte(p, '=')+1] + Masked
		}
	}
	return strings.Join(parts, "&")
}
