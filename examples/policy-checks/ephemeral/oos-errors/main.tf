# Policy: no error in the logs of Alibaba Cloud OOS executions: no log line
# whose type says error, or whose message reports an error, an exception
# or a failure. The ephemeral form of ../../oos-errors: every line of each
# execution is read at every plan and apply (the API has no error filter)
# and filtered here, and none of them is written to the state or to a
# saved plan, however long the logs.
#
#   terraform plan -var 'execution_ids=["exec-..."]'
#
# The postcondition fails the plan (set enforce = false to turn it off);
# the check block warns. Neither message can show the lines (Terraform
# rejects a message built from an ephemeral value): both name the
# execution.

terraform {
  # Ephemeral resources: Terraform 1.10 or later (OpenTofu 1.11 or later).
  required_version = ">= 1.10.0"

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

variable "enforce" {
  description = "Fail the plan when an execution's log has an error line. With false, only the check block's warning remains."
  type        = bool
  default     = true
}

ephemeral "opsaudit_alicloud_oos_execution_logs" "audited" {
  for_each = toset(var.execution_ids)

  execution_id = each.key

  lifecycle {
    postcondition {
      condition = !var.enforce || length([
        for l in self.execution_logs : l
        if contains(var.error_log_types, try(lower(trimspace(l.log_type)), "")) || can(regex(var.error_pattern, l.message))
      ]) == 0
      error_message = "An error line is in the log of OOS execution ${each.key}."
    }
  }
}

check "no_oos_execution_errors" {
  assert {
    condition = alltrue([
      for d in ephemeral.opsaudit_alicloud_oos_execution_logs.audited : length([
        for l in d.execution_logs : l
        if contains(var.error_log_types, try(lower(trimspace(l.log_type)), "")) || can(regex(var.error_pattern, l.message))
      ]) == 0
    ])
    error_message = "An error line is in the logs of the audited OOS executions (${join(", ", var.execution_ids)})."
  }
}
