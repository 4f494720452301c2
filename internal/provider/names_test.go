package provider

import (
	"regexp"
	"slices"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
)

// publishedNames are the data sources' public type names, written out
// here on purpose: renaming or removing one breaks every configuration
// that uses it, so the tests hold the provider (and so internal/catalog)
// to serving each of them. A new data source is served without an edit
// here (TestDataSourceNames checks its name's form); add its name once it
// is released, so that it is held too.
var publishedNames = []string{
	"opsaudit_huaweicloud_workspace_script_execution_records",
	"opsaudit_huaweicloud_workspace_desktop_events",
	"opsaudit_huaweicloud_secmaster_playbook_audit_logs",
	"opsaudit_alicloud_oos_execution_logs",
}

// nameForm is the form of a data source's type name: the provider, the
// cloud, the service and what it lists.
var nameForm = regexp.MustCompile(`^opsaudit_(huaweicloud|alicloud)_[a-z0-9]+_[a-z0-9_]+[a-z0-9]$`)

// dataSourceNames are the names the provider must serve and no other:
// the catalog's, which must hold every published name.
func dataSourceNames() []string { return catalog.TypeNames() }

// TestDataSourceNames: every published name is still served, and every
// name served has the form of the others.
func TestDataSourceNames(t *testing.T) {
	names := dataSourceNames()
	for _, p := range publishedNames {
		if !slices.Contains(names, p) {
			t.Errorf("the published data source %s is no longer served: renaming or removing it breaks configurations", p)
		}
	}
	for _, n := range names {
		if !nameForm.MatchString(n) {
			t.Errorf("data source %s: its name is not of the form %s", n, nameForm)
		}
	}
}
