package transport

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSanitizeKeepsRunesWhole(t *testing.T) {
	s := strings.Repeat("é", 300) // 600 bytes, 2 per rune
	got := Sanitize(s, 511)
	if !strings.HasSuffix(got, "...") || strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("cut inside a rune: %q", got[len(got)-10:])
	}
	if n := len(strings.TrimSuffix(got, "...")); n != 510 {
		t.Errorf("kept %d bytes, want 510", n)
	}
	if got := Sanitize(" a\nb\x00c\u2028 ", 100); got != "a b c" {
		t.Errorf("control characters: %q", got)
	}
}

func TestFlexString(t *testing.T) {
	var v struct{ A, B, C FlexString }
	if err := json.Unmarshal([]byte(`{"A":"x","B":401,"C":{"nested":true}}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "x" || v.B != "401" || v.C != "" {
		t.Errorf("%+v", v)
	}
}

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
