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

# Every log line of an OOS execution, in the API's order.
data "opsaudit_alicloud_oos_execution_logs" "run" {
  execution_id = "exec-0001"
}

# Only the lines of one task execution, of one type (matched exactly:
# `System` is the type the API reference shows; another value is sent too,
# with a warning at plan time).
data "opsaudit_alicloud_oos_execution_logs" "task_output" {
  execution_id      = "exec-0001"
  task_execution_id = "exec-0001.t0002"
  log_type          = "System"
}

output "task_output" {
  value = [for l in data.opsaudit_alicloud_oos_execution_logs.task_output.execution_logs : "${l.timestamp} ${l.message}"]
}
