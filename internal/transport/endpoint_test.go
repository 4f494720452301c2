package transport

import (
	"fmt"
	"testing"
)

func TestHostNamesAndBaseURLs(t *testing.T) {
	for s, want := range map[string]bool{"cn-north-4": true, "-a": false, "a-": false, "a.b": false, "": false, "évil": false} {
		if HostLabel(s) != want {
			t.Errorf("HostLabel(%q) != %v", s, want)
		}
	}
	for s, want := range map[string]bool{"myhuaweicloud.com": true, "evil.test/x": false, "a..b": false} {
		if DomainName(s) != want {
			t.Errorf("DomainName(%q) != %v", s, want)
		}
	}
	for s, ok := range map[string]bool{
		"https://iam.example.test": true, "http://127.0.0.1:8787/": true, "https://h/base": true,
		"iam.example.test": false, "ftp://h": false, "https://h?x=1": false, "https://h#f": false, "https://": false,
	} {
		if err := CheckBaseURL(s); (err == nil) != ok {
			t.Errorf("CheckBaseURL(%q) = %v", s, err)
		}
	}
}

// TestEndpointOverrideAndRegion: an override is trimmed and checked, and
// the errors name the setting and the region.
func TestEndpointOverrideAndRegion(t *testing.T) {
	eps := map[string]string{"oos": " https://oos.example.test// ", "bad": "oos.example.test"}
	if ep, err := EndpointOverride(eps, "oos"); ep != "https://oos.example.test" || err != nil {
		t.Errorf("override: %q, %v", ep, err)
	}
	if ep, err := EndpointOverride(eps, "none"); ep != "" || err != nil {
		t.Errorf("no override: %q, %v", ep, err)
	}
	if _, err := EndpointOverride(eps, "bad"); err == nil || err.Error() != `endpoints.bad = "oos.example.test" is not an http(s) base URL` {
		t.Errorf("bad override: %v", err)
	}
	for region, want := range map[string]string{
		"cn-north-4": "",
		"":           "no region to build the oos endpoint from",
		"a.b":        `region "a.b" is not a valid region name (letters, digits and '-')`,
	} {
		err := CheckRegion("oos", region)
		if got := fmt.Sprint(err); (want == "" && err != nil) || (want != "" && got != want) {
			t.Errorf("CheckRegion(%q) = %v, want %q", region, err, want)
		}
	}
}
