package catalog_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// code is a Markdown code span.
var code = regexp.MustCompile("`([^`]+)`")

// names reports whether description has a code span naming the API's
// name, compared without case and underscores (task_execution_id is the
// API's TaskExecutionId).
func names(description, name string) bool {
	fold := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
	for _, m := range code.FindAllStringSubmatch(description, -1) {
		if fold(m[1]) == fold(name) {
			return true
		}
	}
	return false
}

// TestSchemaDescriptions: every attribute of every data source has a
// description; an argument's names the query parameter or body field it
// is sent as, an item field's the API field it is read from, and the
// results' the answer's members (the total, the list) or the field they
// count.
func TestSchemaDescriptions(t *testing.T) {
	for _, f := range acctest.Fixtures() {
		d := catalog.ByTypeName(f.TypeName)
		spec := d.Spec()
		t.Run(f.Name, func(t *testing.T) {
			if spec.Description == "" {
				t.Error("no description")
			}
			for _, a := range d.Attributes() {
				want := ""
				switch {
				case a.Query != "":
					want = a.Query
				case a.Body != "":
					want = a.Body
				case a.Name == "total_count":
					want = d.Doc().Total
				case a.Name == spec.List:
					want = d.Doc().List
				case a.Name == "status_counts":
					want = "status"
				}
				if a.Description == "" {
					t.Errorf("%s has no description", a.Name)
				} else if want != "" && !names(a.Description, want) {
					t.Errorf("the description of %s does not name the API's `%s`: %q", a.Name, want, a.Description)
				}
				if a.Kind != listread.ObjectList {
					continue
				}
				for _, n := range a.Nested {
					if !names(n.Description, n.Name) {
						t.Errorf("%s.%s's description does not name the API field: %q", a.Name, n.Name, n.Description)
					}
				}
			}
		})
	}
}
