package transport

import (
	"fmt"
	"net/url"
	"strings"
)

// The checks of the host names and base URLs endpoints are built from,
// shared by both clouds' clients and the provider's endpoint validator.

// HostLabel reports whether s is usable as one DNS label of a host name
// (a region name becomes one).
func HostLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// DomainName reports whether s is a host name of valid labels.
func DomainName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for l := range strings.SplitSeq(s, ".") {
		if !HostLabel(l) {
			return false
		}
	}
	return true
}

// BaseURLRule says what an endpoint override must be.
const BaseURLRule = "an absolute http or https URL with a host, without query or fragment"

// CheckBaseURL checks an endpoint override against BaseURLRule.
func CheckBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q is not %s", raw, BaseURLRule)
	}
	return nil
}

// EndpointOverride returns the override of key among endpoints (the
// provider block's endpoints map, keys in lower case) with space and
// trailing slashes trimmed, or "" when there is none. An override that
// is not a base URL (CheckBaseURL) is an error naming endpoints.<key>.
func EndpointOverride(endpoints map[string]string, key string) (string, error) {
	ep := strings.TrimRight(strings.TrimSpace(endpoints[key]), "/")
	if ep != "" && CheckBaseURL(ep) != nil {
		return "", fmt.Errorf("endpoints.%s = %q is not an http(s) base URL", key, ep)
	}
	return ep, nil
}

// CheckRegion checks that region, which the endpoint of key is built
// from, is set and can be one label of a host name.
func CheckRegion(key, region string) error {
	if region == "" {
		return fmt.Errorf("no region to build the %s endpoint from", key)
	}
	if !HostLabel(region) {
		return fmt.Errorf("region %q is not a valid region name (letters, digits and '-')", region)
	}
	return nil
}
