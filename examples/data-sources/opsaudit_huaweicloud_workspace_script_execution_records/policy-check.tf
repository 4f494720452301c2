# Policy: no hardening script FAILED on any desktop of the group in the
# last 24 hours. A gate: the postcondition fails the plan, naming the
# failed runs, and a read that fails (the API cannot be reached,
# credentials are refused) fails it too. The API filters by group,
# scripts, status and window; max_items keeps the read to one request
# while total_count still counts every failure.
variable "resource_group_id" {
  description = "Resource group of the audited desktops."
  type        = string
}

variable "hardening_scripts" {
  description = "Names of the hardening scripts."
  type        = list(string)
  default     = ["install-agent", "rotate-keys"]
}

variable "window_end" {
  description = "End of the audited day, RFC 3339. Default (null): the time of the plan."
  type        = string
  default     = null
}

locals {
  window_end = coalesce(var.window_end, plantimestamp())
}

data "opsaudit_huaweicloud_workspace_script_execution_records" "failed_hardening" {
  resource_group_ids = [var.resource_group_id]
  script_names       = var.hardening_scripts
  status             = "FAILED"
  execute_time_start = timeadd(local.window_end, "-24h")
  execute_time_end   = local.window_end
  max_items          = 10

  lifecycle {
    postcondition {
      condition = self.total_count == 0
      error_message = format(
        "%d hardening script execution(s) FAILED in resource group %s in the 24 hours before %s, e.g. %s.",
        self.total_count, var.resource_group_id, local.window_end,
        join("; ", [
          for r in self.records :
          "${r.script_name} on ${r.resource_name} at ${r.start_time} (${coalesce(r.result_code, "-")}: ${coalesce(r.reason, "no reason given")})"
        ]),
      )
    }
  }
}
