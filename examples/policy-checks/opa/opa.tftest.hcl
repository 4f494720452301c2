# terraform test (or tofu test) for these reads, offline: against the
# local cloud emulator serving ../fixture.json (data written for these
# tests). The verdict is the policies' (policy/, tested over the plan JSON
# by make conformance); this file checks that the reads find what the
# policies must judge. From the repository root:
#
#   make emulator EMULATOR_FLAGS="-fixture examples/policy-checks/fixture.json"
#
# then, in this directory: terraform test (or tofu test). No terraform init
# is needed under a dev override (see ../README.md). make test runs this
# file the same way against an emulator of its own (internal/examplestest).

variables {
  resource_group_id = "rg-01"
  screen_record_ids = ["sr-0001", "sr-clean"]
  workspace_id      = "ws-0001"
  execution_ids     = ["exec-0001", "exec-0002"]
  window_end        = "2026-11-20T12:00:00Z"
}

# Replaces the configuration's provider block in every run: the emulator's
# address (make emulator's default; change it if yours listens elsewhere)
# and its public demo credentials.
provider "opsaudit" {
  huaweicloud {
    region     = "cn-north-4"
    access_key = "OPSAUDITDEMOHWAK0001"
    secret_key = "opsaudit-demo-huawei-secret-key-0001"
    endpoints  = { iam = "http://127.0.0.1:8787", workspace = "http://127.0.0.1:8787", secmaster = "http://127.0.0.1:8787" }
  }
  alicloud {
    region     = "cn-hangzhou"
    access_key = "OPSAUDITDEMOALIAK001"
    secret_key = "opsaudit-demo-alicloud-secret-key-001"
    endpoints  = { oos = "http://127.0.0.1:8787" }
  }
}

# The plan reads what the policies judge: the counts of the reads filtered
# on the server, and every line of the OOS logs.
run "reads_find_the_violations" {
  command = plan

  assert {
    condition     = data.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening.total_count == 1
    error_message = "Want the fixture's one FAILED hardening run in rg-01."
  }

  assert {
    condition     = data.opsaudit_huaweicloud_workspace_desktop_events.forbidden["sr-0001/APP_INSTALL"].total_count == 1 && data.opsaudit_huaweicloud_workspace_desktop_events.forbidden["sr-clean/HDP_USB"].total_count == 0
    error_message = "Want sr-0001's APP_INSTALL event and nothing in sr-clean."
  }

  assert {
    condition     = data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.failed.total_count == 1
    error_message = "Want the fixture's one FAILED playbook run in the window."
  }

  assert {
    condition     = length(data.opsaudit_alicloud_oos_execution_logs.audited["exec-0002"].execution_logs) == 3
    error_message = "Want every line of exec-0002's log."
  }
}
