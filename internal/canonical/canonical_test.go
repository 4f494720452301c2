package canonical

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
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

// FuzzQuery: parsing the canonical query gives back the same multiset of
// pairs, and the output is made only of unreserved characters,
// upper-case %XX escapes and the "&" and "=" separators.
func FuzzQuery(f *testing.F) {
	f.Add("limit\t1\nenable\ttrue\ntest\t一 (&=?!#%.*)\npath\t/tmp/123\nmulti\t3\nmulti\t1")
	f.Add("ExecutionId\texec-1\nNextToken\ta+b/c==\nRegionId\tcn-hangzhou")
	f.Add("a+b\t1+1\n\t\n=\t&")
	f.Add("\xff\xfe\t\x00;&=")
	f.Fuzz(func(t *testing.T, data string) {
		q := url.Values{}
		var want []string
		for line := range strings.SplitSeq(data, "\n") {
			k, v, _ := strings.Cut(line, "\t")
			q.Add(k, v)
			want = append(want, k+"\x00"+v)
		}
		out := Query(q)
		for pair := range strings.SplitSeq(out, "&") {
			if strings.Count(pair, "=") != 1 {
				t.Fatalf("pair %q of %q does not have exactly one '='", pair, out)
			}
			if bad := escaped(strings.ReplaceAll(pair, "=", "")); bad != "" {
				t.Fatalf("%s in %q", bad, out)
			}
		}
		back, err := url.ParseQuery(out)
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", out, err)
		}
		var got []string
		for k, vs := range back {
			for _, v := range vs {
				got = append(got, k+"\x00"+v)
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("round trip of %q:\n got %q\nwant %q", out, got, want)
		}
	})
}

// FuzzPath: the path as sent has the path's segments, each made only of
// unreserved characters and upper-case %XX escapes, each decoding back to
// the original and re-encoding to itself, so a server that decodes and
// re-encodes each segment signs the same bytes.
func FuzzPath(f *testing.F) {
	f.Add("/v2/0123456789abcdef/screen-records/sr-0001/os-operations")
	f.Add("/v1/p/workspaces/ws 补丁 & \"x\"=1+2 %/a?b#c/soc/playbooks/instances/auditlogs")
	f.Add("")
	f.Add("/")
	f.Add("//a//b/")
	f.Add("/%2F/%41/+/~")
	f.Add("\xff\x00/\u2028")
	f.Fuzz(func(t *testing.T, path string) {
		sent := Path(path)
		segs, sentSegs := strings.Split(path, "/"), strings.Split(sent, "/")
		if len(segs) != len(sentSegs) {
			t.Fatalf("%q has %d segments, the sent %q has %d", path, len(segs), sent, len(sentSegs))
		}
		for i, s := range sentSegs {
			if bad := escaped(s); bad != "" {
				t.Fatalf("%s in %q", bad, sent)
			}
			back, err := url.PathUnescape(s)
			if err != nil || back != segs[i] {
				t.Fatalf("segment %d %q decodes to %q (%v), want %q", i, s, back, err, segs[i])
			}
			if Escape(back) != s {
				t.Fatalf("segment %q is not canonical: re-encoded it is %q", s, Escape(back))
			}
		}
	})
}

// escaped says what in s is neither an unreserved character nor an
// upper-case %XX escape ("" when nothing is).
func escaped(s string) string {
	const upperHex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~", c) >= 0:
		case c == '%':
			if i+2 >= len(s) || strings.IndexByte(upperHex, s[i+1]) < 0 || strings.IndexByte(upperHex, s[i+2]) < 0 {
				return "a bad escape at " + s[i:]
			}
			i += 2
		default:
			return "an unencoded " + string(rune(c))
		}
	}
	return ""
}

// TestQueryEdgeCases: what both clouds' SDKs do with odd queries.
func TestQueryEdgeCases(t *testing.T) {
	for _, tt := range []struct {
		name string
		q    url.Values
		want string
	}{
		{"nil", nil, ""},
		{"empty value", url.Values{"k": {""}}, "k="},
		{"plus and space", url.Values{"a": {"1+1 2"}}, "a=1%2B1%202"},
		{"reserved in name", url.Values{"a&b=c": {"x"}}, "a%26b%3Dc=x"},
		{"tilde kept", url.Values{"t": {"~-_."}}, "t=~-_."},
		{"sorted by raw name", url.Values{"b": {"1"}, "a b": {"2"}, "a": {"3"}}, "a=3&a%20b=2&b=1"},
		{"empty value list skipped", url.Values{"a": {}, "b": {"1"}}, "b=1"},
		{"lower-case input hex is upper in output", url.Values{"x": {"\xff"}}, "x=%FF"},
	} {
		if got := Query(tt.q); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	q := url.Values{"multi": {"3", "1", "2"}}
	if Query(q); !slices.Equal(q["multi"], []string{"3", "1", "2"}) {
		t.Errorf("Query mutated its input: %v", q["multi"])
	}
}

// TestHeaders: a header's value as signed (trimmed, every spelling of its
// name, the canonical one first), the request's host in place of any
// "host" key, and the canonical request's lines.
func TestHeaders(t *testing.T) {
	h := http.Header{"x-acs-TEST": {" https "}, "X-Acs-Test": {"http"}, "x-ACS-test": {"ftp"}}
	if got := HeaderValue(h, "x-acs-test"); got != "http,ftp,https" {
		t.Errorf("HeaderValue = %q", got)
	}
	req, _ := http.NewRequest(http.MethodGet, "https://api.example.com/x", nil)
	req.Header["host"] = []string{"evil.example"}
	req.Header.Set("X-Sdk-Date", "d")
	// got["host"]: the raw lower-case key set above, which must be gone.
	if got := WithHost(req); got.Get("Host") != "api.example.com" || len(got["host"]) != 0 || req.Header.Get("Host") != "" { //nolint:staticcheck // SA1008: the non-canonical key is the point
		t.Errorf("WithHost = %v (request %v)", got, req.Header)
	}
	req.Host = "other.example.com"
	wh := WithHost(req)
	if got := Request("GET", "/x/", "a=1", wh, []string{"X-Sdk-Date", "host"}, "h"); got != "GET\n/x/\na=1\nhost:other.example.com\nx-sdk-date:d\n\nhost;x-sdk-date\nh" {
		t.Errorf("Request = %q", got)
	}
}
