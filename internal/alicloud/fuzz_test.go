package alicloud

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzCanonicalURI: the canonical path is "/" for an empty path, and
// otherwise the path's segments, each percent-encoded with only
// unreserved characters left as they are and upper-case %XX escapes, each
// decoding back to the original segment.
func FuzzCanonicalURI(f *testing.F) {
	f.Add("/")
	f.Add("")
	f.Add("/a b/补丁 & \"x\"=1+2 %/a?b#c")
	f.Add("//x//")
	f.Add("/%2F/+/~")
	f.Add("\xff\x00")
	f.Fuzz(func(t *testing.T, path string) {
		got := canonicalPath(path)
		if path == "" {
			if got != "/" {
				t.Fatalf(`canonicalPath("") = %q, want "/"`, got)
			}
			return
		}
		for i := 0; i < len(got); i++ {
			c := got[i]
			switch {
			case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', strings.IndexByte("-_.~/", c) >= 0:
			case c == '%':
				if i+2 >= len(got) || strings.IndexByte("0123456789ABCDEF", got[i+1]) < 0 ||
					strings.IndexByte("0123456789ABCDEF", got[i+2]) < 0 {
					t.Fatalf("bad escape at %d in %q", i, got)
				}
				i += 2
			default:
				t.Fatalf("unencoded %q in %q", c, got)
			}
		}
		segs, gotSegs := strings.Split(path, "/"), strings.Split(got, "/")
		if len(segs) != len(gotSegs) {
			t.Fatalf("%q has %d segments, %q has %d", path, len(segs), got, len(gotSegs))
		}
		for i, s := range gotSegs {
			if back, err := url.PathUnescape(s); err != nil || back != segs[i] {
				t.Fatalf("segment %d %q decodes to %q (%v), want %q", i, s, back, err, segs[i])
			}
		}
	})
}
