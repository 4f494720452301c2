# Policy: no error in the log of an OOS execution. Log types are passed on
# as the API returns them (e.g. " System"), so they are compared trimmed and
# lower-cased; messages are matched case-insensitively.
data "opsaudit_alicloud_oos_execution_logs" "audited" {
  execution_id = "exec-0001"
}

locals {
  oos_error_lines = [
    for l in data.opsaudit_alicloud_oos_execution_logs.audited.execution_logs :
    "${l.timestamp} [${l.task_execution_id}] ${l.message}"
    if lower(trimspace(l.log_type)) == "error" || can(regex("(?i)\\b(error|exception|failed)\\b", l.message))
  ]
}

check "no_oos_errors" {
  assert {
    condition     = length(local.oos_error_lines) == 0
    error_message = "${length(local.oos_error_lines)} error line(s) in the log of OOS execution exec-0001, e.g. ${try(local.oos_error_lines[0], "")}"
  }
}
