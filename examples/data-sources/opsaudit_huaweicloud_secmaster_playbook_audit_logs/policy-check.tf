# Policy: no playbook run FAILED in the audited window. A gate: the
# postcondition fails the plan, naming the runs, and a read that fails
# fails it too.
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

  lifecycle {
    postcondition {
      condition = self.total_count == 0
      error_message = format(
        "%d playbook run(s) FAILED between %s and %s, e.g. %s.",
        self.total_count, var.window_start, var.window_end,
        join("; ", [for l in self.audit_logs : "${l.action_name} (${l.instance_id}): ${l.error_msg}"]),
      )
    }
  }
}
