# The provider's address and version: without this block Terraform looks
# for hashicorp/opsaudit. Once per module, with any example on this page.
terraform {
  required_providers {
    opsaudit = {
      source  = "opsaudit/opsaudit"
      version = "~> 0.1"
    }
  }
}

# The alarming events of one screen recording.
data "opsaudit_huaweicloud_workspace_desktop_events" "alarms" {
  screen_record_id = "sr-0001"
  event_level      = "ALARM"
}

output "alarm_event_ids" {
  value = distinct([for e in data.opsaudit_huaweicloud_workspace_desktop_events.alarms.events : e.event_id])
}
