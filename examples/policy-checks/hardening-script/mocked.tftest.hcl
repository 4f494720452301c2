# Unit tests of this check's logic, with no cloud and no emulator: the
# provider is mocked (mock_provider) and each run gives the data source's
# result (override_data). Terraform 1.7+ and OpenTofu 1.8+; no terraform
# init under a dev override (see ../README.md).
#
#   terraform test -filter=mocked.tftest.hcl
#
# Only total_count is given here: Terraform cannot override a list of
# records (mocked-records.tofutest.hcl and ../README.md say why, and how
# OpenTofu can).

mock_provider "opsaudit" {}

variables {
  resource_group_id = "rg-01"
  window_end        = "2026-11-20T12:00:00Z"
}

run "counted_failures_fail_the_plan" {
  command = plan

  override_data {
    target = data.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening
    values = {
      total_count = 3
    }
  }

  expect_failures = [data.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening]
}

run "warn_only_counts_them" {
  command = plan

  variables {
    enforce = false
  }

  override_data {
    target = data.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening
    values = {
      total_count = 3
    }
  }

  expect_failures = [check.no_failed_hardening_script]

  assert {
    condition     = output.failed_hardening_count == 3
    error_message = "Want the mocked count, got ${output.failed_hardening_count}."
  }
}

run "no_failure_passes" {
  command = plan

  override_data {
    target = data.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening
    values = {
      total_count = 0
    }
  }

  assert {
    condition     = output.failed_hardening_count == 0
    error_message = "Want no failure, got ${output.failed_hardening_count}."
  }
}
