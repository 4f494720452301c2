# Policy: no application was installed and no USB device was used during
# the recording. One read per forbidden event id, filtered by the API;
# max_items keeps each read to one request, total_count counts them all.
variable "screen_record_id" {
  description = "Screen recording to audit."
  type        = string
}

data "opsaudit_huaweicloud_workspace_desktop_events" "forbidden" {
  for_each = toset(["APP_INSTALL", "HDP_USB"])

  screen_record_id = var.screen_record_id
  event_id         = each.key
  max_items        = 5
}

locals {
  forbidden_events = flatten([
    for id, d in data.opsaudit_huaweicloud_workspace_desktop_events.forbidden : [
      for e in d.events : "${e.event_id} by ${e.username} at ${e.operation_time}: ${e.event_data}"
    ]
  ])
  forbidden_count = sum([for d in data.opsaudit_huaweicloud_workspace_desktop_events.forbidden : d.total_count])
}

check "no_app_install_or_usb" {
  assert {
    condition     = local.forbidden_count == 0
    error_message = "${local.forbidden_count} APP_INSTALL or HDP_USB event(s) in screen recording ${var.screen_record_id}, e.g. ${join("; ", local.forbidden_events)}."
  }
}
