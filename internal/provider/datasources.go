package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/oos"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/secmaster"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/workspace"
)

// dataSources lists every data source of the provider.
func dataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{
		workspace.NewScriptRecords,
		workspace.NewDesktopEvents,
		secmaster.NewPlaybookAuditLogs,
		oos.NewExecutionLogs,
	}
}

// dataSourceNames lists the type names of every data source, as CONTRACT.md fixes them.
func dataSourceNames() []string {
	return []string{
		"opsaudit_huaweicloud_workspace_script_execution_records",
		"opsaudit_huaweicloud_workspace_desktop_events",
		"opsaudit_huaweicloud_secmaster_playbook_audit_logs",
		"opsaudit_alicloud_oos_execution_logs",
	}
}
