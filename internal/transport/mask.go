package transport

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Masked replaces a secret wherever one would be logged.
const Masked = "***"

// secretHeaders are headers whose values are never logged, and are
// remembered as secrets when a request carries them (secrets.go): the
// signatures, both clouds' security tokens, Huawei IAM's tokens, and the
// session tokens of both clouds' instance metadata services (Alibaba
// IMDSv2, Huawei ECS metadata).
var secretHeaders = map[string]bool{
	"authorization":               true,
	"proxy-authorization":         true,
	"cookie":                      true,
	"x-security-token":            true,
	"x-acs-security-token":        true,
	"x-auth-token":                true,
	"x-subject-token":             true,
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
// values of credential-bearing headers replaced by Masked. The other
// values are as sent: a Client masks them too before it logs them
// (logDebug), since tflog masks string fields but not a map's values.
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

// logDebug writes a DEBUG line with fields masked by the client first:
// every string, and every value of a map of strings (the request's
// headers), goes through Mask. tflog's own masking (maskLogs) covers
// string fields and the message only, never the values of a map.
func (c *Client) logDebug(ctx context.Context, msg string, fields map[string]any) {
	for k, v := range fields {
		switch v := v.(type) {
		case string:
			fields[k] = c.Mask(v)
		case map[string]string:
			m := make(map[string]string, len(v))
			for hk, hv := range v {
				m[hk] = c.Mask(hv)
			}
			fields[k] = m
		}
	}
	tflog.Debug(ctx, c.Mask(msg), fields)
}
