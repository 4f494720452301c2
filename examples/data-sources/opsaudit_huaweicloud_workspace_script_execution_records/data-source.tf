# The provider's address and version: without this block Terraform looks
# for hashicorp/opsaudit. Once per module, with any example on this page.
terraform {
  required_providers {
    opsaudit = {
      source  = "opsaudit/opsaudit"
      version = "~> 0.1"
    }
  }
}

# Every script execution on two desktops in one day, with the status of each.
data "opsaudit_huaweicloud_workspace_script_execution_records" "day" {
  resource_ids       = ["desktop-0001", "desktop-0003"]
  execute_time_start = "2026-11-20T00:00:00Z"
  execute_time_end   = "2026-11-20T23:59:59Z"
}

output "executions_by_status" {
  value = data.opsaudit_huaweicloud_workspace_script_execution_records.day.status_counts
}

# The latest run of one script on one desktop, with its earlier runs
# (show_history needs resource_ids and script_ids).
data "opsaudit_huaweicloud_workspace_script_execution_records" "history" {
  resource_ids = ["desktop-0001"]
  script_ids   = ["script-04"]
  show_history = true
}

output "runs_of_script_04_on_desktop_0001" {
  value = [
    for r in data.opsaudit_huaweicloud_workspace_script_execution_records.history.records :
    "${r.start_time} ${r.status}"
  ]
}
