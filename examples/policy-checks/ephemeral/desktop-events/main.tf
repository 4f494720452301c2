# Policy: no application was installed (APP_INSTALL) and no USB device was
# used (HDP_USB) during the audited screen recordings. The ephemeral form
# of ../../desktop-events: the events, and their event_data, are read at
# every plan and apply and never written to the state or to a saved plan.
#
#   terraform plan -var 'screen_record_ids=["<recording id>"]'
#
# A gate that survives `terraform show -json`: the precondition of output
# "gate" fails the plan (set enforce = false to turn it off), and so does a
# read that fails; the check block is warn-only. The ephemeral resources
# themselves have no pre- or postcondition (see
# ../hardening-script/main.tf for why). Neither message can show the
# events (Terraform rejects a message built from an ephemeral value).

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

variable "screen_record_ids" {
  description = "Screen recordings to audit."
  type        = list(string)
}

variable "forbidden_event_ids" {
  description = "Event IDs that must not occur."
  type        = list(string)
  default     = ["APP_INSTALL", "HDP_USB"]

  validation {
    condition     = alltrue([for id in var.forbidden_event_ids : can(regex("^(APP|FILE|REG|HDP)_[A-Z0-9_]+$", id))])
    error_message = "Each forbidden event ID must look like APP_INSTALL, FILE_DELETE, REG_SETVALUE or HDP_USB."
  }
}

variable "enforce" {
  description = "Fail the plan when a forbidden event occurred. With false, only the check block's warning remains."
  type        = bool
  default     = true
}

# One read per recording and forbidden event id, filtered by the API; the
# verdict needs the count only, so each read is one request.
ephemeral "opsaudit_huaweicloud_workspace_desktop_events" "forbidden" {
  for_each = {
    for pair in setproduct(var.screen_record_ids, var.forbidden_event_ids) :
    "${pair[0]}/${pair[1]}" => { screen_record_id = pair[0], event_id = pair[1] }
  }

  screen_record_id = each.value.screen_record_id
  event_id         = each.value.event_id
  max_items        = 1
}

locals {
  finding = "A forbidden desktop event (${join(", ", var.forbidden_event_ids)}) is in the audited screen recordings (${join(", ", var.screen_record_ids)})."
}

# Warn-only: never stops a plan.
check "no_forbidden_desktop_events" {
  assert {
    condition     = alltrue([for e in ephemeral.opsaudit_huaweicloud_workspace_desktop_events.forbidden : e.total_count == 0])
    error_message = local.finding
  }
}

# The gate: its precondition fails the plan.
output "gate" {
  description = "What was audited, when the plan passed the gate."
  value       = "No ${join(" or ", var.forbidden_event_ids)} event in screen recordings ${join(", ", var.screen_record_ids)}."

  precondition {
    condition     = !var.enforce || alltrue([for e in ephemeral.opsaudit_huaweicloud_workspace_desktop_events.forbidden : e.total_count == 0])
    error_message = local.finding
  }
}
