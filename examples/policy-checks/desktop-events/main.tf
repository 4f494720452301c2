# Policy: no application was installed (APP_INSTALL) and no USB device was
# used (HDP_USB) during the audited screen recordings.
#
#   terraform plan -var 'screen_record_ids=["<recording id>"]'
#
# One read per recording and forbidden event id, filtered by the API, so
# nothing else is transferred; max_items keeps each read to one request
# while total_count counts every match.
#
# A gate: the postcondition of each read fails the plan on a forbidden
# event (set enforce = false to turn it off), and so does a read that
# fails (the API cannot be reached, credentials are refused): the data
# source is declared at the top level. The check block only warns.

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

variable "examples_per_event" {
  description = "Events to list per recording and event ID in the message."
  type        = number
  default     = 5
}

data "opsaudit_huaweicloud_workspace_desktop_events" "forbidden" {
  for_each = {
    for pair in setproduct(var.screen_record_ids, var.forbidden_event_ids) :
    "${pair[0]}/${pair[1]}" => { screen_record_id = pair[0], event_id = pair[1] }
  }

  screen_record_id = each.value.screen_record_id
  event_id         = each.value.event_id
  max_items        = var.examples_per_event

  lifecycle {
    postcondition {
      condition = !var.enforce || self.total_count == 0
      error_message = format(
        "%d %s event(s) in screen recording %s, e.g. %s.",
        self.total_count, each.value.event_id, each.value.screen_record_id,
        join("; ", [
          for e in self.events :
          "${e.event_id} on ${coalesce(e.desktop_id, "?")} by ${coalesce(e.username, "?")} at ${coalesce(e.operation_time, "?")}: ${coalesce(e.event_data, "-")}"
        ]),
      )
    }
  }
}

locals {
  forbidden_counts = {
    for key, d in data.opsaudit_huaweicloud_workspace_desktop_events.forbidden : key => d.total_count
  }
  forbidden_total = sum(concat([0], values(local.forbidden_counts)))
  forbidden_events = flatten([
    for key, d in data.opsaudit_huaweicloud_workspace_desktop_events.forbidden : [
      for e in d.events :
      "${e.event_id} on ${coalesce(e.desktop_id, "?")} by ${coalesce(e.username, "?")} at ${coalesce(e.operation_time, "?")}: ${coalesce(e.event_data, "-")}"
    ]
  ])
}

# Warn-only: a check block reports the findings as a warning and never
# stops a plan.
check "no_forbidden_desktop_events" {
  assert {
    condition     = local.forbidden_total == 0
    error_message = "${local.forbidden_total} forbidden desktop event(s) (${join(", ", var.forbidden_event_ids)}) in the audited screen recordings, e.g. ${join("; ", local.forbidden_events)}."
  }
}

output "forbidden_event_counts" {
  description = "Matching events by \"recording/event ID\"."
  value       = local.forbidden_counts
}

output "forbidden_events" {
  description = "Up to examples_per_event of them per recording and event ID."
  value       = local.forbidden_events
}
