# Policy: surface the errors in the logs of Alibaba Cloud OOS executions:
# log lines whose type says error, or whose message reports an error, an
# exception or a failure.
#
#   terraform plan -var 'execution_ids=["exec-..."]'
#
# ListExecutionLogs has no server-side filter for this, so every line of
# each execution is read (the token chain, page after page) and filtered
# here. Log types are compared trimmed and lower-cased: the API passes
# them on as stored (e.g. " System").

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    opsaudit = {
      source = "opsaudit/opsaudit"
    }
  }
}

# Credentials and region from the environment: ALIBABA_CLOUD_ACCESS_KEY_ID,
# ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN with STS
# credentials), ALIBABA_CLOUD_REGION.
provider "opsaudit" {}

variable "execution_ids" {
  description = "OOS executions to audit."
  type        = list(string)
}

variable "error_log_types" {
  description = "Log types (lower case) whose lines are errors."
  type        = list(string)
  default     = ["error", "fatal"]
}

variable "error_pattern" {
  description = "RE2 pattern: a message matching it is an error, whatever its log type."
  type        = string
  default     = "(?i)\\b(error|exception|fail(ed|ure)?|traceback)\\b"

  validation {
    condition     = can(regexall(var.error_pattern, ""))
    error_message = "error_pattern must be a valid RE2 regular expression."
  }
}

data "opsaudit_alicloud_oos_execution_logs" "audited" {
  for_each = toset(var.execution_ids)

  execution_id = each.key
}

locals {
  error_lines = flatten([
    for id, d in data.opsaudit_alicloud_oos_execution_logs.audited : [
      for l in d.execution_logs : {
        execution_id      = id
        task_execution_id = l.task_execution_id
        timestamp         = l.timestamp
        log_type          = l.log_type
        message           = l.message
      }
      if contains(var.error_log_types, try(lower(trimspace(l.log_type)), "")) || can(regex(var.error_pattern, l.message))
    ]
  ])
}

locals {
  # An execution without a single log line is no evidence of a clean run:
  # it may not have run, or the id may be wrong.
  executions_without_logs = sort([
    for id, d in data.opsaudit_alicloud_oos_execution_logs.audited : id if length(d.execution_logs) == 0
  ])
}

check "no_oos_execution_errors" {
  assert {
    condition     = length(local.executions_without_logs) == 0
    error_message = "No log lines for ${join(", ", local.executions_without_logs)}: nothing to judge the execution by."
  }
  assert {
    condition     = length(local.error_lines) == 0
    error_message = "${length(local.error_lines)} error line(s) in the OOS execution logs, first: ${try(format("%s %s [%s] %s", local.error_lines[0].timestamp, local.error_lines[0].execution_id, local.error_lines[0].task_execution_id, local.error_lines[0].message), "")}"
  }
}

output "oos_error_lines" {
  description = "Every error line, in the API's order per execution."
  value       = local.error_lines
}
