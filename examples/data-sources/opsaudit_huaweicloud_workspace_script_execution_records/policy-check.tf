# Policy: no hardening script FAILED on any desktop of the group in the
# last 24 hours. The API filters by group, scripts, status and window;
# max_items keeps the read to one request while total_count still counts
# every failure. The data source inside the check block is read at every
# plan and apply, and a failed read is reported as a warning, like a
# failed assertion.
variable "resource_group_id" {
  description = "Resource group of the audited desktops."
  type        = string
}

variable "hardening_scripts" {
  description = "Names of the hardening scripts."
  type        = list(string)
  default     = ["install-agent", "rotate-keys"]
}

check "no_failed_hardening_script" {
  data "opsaudit_huaweicloud_workspace_script_execution_records" "failed_hardening" {
    resource_group_ids = [var.resource_group_id]
    script_names       = var.hardening_scripts
    status             = "FAILED"
    execute_time_start = timeadd(plantimestamp(), "-24h")
    execute_time_end   = plantimestamp()
    max_items          = 10
  }

  assert {
    condition = data.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening.total_count == 0
    error_message = format(
      "%d hardening script execution(s) FAILED in resource group %s in the last 24 hours, e.g. %s.",
      data.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening.total_count,
      var.resource_group_id,
      join("; ", [
        for r in data.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening.records :
        "${r.script_name} on ${r.resource_name} at ${r.start_time} (${r.result_code}: ${r.reason})"
      ]),
    )
  }
}
