# Policy: the hardening script ran successfully on every desktop of a
# desktop group (Workspace resource group) in the last 24 hours.
#
# A check passes only on evidence. "No FAILED run" is also true when
# nothing ran at all, or when the read found nothing; this check asks for
# the runs that should be there instead: at least one SUCCESS (total_count
# > 0), and a SUCCESS on each desktop listed in desktop_ids.
#
#   terraform plan -var resource_group_id=rg-01 -var 'desktop_ids=["desktop-0001","desktop-0002"]'
#
# The data source is read at the top level, not inside the check block: a
# read that fails (throttling that outlasts the retries, an answer the
# provider refuses) then fails the plan. Inside a check block it would only
# be a warning, and the pipeline would go on.

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
# HW_REGION_NAME, ...). on_drift = "fail": an answer that changed between
# the pages of the read fails it, so the verdict is never based on a
# doubtful list; run again.
provider "opsaudit" {
  on_drift = "fail"
}

variable "resource_group_id" {
  description = "Workspace resource group (desktop group) whose desktops are audited."
  type        = string
}

variable "desktop_ids" {
  description = "Every desktop (resource_id) of the group that must show a successful run."
  type        = list(string)

  validation {
    condition     = length(var.desktop_ids) > 0
    error_message = "List at least one desktop: a check over no desktop proves nothing."
  }
}

variable "script_name" {
  description = "The hardening script (script_name)."
  type        = string
  default     = "install-agent"
}

variable "window" {
  description = "How far back from window_end to look, as a duration timeadd() accepts (e.g. 24h, 90m)."
  type        = string
  default     = "24h"
}

variable "window_end" {
  description = "End of the audited window, RFC 3339. Default (null): the time of the plan."
  type        = string
  default     = null
}

variable "enforce" {
  description = "Fail the plan when a desktop lacks a successful run. With false, only the check block's warning remains."
  type        = bool
  default     = true
}

locals {
  window_end   = coalesce(var.window_end, plantimestamp())
  window_start = timeadd(local.window_end, "-${var.window}")
}

# Every successful run in the window: no max_items, coverage needs them all.
data "opsaudit_huaweicloud_workspace_script_execution_records" "succeeded" {
  resource_group_ids = [var.resource_group_id]
  script_names       = [var.script_name]
  status             = "SUCCESS"
  execute_time_start = local.window_start
  execute_time_end   = local.window_end

  lifecycle {
    postcondition {
      condition = !var.enforce || (self.total_count > 0 && length(setsubtract(
        toset(var.desktop_ids), toset([for r in self.records : r.resource_id if r.resource_id != null])
      )) == 0)
      error_message = "No evidence that ${var.script_name} succeeded on every desktop of ${var.resource_group_id} between ${local.window_start} and ${local.window_end}: ${self.total_count} successful run(s), none on ${join(", ", sort(setsubtract(toset(var.desktop_ids), toset([for r in self.records : r.resource_id if r.resource_id != null]))))}."
    }
  }
}

locals {
  succeeded = data.opsaudit_huaweicloud_workspace_script_execution_records.succeeded
  covered   = toset([for r in local.succeeded.records : r.resource_id if r.resource_id != null])
  missing   = sort(setsubtract(toset(var.desktop_ids), local.covered))
}

# Warn-only: the same verdict as a warning; the postcondition above is the
# gate.
check "hardening_covers_every_desktop" {
  assert {
    condition     = local.succeeded.total_count > 0
    error_message = "No successful ${var.script_name} run at all in ${var.resource_group_id} between ${local.window_start} and ${local.window_end}: an empty result is no evidence."
  }
  assert {
    condition     = length(local.missing) == 0
    error_message = "${var.script_name} has no successful run on ${join(", ", local.missing)} between ${local.window_start} and ${local.window_end}."
  }
}

output "desktops_without_success" {
  description = "The listed desktops without a successful run in the window."
  value       = local.missing
}

output "successful_runs" {
  description = "Successful runs in the window, on any desktop of the group."
  value       = local.succeeded.total_count
}
