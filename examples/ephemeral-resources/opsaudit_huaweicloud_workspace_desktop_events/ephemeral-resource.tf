# Policy: no application was installed and no USB device was used during
# the recording. The events (and their event_data) are read at every plan
# and apply and never stored; the check block warns without stopping
# anything, with a fixed message (one built from an ephemeral value is
# rejected).
ephemeral "opsaudit_huaweicloud_workspace_desktop_events" "recording" {
  screen_record_id = "sr-0001"
}

locals {
  forbidden_event_ids = ["APP_INSTALL", "HDP_USB"]
}

check "no_app_install_or_usb" {
  assert {
    condition = length([
      for e in ephemeral.opsaudit_huaweicloud_workspace_desktop_events.recording.events : e
      if contains(local.forbidden_event_ids, e.event_id)
    ]) == 0
    error_message = "An APP_INSTALL or HDP_USB event is in screen recording sr-0001."
  }
}
