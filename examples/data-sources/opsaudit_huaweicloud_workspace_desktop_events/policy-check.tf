# Policy: no application was installed and no USB device was used during
# the recording. A gate: each read's postcondition fails the plan, naming
# the events, and a read that fails fails it too. One read per forbidden
# event id, filtered by the API; max_items keeps each read to one request,
# total_count counts them all.
variable "screen_record_id" {
  description = "Screen recording to audit."
  type        = string
}

data "opsaudit_huaweicloud_workspace_desktop_events" "forbidden" {
  for_each = toset(["APP_INSTALL", "HDP_USB"])

  screen_record_id = var.screen_record_id
  event_id         = each.key
  max_items        = 5

  lifecycle {
    postcondition {
      condition = self.total_count == 0
      error_message = format(
        "%d %s event(s) in screen recording %s, e.g. %s.",
        self.total_count, each.key, var.screen_record_id,
        join("; ", [for e in self.events : "${e.event_id} by ${e.username} at ${e.operation_time}: ${e.event_data}"]),
      )
    }
  }
}
