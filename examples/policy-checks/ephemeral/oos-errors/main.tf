# Policy: no error in the logs of Alibaba Cloud OOS executions, and no
# audited execution without a log. The ephemeral form of ../../oos-errors
# (which says what an error looks like): every line of each execution is
# read at every plan and apply (the API has no error filter) and filtered
# here, and none of them is written to the state or to a saved plan,
# however long the logs.
#
#   terraform plan -var 'execution_ids=["exec-..."]'
#
# A gate that survives `terraform show -json`: the precondition of output
# "gate" fails the plan (set enforce = false to turn it off), and so does a
# read that fails; the check block is warn-only. The ephemeral resources
# themselves have no pre- or postcondition (see
# ../hardening-script/main.tf for why). Neither message can show the lines
# (Terraform rejects a message built from an ephemeral value).

terraform {
  # Ephemeral resources: Terraform 1.10 or later (OpenTofu 1.11 or later).
  required_version = ">= 1.10.0"

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

ephemeral "opsaudit_alicloud_oos_execution_logs" "audited" {
  for_each = toset(var.execution_ids)

  execution_id = each.key
}

locals {
  # Whether every audited log has lines and none of them is an error.
  clean = alltrue([
    for d in ephemeral.opsaudit_alicloud_oos_execution_logs.audited :
    length(d.execution_logs) > 0 && length([for l in d.execution_logs : l if can(regex(var.error_pattern, l.message))]) == 0
  ])
  finding = "An error line, or no line at all, is in the logs of the audited OOS executions (${join(", ", var.execution_ids)})."
}

# Warn-only: never stops a plan.
check "no_oos_execution_errors" {
  assert {
    condition     = local.clean
    error_message = local.finding
  }
}

# The gate: its precondition fails the plan.
output "gate" {
  description = "What was audited, when the plan passed the gate."
  value       = "No error line in the logs of OOS executions ${join(", ", var.execution_ids)}."

  precondition {
    condition     = !var.enforce || local.clean
    error_message = local.finding
  }
}
