package clouds

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/strictjson"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// TestDecodeMembers: what strictjson refuses fails the read as refused,
// naming the field, what it cannot read as unreadable; both name the
// operation, the status and the request id, and say that no partial
// result is returned. (strictjson's own tests hold the scanner to
// encoding/json.)
func TestDecodeMembers(t *testing.T) {
	for body, want := range map[string]string{
		`{"count":1,"script_records":[],"count":1}`:          "ListThings: HTTP 200 refused: count: given twice in one answer",
		`{"count":1,"script_records":[{"id":"a","ID":"b"}]}`: `HTTP 200 refused: script_records[0].id: the item also has a member "ID"`,
		`{"count":1,"script_records":[]`:                     "ListThings: HTTP 200 with an unreadable response body: unexpected end of JSON input",
		`[]`:                                                 "with an unreadable response body: the answer is a JSON array, not a JSON object",
		`{"count":"1","script_records":[]}`:                  "with an unreadable response body: count: json: cannot unmarshal string",
	} {
		resp := &transport.Response{StatusCode: 200, Header: http.Header{"X-Request-Id": {"rid-7"}}, Body: []byte(body)}
		var total *int64
		var items []struct {
			ID *string `json:"id"`
		}
		err := decodeMembers("ListThings", resp, []strictjson.Member{{Name: "count", Into: &total},
			{Name: "script_records", Into: &items, Items: []string{"id"}}})
		var de *DecodeError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "(request id: rid-7)") ||
			!strings.HasSuffix(err.Error(), "No partial result is returned.") {
			t.Errorf("%s: %v, want a DecodeError with %q", body, err, want)
		}
	}
}
