# Policy: no hardening script FAILED on any desktop of a desktop group
# (Workspace resource group) in the last 24 hours. The ephemeral form of
# ../../hardening-script: the records are read at every plan and apply and
# never written to the state or to a saved plan.
#
# A gate that survives `terraform show -json`:
# - the precondition of output "gate" fails the plan (set enforce = false
#   to turn it off), and so does a read that fails (the API cannot be
#   reached, credentials are refused);
# - warn-only: the check block reports the same finding as a warning.
# The ephemeral resource itself has no pre- or postcondition: with one,
# `terraform show -json` of a saved plan crashes Terraform 1.10 through 1.14
# ("unsupported resource mode"; see ../README.md).
#
# Neither message can name the failed runs: Terraform rejects a message
# built from an ephemeral value. Both name the group and the window; list
# the runs with the data source form when one fails.
#
#   terraform plan -var resource_group_id=rg-01

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

# Credentials and region come from the environment, as in a pipeline:
# HW_ACCESS_KEY, HW_SECRET_KEY (and HW_SECURITY_TOKEN with temporary
# credentials), HW_REGION_NAME; HW_PROJECT_ID is optional.
provider "opsaudit" {}

variable "resource_group_id" {
  description = "Workspace resource group (desktop group) whose desktops are audited."
  type        = string
}

variable "hardening_scripts" {
  description = "Names of the hardening scripts (script_name)."
  type        = list(string)
  default     = ["install-agent", "rotate-keys"]
}

variable "window" {
  description = "How far back from window_end to look, as a duration timeadd() accepts (e.g. 24h, 90m)."
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
  description = "Fail the plan when a hardening script FAILED. With false, only the check block's warning remains."
  type        = bool
  default     = true
}

locals {
  window_end   = coalesce(var.window_end, plantimestamp())
  window_start = timeadd(local.window_end, "-${var.window}")
  finding      = "A hardening script run FAILED in resource group ${var.resource_group_id} between ${local.window_start} and ${local.window_end}."
}

ephemeral "opsaudit_huaweicloud_workspace_script_execution_records" "failed_hardening" {
  resource_group_ids = [var.resource_group_id]
  script_names       = var.hardening_scripts
  status             = "FAILED"
  execute_time_start = local.window_start
  execute_time_end   = local.window_end
  # The verdict needs the count only: total_count counts every failure,
  # and the read stops after one request.
  max_items = 1
}

# Warn-only: never stops a plan.
check "no_failed_hardening_script" {
  assert {
    condition     = ephemeral.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening.total_count == 0
    error_message = local.finding
  }
}

# The gate: its precondition fails the plan. Its value holds nothing
# ephemeral (a root module's output cannot).
output "gate" {
  description = "What was audited, when the plan passed the gate."
  value       = "No hardening script run FAILED in resource group ${var.resource_group_id} between ${local.window_start} and ${local.window_end}."

  precondition {
    condition     = !var.enforce || ephemeral.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening.total_count == 0
    error_message = local.finding
  }
}
