# Policy: no error in the logs of Alibaba Cloud OOS executions, and no
# audited execution without a log.
#
#   terraform plan -var 'execution_ids=["exec-..."]'
#
# What an error looks like: ListExecutionLogs has no severity. Its LogType
# is not a level (the API reference shows only "System", passed on as
# stored, e.g. " System"), so it is not compared with "error". A failure
# is in the message, in the engine's sentences ("The task runCommand
# failed: ..."), in an API error a task logs, or in a script's output.
# error_pattern matches those words; adapt it to your templates.
#
# The API has no error filter, so every line of each execution is read
# (the token chain, page after page) and filtered here.
#
# A gate: the postcondition of each read fails the plan on an error line
# or an empty log (set enforce = false to turn it off), and so does a read
# that fails (the API cannot be reached, credentials are refused): the
# data source is declared at the top level. The check block only warns.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    opsaudit = {
      source  = "opsaudit/opsaudit"
      version = "~> 0.1"
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

variable "error_pattern" {
  description = "RE2 pattern: a log line whose message matches it is an error."
  type        = string
  default     = "(?i)\\b(error|exception|fail(ed|ure)?|traceback)\\b"

  validation {
    condition     = can(regexall(var.error_pattern, ""))
    error_message = "error_pattern must be a valid RE2 regular expression."
  }
}

variable "enforce" {
  description = "Fail the plan when an execution's log has an error line or no line at all. With false, only the check block's warning remains."
  type        = bool
  default     = true
}

data "opsaudit_alicloud_oos_execution_logs" "audited" {
  for_each = toset(var.execution_ids)

  execution_id = each.key

  lifecycle {
    postcondition {
      # A log without a single line is no evidence of a clean run: the
      # execution may not have run, or the id may be wrong.
      condition = !var.enforce || (length(self.execution_logs) > 0 && length([
        for l in self.execution_logs : l if can(regex(var.error_pattern, l.message))
      ]) == 0)
      error_message = length(self.execution_logs) == 0 ? "No log lines for OOS execution ${each.key}: nothing to judge it by." : format(
        "%d error line(s) in the log of OOS execution %s: %s",
        length([for l in self.execution_logs : l if can(regex(var.error_pattern, l.message))]), each.key,
        join("; ", [
          for l in self.execution_logs : "${l.timestamp} [${l.task_execution_id}] ${l.message}"
          if can(regex(var.error_pattern, l.message))
        ]),
      )
    }
  }
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
      if can(regex(var.error_pattern, l.message))
    ]
  ])
  executions_without_logs = sort([
    for id, d in data.opsaudit_alicloud_oos_execution_logs.audited : id if length(d.execution_logs) == 0
  ])
}

# Warn-only: a check block reports the findings as a warning and never
# stops a plan.
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
