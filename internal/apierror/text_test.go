package apierror

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

func TestSanitizeRemovesBidiAndFormatCharacters(t *testing.T) {
	in := "access \u202Edenied\u202C to \u2066x\u2069\u200B\uFEFF ok\u061C"
	got := Sanitize(in, 200)
	if got != "access denied to x ok" {
		t.Fatalf("Sanitize(%q) = %q", in, got)
	}
}
