# The provider's address and version: without this block Terraform looks
# for hashicorp/opsaudit.
terraform {
  required_providers {
    opsaudit = {
      source  = "opsaudit/opsaudit"
      version = "~> 0.1"
    }
  }
}

# Policy: no application was installed and no USB device was used during
# the recording. The events (and their event_data) are read at every plan
# and apply and never stored. A gate: the output's precondition fails the
# plan, with a fixed message (one built from an ephemeral value is
# rejected), and a read that fails fails it too.
ephemeral "opsaudit_huaweicloud_workspace_desktop_events" "recording" {
  screen_record_id = "sr-0001"
}

locals {
  forbidden_event_ids = ["APP_INSTALL", "HDP_USB"]
}

output "desktop_events_gate" {
  value = "No APP_INSTALL or HDP_USB event in screen recording sr-0001."

  precondition {
    condition = length([
      for e in ephemeral.opsaudit_huaweicloud_workspace_desktop_events.recording.events : e
      if contains(local.forbidden_event_ids, e.event_id)
    ]) == 0
    error_message = "An APP_INSTALL or HDP_USB event is in screen recording sr-0001."
  }
}
