// Package catalog is the list of every list API the provider serves: the
// one place a new API is added. The provider's data sources, the
// direct-read server's tests, the fault suite, the examples test, the
// benchmarks and the acceptance helpers all iterate it.
package catalog

import (
	"strings"

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

// Description is the provider's description: what it reads from which
// cloud, every declared API by what it lists, in catalog order, e.g.
// "Reads operations records from Huawei Cloud (Workspace script execution
// records, ...) and Alibaba Cloud (OOS execution logs), for policy checks
// in Terraform configurations."
func Description() string {
	var clouds []string
	byCloud := map[string][]string{}
	for _, d := range All() {
		c := d.Doc().Cloud
		if _, seen := byCloud[c]; !seen {
			clouds = append(clouds, c)
		}
		byCloud[c] = append(byCloud[c], d.Spec().What)
	}
	parts := make([]string, len(clouds))
	for i, c := range clouds {
		parts[i] = c + " (" + strings.Join(byCloud[c], ", ") + ")"
	}
	return "Reads operations records from " + andList(parts) + ", for policy checks in Terraform configurations."
}

// andList joins "a", "b" and "c" as "a, b and c".
func andList(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
