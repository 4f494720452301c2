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

variables {
  resource_group_id = "rg-01"
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

# The fixture's FAILED install-agent run in rg-01 on 2026-11-20.
run "failed_run_fails_the_check" {
  command = plan

  variables {
    window_end = "2026-11-20T12:00:00Z"
    enforce    = false
  }

  expect_failures = [check.no_failed_hardening_script]
}

# No FAILED run in rg-01 between 2026-11-13 and 2026-11-14.
run "clean_window_passes" {
  command = plan

  variables {
    window_end = "2026-11-14T00:00:00Z"
  }
}

# Enforced (the default), the same finding fails the plan through the
# precondition of output "gate" (the check block warns too).
run "enforced_finding_fails_the_plan" {
  command = plan

  variables {
    window_end = "2026-11-20T12:00:00Z"
  }

  expect_failures = [output.gate, check.no_failed_hardening_script]
}
