# The demo of `make demo`: records of both clouds read from the local cloud
# emulator, and a policy check over them. Credentials and regions come from
# the environment (HW_*, ALIBABA_CLOUD_*), as they would in a pipeline.

terraform {
  required_providers {
    opsaudit = {
      source  = "opsaudit/opsaudit"
      version = "~> 0.1"
    }
  }
}

variable "emulator_url" {
  description = "Base URL of the local cloud emulator (make demo sets it)."
  type        = string
}

variable "window_start" {
  description = "Start of the audited window. make demo starts the emulator with its data ending at 2026-11-20T12:00:00Z."
  type        = string
  default     = "2026-11-19T12:00:00Z"
}

variable "window_end" {
  description = "End of the audited window."
  type        = string
  default     = "2026-11-20T12:00:00Z"
}

provider "opsaudit" {
  huaweicloud {
    endpoints = {
      iam       = var.emulator_url
      workspace = var.emulator_url
      secmaster = var.emulator_url
    }
  }
  alicloud {
    endpoints = {
      oos = var.emulator_url
    }
  }
}

# Every script execution on any desktop in the window.
data "opsaudit_huaweicloud_workspace_script_execution_records" "window" {
  execute_time_start = var.window_start
  execute_time_end   = var.window_end
}

# Alarming events of one screen recording.
data "opsaudit_huaweicloud_workspace_desktop_events" "alarms" {
  screen_record_id = "sr-0001"
  event_level      = "ALARM"
}

# Failed playbook runs in a SecMaster workspace.
data "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "failed" {
  workspace_id = "ws-0001"
  status       = "FAILED"
  sort_key     = "start_time"
  sort_dir     = "desc"
}

# The log of one OOS execution.
data "opsaudit_alicloud_oos_execution_logs" "run" {
  execution_id = "exec-0001"
}

locals {
  failed_scripts = [
    for r in data.opsaudit_huaweicloud_workspace_script_execution_records.window.records :
    "${r.script_name} on ${r.resource_name} (${r.start_time})" if r.status == "FAILED"
  ]
}

# The policy: no script execution FAILED on any desktop in the window.
check "no_failed_script_executions" {
  assert {
    condition     = length(local.failed_scripts) == 0
    error_message = "${length(local.failed_scripts)} script execution(s) FAILED in the window, e.g. ${try(local.failed_scripts[0], "")}."
  }
}

output "script_executions" {
  value = {
    total     = data.opsaudit_huaweicloud_workspace_script_execution_records.window.total_count
    by_status = data.opsaudit_huaweicloud_workspace_script_execution_records.window.status_counts
  }
}

output "desktop_alarm_events" {
  value = {
    total = data.opsaudit_huaweicloud_workspace_desktop_events.alarms.total_count
    kinds = distinct([for e in data.opsaudit_huaweicloud_workspace_desktop_events.alarms.events : e.event_id])
  }
}

output "failed_playbook_runs" {
  value = {
    total  = data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.failed.total_count
    latest = try(data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.failed.audit_logs[0].action_name, null)
  }
}

output "oos_execution_log_lines" {
  value = length(data.opsaudit_alicloud_oos_execution_logs.run.execution_logs)
}

output "policy_verdict" {
  value = length(local.failed_scripts) == 0 ? "PASS: no script execution failed in the window" : "FAIL: ${length(local.failed_scripts)} script execution(s) failed in the window"
}
