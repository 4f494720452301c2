package huaweicloud

import (
	"net/url"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/canonical"
)

// FuzzCanonicalURI: the canonical URI is the path as sent (escapePath)
// plus the trailing "/" the signature adds; it is made only of unreserved
// characters, "/" and upper-case %XX escapes; it has the path's segments,
// each of which decodes back to the original, so a server that decodes
// and re-encodes each segment signs the same bytes.
func FuzzCanonicalURI(f *testing.F) {
	f.Add("/v2/0123456789abcdef/screen-records/sr-0001/os-operations")
	f.Add("/v1/p/workspaces/ws 补丁 & \"x\"=1+2 %/a?b#c/soc/playbooks/instances/auditlogs")
	f.Add("")
	f.Add("/")
	f.Add("//a//b/")
	f.Add("/%2F/%41/+/~")
	f.Add("\xff\x00/\u2028")
	f.Fuzz(func(t *testing.T, path string) {
		got := CanonicalURI(path)
		sent := escapePath(path)
		if !strings.HasSuffix(got, "/") {
			t.Fatalf("CanonicalURI(%q) = %q does not end with /", path, got)
		}
		if want := sent + "/"; got != want && got != sent {
			t.Fatalf("CanonicalURI(%q) = %q, want the sent path %q plus /", path, got, sent)
		}
		if got == sent && !strings.HasSuffix(path, "/") {
			t.Fatalf("CanonicalURI(%q) = %q added no / to a path without one", path, got)
		}
		for i := 0; i < len(sent); i++ {
			c := sent[i]
			switch {
			case unreservedForTest(c), c == '/':
			case c == '%':
				if i+2 >= len(sent) || !upperHex(sent[i+1]) || !upperHex(sent[i+2]) {
					t.Fatalf("bad escape at %d in %q", i, sent)
				}
				i += 2
			default:
				t.Fatalf("unencoded %q in %q", c, sent)
			}
		}
		segs, sentSegs := strings.Split(path, "/"), strings.Split(sent, "/")
		if len(segs) != len(sentSegs) {
			t.Fatalf("%q has %d segments, the sent %q has %d", path, len(segs), sent, len(sentSegs))
		}
		for i, s := range sentSegs {
			back, err := url.PathUnescape(s)
			if err != nil || back != segs[i] {
				t.Fatalf("segment %d %q decodes to %q (%v), want %q", i, s, back, err, segs[i])
			}
			if canonical.Escape(back) != s {
				t.Fatalf("segment %q is not canonical: re-encoded it is %q", s, canonical.Escape(back))
			}
		}
	})
}
