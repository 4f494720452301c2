# Policy: no SecMaster playbook run FAILED in the last 24 hours.
#
#   terraform plan -var workspace_id=<SecMaster workspace id>
#
# The API filters by status, instance type and window and counts every
# match; only a few examples are read for the message. The window ends at
# the time of the plan (plantimestamp()) unless window_end is set.
#
# A gate: the postcondition fails the plan on a FAILED run (set enforce =
# false to turn it off), and so does a read that fails (the API cannot be
# reached, credentials are refused): the data source is declared at the
# top level. The check block only warns.

terraform {
  required_version = ">= 1.5.0"

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
}

data "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "failed" {
  workspace_id  = var.workspace_id
  instance_type = var.instance_type
  status        = "FAILED"
  start_time    = local.window_start
  end_time      = local.window_end
  sort_key      = "start_time"
  sort_dir      = "desc"
  # The latest five for the message; total_count still counts every match.
  max_items = 5

  lifecycle {
    postcondition {
      condition = !var.enforce || self.total_count == 0
      error_message = format(
        "%d playbook run(s) FAILED in SecMaster workspace %s between %s and %s, latest: %s.",
        self.total_count, var.workspace_id, local.window_start, local.window_end,
        join("; ", [
          for l in self.audit_logs :
          "${coalesce(l.action_name, l.action_id, "?")} (${coalesce(l.instance_id, "?")}) started ${coalesce(l.start_time, "?")}: ${coalesce(l.error_msg, "no error message")}"
        ]),
      )
    }
  }
}

locals {
  failed = data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.failed
  failed_runs = [
    for l in local.failed.audit_logs :
    "${coalesce(l.action_name, l.action_id, "?")} (${coalesce(l.instance_id, "?")}) started ${coalesce(l.start_time, "?")}: ${coalesce(l.error_msg, "no error message")}"
  ]
}

# Warn-only: a check block reports the finding as a warning and never
# stops a plan.
check "no_failed_playbook_runs" {
  assert {
    condition     = local.failed.total_count == 0
    error_message = "${local.failed.total_count} playbook run(s) FAILED in SecMaster workspace ${var.workspace_id} between ${local.window_start} and ${local.window_end}, latest: ${join("; ", local.failed_runs)}."
  }
}

output "failed_playbook_run_count" {
  description = "FAILED runs in the window."
  value       = local.failed.total_count
}

output "failed_playbook_runs" {
  description = "The latest five of them."
  value       = local.failed_runs
}
