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
  alicloud {
    region     = "cn-hangzhou"
    access_key = "OPSAUDITDEMOALIAK001"
    secret_key = "opsaudit-demo-alicloud-secret-key-001"
    endpoints  = { oos = "http://127.0.0.1:8787" }
  }
}

# exec-0002 has two failed tasks; its "errorHandler started" line is not
# an error.
run "error_lines_fail_the_check" {
  command = plan

  variables {
    execution_ids = ["exec-0001", "exec-0002"]
    enforce       = false
  }

  expect_failures = [check.no_oos_execution_errors]
}

# exec-0001 has no error line.
run "clean_execution_passes" {
  command = plan

  variables {
    execution_ids = ["exec-0001"]
  }
}

# Enforced (the default), the same finding fails the plan through the
# precondition of output "gate" (the check block warns too).
run "enforced_finding_fails_the_plan" {
  command = plan

  variables {
    execution_ids = ["exec-0001", "exec-0002"]
  }

  expect_failures = [output.gate, check.no_oos_execution_errors]
}
