// Package catalog is the list of every list API the provider serves: the
// one place a new API is added. The provider's data sources, the
// direct-read server's tests, the fault suite, the examples test, the
// benchmarks and the acceptance helpers all iterate it.
package catalog

import (
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/oos"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/secmaster"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/workspace"
)

// All are the declared list APIs, one line each.
func All() []listread.Declaration {
	return []listread.Declaration{
		workspace.ScriptRecords,
		workspace.DesktopEvents,
		secmaster.PlaybookAuditLogs,
		oos.ExecutionLogs,
	}
}

// ByTypeName returns the declaration of a data source type name, nil when
// there is none.
func ByTypeName(typeName string) listread.Declaration {
	for _, d := range All() {
		if d.Spec().TypeName == typeName {
			return d
		}
	}
	return nil
}

// TypeNames are the data sources' type names, in catalog order.
func TypeNames() []string {
	all := All()
	out := make([]string, len(all))
	for i, d := range all {
		out[i] = d.Spec().TypeName
	}
	return out
}
