# Policy: no SecMaster playbook run FAILED in the last 24 hours. The
# ephemeral form of ../../playbook-failures: the audit logs, with their
# input, output and error messages, are read at every plan and apply and
# never written to the state or to a saved plan.
#
#   terraform plan -var workspace_id=<SecMaster workspace id>
#
# A gate that survives `terraform show -json`: the precondition of output
# "gate" fails the plan (set enforce = false to turn it off), and so does a
# read that fails; the check block is warn-only. The ephemeral resource
# itself has no pre- or postcondition (see ../hardening-script/main.tf for
# why). Neither message can show the logs (Terraform rejects a message
# built from an ephemeral value).

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

# Credentials and region from the environment (HW_ACCESS_KEY, HW_SECRET_KEY,
# HW_REGION_NAME, ...).
provider "opsaudit" {}

variable "workspace_id" {
  description = "SecMaster workspace whose playbook runs are audited."
  type        = string
}

variable "instance_type" {
  description = "Instance type to audit: PLAYBOOK for playbook runs; null for every instance (workflows, scripts, tasks too)."
  type        = string
  default     = "PLAYBOOK"
}

variable "window" {
  description = "How far back from window_end to look, as a duration timeadd() accepts (e.g. 24h)."
  type        = string
  default     = "24h"

  validation {
    condition     = can(timeadd("2026-01-01T00:00:00Z", "-${var.window}"))
    error_message = "window must be a positive duration such as 24h or 90m."
  }
}

variable "window_end" {
  description = "End of the audited window, RFC 3339. Default (null): the time of the plan."
  type        = string
  default     = null
}

variable "enforce" {
  description = "Fail the plan when a playbook run FAILED. With false, only the check block's warning remains."
  type        = bool
  default     = true
}

locals {
  window_end   = coalesce(var.window_end, plantimestamp())
  window_start = timeadd(local.window_end, "-${var.window}")
  finding      = "A playbook run FAILED in SecMaster workspace ${var.workspace_id} between ${local.window_start} and ${local.window_end}."
}

ephemeral "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "failed" {
  workspace_id  = var.workspace_id
  instance_type = var.instance_type
  status        = "FAILED"
  start_time    = local.window_start
  end_time      = local.window_end
  # The verdict needs the count only; total_count counts every match.
  max_items = 1
}

# Warn-only: never stops a plan.
check "no_failed_playbook_runs" {
  assert {
    condition     = ephemeral.opsaudit_huaweicloud_secmaster_playbook_audit_logs.failed.total_count == 0
    error_message = local.finding
  }
}

# The gate: its precondition fails the plan.
output "gate" {
  description = "What was audited, when the plan passed the gate."
  value       = "No playbook run FAILED in SecMaster workspace ${var.workspace_id} between ${local.window_start} and ${local.window_end}."

  precondition {
    condition     = !var.enforce || ephemeral.opsaudit_huaweicloud_secmaster_playbook_audit_logs.failed.total_count == 0
    error_message = local.finding
  }
}
