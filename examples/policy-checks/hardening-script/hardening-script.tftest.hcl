# terraform test test for this check, offline: against the local cloud emulator
# serving ../fixture.json (data written for these tests), so each run
# below asserts the verdict that data implies. From the repository root:
#
#   make emulator EMULATOR_FLAGS="-fixture examples/policy-checks/fixture.json"
#
# then, in this directory: terraform test (or tofu test). No terraform init
# is needed under a dev override (see ../README.md). make test runs this
# file the same way against an emulator of its own (internal/examplestest).

variables {
  resource_group_id = "rg-01"
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
}

# The fixture's FAILED install-agent run in rg-01 on 2026-11-20 stops the
# plan: the data source's postcondition fails.
run "failed_run_fails_the_plan" {
  command = plan

  expect_failures = [data.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening]
}

# Without enforcement only the check block reports it; the outputs name it.
run "warn_only_reports_the_failure" {
  command = plan

  variables {
    enforce = false
  }

  expect_failures = [check.no_failed_hardening_script]

  assert {
    condition     = output.failed_hardening_count == 1
    error_message = "Want the fixture's one FAILED run in rg-01 in the window, got ${output.failed_hardening_count}."
  }

  assert {
    condition     = output.failed_hardening_runs == ["install-agent on wks-desk-0001 at 2026-11-20T03:00:00.000Z: exit code 1: the agent package is not signed"]
    error_message = "The failed run is not described as expected: ${jsonencode(output.failed_hardening_runs)}."
  }
}

# A day without failures in rg-01 (its other FAILED run is on 2026-11-15,
# and rg-02's failure is another group's): the check passes.
run "clean_window_passes" {
  command = plan

  variables {
    window_end = "2026-11-14T00:00:00Z"
  }

  assert {
    condition     = output.failed_hardening_count == 0
    error_message = "Want no FAILED run in rg-01 between 2026-11-13 and 2026-11-14, got ${output.failed_hardening_count}."
  }
}
