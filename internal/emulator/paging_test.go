package emulator

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"testing"
)

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

// listRPC follows NextToken from q to the last page of the Alibaba RPC
// action (version) and returns the items of every page, each page's
// member list decoded into T. A last page must name no token (not even
// an empty one), and where an answer has IsTruncated, it must be true
// exactly when a token follows.
func listRPC[T any](t *testing.T, e *env, action, version, list string, q url.Values) []T {
	t.Helper()
	var out []T
	token := ""
	for range 1000 {
		qq := url.Values{}
		maps.Copy(qq, q)
		if token != "" {
			qq.Set("NextToken", token)
		}
		r := e.send(e.rpcReq(http.MethodPost, qq, action, version))
		wantOK(t, r)
		page := decodeAs[map[string]json.RawMessage](t, r)
		var items []T
		if err := json.Unmarshal(page[list], &items); err != nil || items == nil {
			t.Fatalf("%s: %v in %s", list, err, r.body)
		}
		out = append(out, items...)
		var next string
		var truncated *bool
		_ = json.Unmarshal(page["NextToken"], &next)
		_ = json.Unmarshal(page["IsTruncated"], &truncated)
		if truncated != nil && *truncated != (next != "") {
			t.Fatalf("IsTruncated %v with NextToken %q", *truncated, next)
		}
		if next == "" {
			if _, named := page["NextToken"]; named {
				t.Fatalf("last page: %s", r.body)
			}
			return out
		}
		token = next
	}
	t.Fatal("NextToken loop")
	return nil
}
