package transport

import "testing"

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
