# terraform test test for this check, offline: against the local cloud emulator
# serving ../fixture.json (data written for these tests), so each run
# below asserts the verdict that data implies. From the repository root:
#
#   make emulator EMULATOR_FLAGS="-fixture examples/policy-checks/fixture.json"
#
# then, in this directory: terraform test (or tofu test). No terraform init
# is needed under a dev override (see ../README.md). make test runs this
# file the same way against an emulator of its own (internal/examplestest).

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
}

# sr-0001 holds an APP_INSTALL event, sr-0002 an HDP_USB one: the
# postconditions of their reads fail the plan.
run "forbidden_events_fail_the_plan" {
  command = plan

  variables {
    screen_record_ids = ["sr-0001", "sr-0002"]
  }

  expect_failures = [data.opsaudit_huaweicloud_workspace_desktop_events.forbidden]
}

# Without enforcement only the check block reports them; the outputs
# name them.
run "warn_only_reports_the_events" {
  command = plan

  variables {
    screen_record_ids = ["sr-0001", "sr-0002"]
    enforce           = false
  }

  expect_failures = [check.no_forbidden_desktop_events]

  assert {
    condition = output.forbidden_event_counts == {
      "sr-0001/APP_INSTALL" = 1
      "sr-0001/HDP_USB"     = 0
      "sr-0002/APP_INSTALL" = 0
      "sr-0002/HDP_USB"     = 1
    }
    error_message = "Unexpected counts: ${jsonencode(output.forbidden_event_counts)}."
  }

  assert {
    condition     = contains(output.forbidden_events, "APP_INSTALL on desktop-0001 by zhangsan at 2026-11-19 09:12:40: Steam is installed.")
    error_message = "The APP_INSTALL event is not listed: ${jsonencode(output.forbidden_events)}."
  }
}

# sr-clean holds a FILE_CREATE event only.
run "clean_recording_passes" {
  command = plan

  variables {
    screen_record_ids = ["sr-clean"]
  }

  assert {
    condition     = length(output.forbidden_events) == 0
    error_message = "Want no forbidden event in sr-clean, got ${jsonencode(output.forbidden_events)}."
  }
}
