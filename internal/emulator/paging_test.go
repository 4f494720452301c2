package emulator

import "testing"

// A page token carries its offset, is refused when altered, and is bound
// to the parameters it was made for, whatever they are (none included).
func TestPageTokens(t *testing.T) {
	type bound struct {
		A string `json:"a"`
		N int    `json:"n,omitempty"`
	}
	tok := encodeToken(bound{A: "x", N: 3}, 42)
	if off, err := decodeToken(tok, bound{A: "x", N: 3}); err != tokenOK || off != 42 {
		t.Fatalf("decoded %d, %v", off, err)
	}
	if _, err := decodeToken(tok, bound{A: "x"}); err != tokenOtherQuery {
		t.Fatalf("other parameters: %v", err)
	}
	bad := []byte(tok)
	bad[len(bad)-2] ^= 1
	if _, err := decodeToken(string(bad), bound{A: "x", N: 3}); err != tokenInvalid {
		t.Fatalf("altered token: %v", err)
	}
	none := encodeToken(struct{}{}, 7)
	if off, err := decodeToken(none, struct{}{}); err != tokenOK || off != 7 {
		t.Fatalf("token without parameters: %d, %v", off, err)
	}
	if _, err := decodeToken(encodeToken(struct{}{}, -1), struct{}{}); err != tokenInvalid {
		t.Fatalf("negative offset: %v", err)
	}
}
