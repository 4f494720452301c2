# Policy: no error in the log of an OOS execution. A gate: the
# postcondition fails the plan, naming the lines, and a read that fails
# fails it too. The API has no severity: LogType is not a level (the
# reference shows only "System"), so an error is found in the message
# ("The task runCommand failed: ..."), matched case-insensitively. A log
# without lines is no evidence of a clean run, so it fails as well.
variable "execution_id" {
  description = "OOS execution to audit."
  type        = string
}

data "opsaudit_alicloud_oos_execution_logs" "audited" {
  execution_id = var.execution_id

  lifecycle {
    postcondition {
      condition = length(self.execution_logs) > 0 && length([
        for l in self.execution_logs : l if can(regex("(?i)\\b(error|exception|fail(ed|ure)?)\\b", l.message))
      ]) == 0
      error_message = "The log of OOS execution ${var.execution_id} has no line, or error lines: ${join("; ", [
        for l in self.execution_logs : "${l.timestamp} [${l.task_execution_id}] ${l.message}"
        if can(regex("(?i)\\b(error|exception|fail(ed|ure)?)\\b", l.message))
      ])}"
    }
  }
}
