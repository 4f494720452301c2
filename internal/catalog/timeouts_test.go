package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// TestTimeoutsTextNamesOnlyItsCloudsLookups: timeouts.read counts the
// project lookup in its budget on the data sources that may look a
// project up (those with project_id: Huawei Cloud), and says nothing of
// one where the cloud has none (Alibaba Cloud).
func TestTimeoutsTextNamesOnlyItsCloudsLookups(t *testing.T) {
	for _, d := range catalog.All() {
		attrs := d.Attributes()
		i := slices.IndexFunc(attrs, func(a listread.Attribute) bool { return a.Name == "timeouts" })
		if i < 0 || len(attrs[i].Nested) != 1 {
			t.Fatalf("%s: no timeouts attribute with read", d.Spec().TypeName)
		}
		project := slices.ContainsFunc(attrs, func(a listread.Attribute) bool { return a.Name == "project_id" })
		text := attrs[i].Nested[0].Description
		if strings.Contains(text, "project lookup") != project {
			t.Errorf("%s (project_id: %t): timeouts.read says %q", d.Spec().TypeName, project, text)
		}
	}
}
