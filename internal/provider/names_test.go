package provider

// dataSourceNames are the data sources' public type names, written out
// here on purpose: the tests hold the provider (and so internal/catalog)
// to them, since renaming one breaks every configuration that uses it.
func dataSourceNames() []string {
	return []string{
		"opsaudit_huaweicloud_workspace_script_execution_records",
		"opsaudit_huaweicloud_workspace_desktop_events",
		"opsaudit_huaweicloud_secmaster_playbook_audit_logs",
		"opsaudit_alicloud_oos_execution_logs",
	}
}
