# OpenTofu only (Terraform ignores *.tofutest.hcl): the records themselves
# mocked, so the message built from them can be tested without a cloud.
#
#   tofu test -filter=mocked-records.tofutest.hcl
#
# The right form: records is a list of objects, and every object carries
# every attribute of a record (null where the test does not care).
# OpenTofu refuses an object that lacks one ("attributes ... are
# required"). Terraform (1.11 to at least 1.14, hashicorp/terraform#37939)
# cannot fill a list of records from override_data or mock_data at all:
# this list fails there with "incompatible types; expected object type,
# found tuple", and an object in its place gives an empty list. With
# Terraform, mock the counts (mocked.tftest.hcl) and test records against
# the emulator with a fixture (hardening-script.tftest.hcl).

mock_provider "opsaudit" {}

variables {
  resource_group_id = "rg-01"
  window_end        = "2026-11-20T12:00:00Z"
  enforce           = false
}

run "records_are_listed_in_the_message" {
  command = plan

  override_data {
    target = data.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening
    values = {
      total_count = 2
      records = [
        {
          id             = "ser-0001"
          script_id      = null
          script_name    = "install-agent"
          script_task_id = null
          resource_id    = null
          resource_name  = "wks-desk-0001"
          resource_type  = null
          start_time     = "2026-11-20T03:00:00Z"
          end_time       = null
          status         = "FAILED"
          execute_order  = null
          result_code    = "1"
          reason         = "exit code 1"
        },
        {
          id             = "ser-0002"
          script_id      = null
          script_name    = "rotate-keys"
          script_task_id = null
          resource_id    = null
          resource_name  = "wks-desk-0002"
          resource_type  = null
          start_time     = "2026-11-20T04:00:00Z"
          end_time       = null
          status         = "FAILED"
          execute_order  = null
          result_code    = "2"
          reason         = null
        },
      ]
    }
  }

  expect_failures = [check.no_failed_hardening_script]

  assert {
    condition = output.failed_hardening_runs == [
      "install-agent on wks-desk-0001 at 2026-11-20T03:00:00Z: exit code 1",
      "rotate-keys on wks-desk-0002 at 2026-11-20T04:00:00Z: 2",
    ]
    error_message = "The runs are not described as expected: ${jsonencode(output.failed_hardening_runs)}."
  }
}
