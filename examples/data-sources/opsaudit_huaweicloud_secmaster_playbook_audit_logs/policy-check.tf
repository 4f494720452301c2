# Policy: no playbook run FAILED in the audited window.
variable "window_start" {
  type    = string
  default = "2026-11-19T12:00:00Z"
}

variable "window_end" {
  type    = string
  default = "2026-11-20T12:00:00Z"
}

data "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "failed_in_window" {
  workspace_id  = "ws-0001"
  instance_type = "PLAYBOOK"
  status        = "FAILED"
  start_time    = var.window_start
  end_time      = var.window_end
  # A few examples are enough for the message: total_count still counts every match.
  max_items = 5
}

locals {
  failed_runs = [
    for l in data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.failed_in_window.audit_logs :
    "${l.action_name} (${l.instance_id}): ${l.error_msg}"
  ]
}

check "no_failed_playbook_runs" {
  assert {
    condition     = data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.failed_in_window.total_count == 0
    error_message = "${data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.failed_in_window.total_count} playbook run(s) FAILED between ${var.window_start} and ${var.window_end}, e.g. ${join("; ", local.failed_runs)}."
  }
}
