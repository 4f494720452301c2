# Every log line of an OOS execution, in the API's order.
data "opsaudit_alicloud_oos_execution_logs" "run" {
  execution_id = "exec-0001"
}

# Only the lines of one task execution, of one type.
data "opsaudit_alicloud_oos_execution_logs" "task_output" {
  execution_id      = "exec-0001"
  task_execution_id = "exec-0001.t0002"
  log_type          = "Output"
}

output "task_output" {
  value = [for l in data.opsaudit_alicloud_oos_execution_logs.task_output.execution_logs : "${l.timestamp} ${l.message}"]
}

# Policy: no error-type log line in the execution. Log types are passed on as
# the API returns them (e.g. " System"), so compare trimmed and lower-cased.
locals {
  oos_error_lines = [
    for l in data.opsaudit_alicloud_oos_execution_logs.run.execution_logs :
    "${l.timestamp} [${l.task_execution_id}] ${l.message}" if lower(trimspace(l.log_type)) == "error"
  ]
}

check "no_oos_error_log_lines" {
  assert {
    condition     = length(local.oos_error_lines) == 0
    error_message = "${length(local.oos_error_lines)} error log line(s) in execution exec-0001, e.g. ${try(local.oos_error_lines[0], "")}"
  }
}
