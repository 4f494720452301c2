# terraform test (or tofu test) for this check, offline: against the local
# cloud emulator serving ../../fixture.json (data written for these tests),
# so each run below asserts the verdict that data implies. From the
# repository root:
#
#   make emulator EMULATOR_FLAGS="-fixture examples/policy-checks/fixture.json"
#
# then, in this directory: terraform test (or tofu test). No terraform init
# is needed under a dev override (see ../../README.md). make test runs this
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

# sr-0001 holds an APP_INSTALL event, sr-0002 an HDP_USB one.
run "forbidden_events_fail_the_check" {
  command = plan

  variables {
    screen_record_ids = ["sr-0001", "sr-0002"]
    enforce           = false
  }

  expect_failures = [check.no_forbidden_desktop_events]
}

# sr-clean holds a FILE_CREATE event only.
run "clean_recording_passes" {
  command = plan

  variables {
    screen_record_ids = ["sr-clean"]
  }
}

# Enforced (the default), the same finding fails the plan through the
# precondition of output "gate" (the check block warns too).
run "enforced_finding_fails_the_plan" {
  command = plan

  variables {
    screen_record_ids = ["sr-0001", "sr-0002"]
  }

  expect_failures = [output.gate, check.no_forbidden_desktop_events]
}
