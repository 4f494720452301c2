package listread

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestRequestPath: an argument with Path fills that path parameter with
// its value ("" when unset), and is sent nowhere else.
func TestRequestPath(t *testing.T) {
	api := &API{Args: []Attribute{{Name: "record", Path: "record_id"}, {Name: "other", Path: "other_id"}}}
	r, err := api.Request(Args{"record": tftypes.NewValue(tftypes.String, "sr 1/é"), "other": tftypes.NewValue(tftypes.String, nil)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Path["record_id"] != "sr 1/é" || r.Path["other_id"] != "" || len(r.Path) != 2 {
		t.Errorf("path parameters %q", r.Path)
	}
	if len(r.Query) != 0 || r.Body != nil {
		t.Errorf("a path parameter went elsewhere: query %v, body %q", r.Query, r.Body)
	}
}
