# Policy: no hardening script FAILED on any desktop of a desktop group
# (Workspace resource group) in the last 24 hours.
#
# A gate: the finding is acted on in two ways:
# - the postcondition on the data source fails the plan, so a pipeline that
#   runs `terraform plan` (or apply) stops; set enforce = false to turn it off;
#   a read that fails (the API cannot be reached, credentials are refused)
#   fails the plan too, because the data source is declared at the top level;
# - warn-only: the check block reports the same finding as a warning at
#   every plan and apply (and in HCP Terraform's continuous validation)
#   without stopping anything.
#
#   terraform plan -var resource_group_id=rg-01
#
# The window ends at the time of the plan (plantimestamp()) unless
# window_end is set, e.g. to audit a fixed day or in tests.

terraform {
  required_version = ">= 1.5.0"

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
}

data "opsaudit_huaweicloud_workspace_script_execution_records" "failed_hardening" {
  resource_group_ids = [var.resource_group_id]
  script_names       = var.hardening_scripts
  status             = "FAILED"
  execute_time_start = local.window_start
  execute_time_end   = local.window_end
  # A few failures are enough for the message: total_count still counts
  # every failure, and the read stops after one request.
  max_items = 5

  lifecycle {
    postcondition {
      condition = !var.enforce || self.total_count == 0
      error_message = format(
        "%d hardening script run(s) FAILED in resource group %s between %s and %s, e.g. %s.",
        self.total_count, var.resource_group_id, local.window_start, local.window_end,
        join("; ", [
          for r in self.records :
          "${r.script_name} on ${r.resource_name} at ${r.start_time}: ${coalesce(r.reason, r.result_code, "no reason given")}"
        ]),
      )
    }
  }
}

locals {
  failed_hardening = data.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening
  failed_runs = [
    for r in local.failed_hardening.records :
    "${r.script_name} on ${r.resource_name} at ${r.start_time}: ${coalesce(r.reason, r.result_code, "no reason given")}"
  ]
}

# Warn-only: never stops a plan.
check "no_failed_hardening_script" {
  assert {
    condition     = local.failed_hardening.total_count == 0
    error_message = "${local.failed_hardening.total_count} hardening script run(s) FAILED in resource group ${var.resource_group_id} between ${local.window_start} and ${local.window_end}, e.g. ${join("; ", local.failed_runs)}."
  }
}

output "failed_hardening_count" {
  description = "Hardening script runs that FAILED in the window (all of them, not only the examples)."
  value       = local.failed_hardening.total_count
}

output "failed_hardening_runs" {
  description = "Up to five of them."
  value       = local.failed_runs
}
