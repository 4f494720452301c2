# The alarming events of one screen recording.
data "opsaudit_huaweicloud_workspace_desktop_events" "alarms" {
  screen_record_id = "sr-0001"
  event_level      = "ALARM"
}

output "alarm_event_ids" {
  value = distinct([for e in data.opsaudit_huaweicloud_workspace_desktop_events.alarms.events : e.event_id])
}
