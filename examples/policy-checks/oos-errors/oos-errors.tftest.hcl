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
  alicloud {
    region     = "cn-hangzhou"
    access_key = "OPSAUDITDEMOALIAK001"
    secret_key = "opsaudit-demo-alicloud-secret-key-001"
    endpoints  = { oos = "http://127.0.0.1:8787" }
  }
}

# exec-0002 has two failed tasks; its "errorHandler started" line is not
# an error. The postcondition of exec-0002's read fails the plan, naming
# both lines.
run "error_lines_fail_the_plan" {
  command = plan

  variables {
    execution_ids = ["exec-0001", "exec-0002"]
  }

  expect_failures = [data.opsaudit_alicloud_oos_execution_logs.audited]
}

# Without enforcement only the check block reports them; the output lists
# them.
run "warn_only_reports_the_error_lines" {
  command = plan

  variables {
    execution_ids = ["exec-0001", "exec-0002"]
    enforce       = false
  }

  expect_failures = [check.no_oos_execution_errors]

  assert {
    condition = [for l in output.oos_error_lines : l.message] == [
      "The task runCommand failed: exit code 1.",
      "The task stopInstance failed: Forbidden.RAM: User not authorized to operate on the specified resource.",
    ]
    error_message = "Unexpected error lines: ${jsonencode(output.oos_error_lines)}."
  }
}

run "clean_execution_passes" {
  command = plan

  variables {
    execution_ids = ["exec-0001"]
  }

  assert {
    condition     = length(output.oos_error_lines) == 0
    error_message = "Want no error line in exec-0001, got ${jsonencode(output.oos_error_lines)}."
  }
}
