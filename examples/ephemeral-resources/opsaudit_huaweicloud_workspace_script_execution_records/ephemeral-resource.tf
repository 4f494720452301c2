# Policy: no hardening script FAILED on a desktop of the group in the
# audited day. The records are read at every plan and never written to the
# state or to a saved plan. The postcondition fails the plan; its message
# cannot show the records (Terraform rejects a message built from an
# ephemeral value), so it says where to look.
ephemeral "opsaudit_huaweicloud_workspace_script_execution_records" "failed_hardening" {
  resource_group_ids = ["rg-01"]
  script_names       = ["install-agent", "rotate-keys"]
  status             = "FAILED"
  execute_time_start = "2026-11-19T12:00:00Z"
  execute_time_end   = "2026-11-20T12:00:00Z"
  # Only the verdict is needed: total_count counts every failure, and the
  # read stops after one request.
  max_items = 1

  lifecycle {
    postcondition {
      condition     = self.total_count == 0
      error_message = "A hardening script FAILED in resource group rg-01 between 2026-11-19T12:00:00Z and 2026-11-20T12:00:00Z: list the runs with the data source opsaudit_huaweicloud_workspace_script_execution_records."
    }
  }
}
