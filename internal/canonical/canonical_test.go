package canonical

import (
	"net/url"
	"testing"
)

func TestEscapePathQuery(t *testing.T) {
	for in, want := range map[string]string{
		"":           "",
		"AZaz09-_.~": "AZaz09-_.~",
		"a b+c/d":    "a%20b%2Bc%2Fd",
		"补丁":         "%E8%A1%A5%E4%B8%81",
		"%":          "%25",
		"x=1&y=*":    "x%3D1%26y%3D%2A",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Path("/v2/a b/c"); got != "/v2/a%20b/c" {
		t.Errorf("Path: %q", got)
	}
	q := url.Values{"b": {"2", "1"}, "a": {""}, "c d": {"x y"}}
	if got := Query(q); got != "a=&b=1&b=2&c%20d=x%20y" {
		t.Errorf("Query: %q", got)
	}
	if Query(nil) != "" {
		t.Error("an empty query is empty")
	}
	if HexSHA256(nil) != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Error("HexSHA256")
	}
	// RFC 4231 test case 2.
	if HexHMACSHA256("Jefe", "what do ya want for nothing?") != "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" {
		t.Error("HexHMACSHA256")
	}
}
