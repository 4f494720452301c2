package alicloud

import (
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/canonical"
)

// TestCanonicalPath: the canonical path of an RPC call is "/", any other
// path is sent and signed as canonical.Path has it (FuzzPath there holds
// it to its segments).
func TestCanonicalPath(t *testing.T) {
	for _, p := range []string{"", "/", "/a b/补丁", "//x//"} {
		want := canonical.Path(p)
		if p == "" {
			want = "/"
		}
		if got := canonicalPath(p); got != want {
			t.Errorf("canonicalPath(%q) = %q, want %q", p, got, want)
		}
	}
}
