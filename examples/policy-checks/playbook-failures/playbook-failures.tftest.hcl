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
  workspace_id = "ws-0001"
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

# One PLAYBOOK run FAILED on 2026-11-20, within the 24 hours before noon:
# the data source's postcondition fails the plan.
run "failed_run_fails_the_plan" {
  command = plan

  variables {
    window_end = "2026-11-20T12:00:00Z"
  }

  expect_failures = [data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.failed]
}

# Without enforcement only the check block reports it; the outputs name it.
run "warn_only_reports_the_failure" {
  command = plan

  variables {
    window_end = "2026-11-20T12:00:00Z"
    enforce    = false
  }

  expect_failures = [check.no_failed_playbook_runs]

  assert {
    condition     = output.failed_playbook_run_count == 1
    error_message = "Want one FAILED run, got ${output.failed_playbook_run_count}."
  }

  assert {
    condition     = output.failed_playbook_runs == ["BlockIp (inst-fx-0001) started 2026-11-20T01:00:00Z: firewall API refused the connection"]
    error_message = "The failed run is not described as expected: ${jsonencode(output.failed_playbook_runs)}."
  }
}

# The other FAILED run is on 2026-11-10: a window around 2026-11-12 is clean.
run "clean_window_passes" {
  command = plan

  variables {
    window_end = "2026-11-12T12:00:00Z"
  }

  assert {
    condition     = output.failed_playbook_run_count == 0
    error_message = "Want no FAILED run, got ${output.failed_playbook_run_count}."
  }
}
