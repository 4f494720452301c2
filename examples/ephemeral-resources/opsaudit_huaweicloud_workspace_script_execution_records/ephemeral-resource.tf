# The provider's address and version: without this block Terraform looks
# for hashicorp/opsaudit.
terraform {
  required_providers {
    opsaudit = {
      source  = "opsaudit/opsaudit"
      version = "~> 0.1"
    }
  }
}

# Policy: no hardening script FAILED on a desktop of the group in the
# audited day. The records are read at every plan and never written to the
# state or to a saved plan. A gate: the output's precondition fails the
# plan, and a read that fails fails it too. Its message cannot show the
# records (Terraform rejects a message built from an ephemeral value), so
# it says where to look.
ephemeral "opsaudit_huaweicloud_workspace_script_execution_records" "failed_hardening" {
  resource_group_ids = ["rg-01"]
  script_names       = ["install-agent", "rotate-keys"]
  status             = "FAILED"
  execute_time_start = "2026-11-19T12:00:00Z"
  execute_time_end   = "2026-11-20T12:00:00Z"
  # Only the verdict is needed: total_count counts every failure, and the
  # read stops after one request.
  max_items = 1
}

# The stop is an output precondition, not a condition on the ephemeral
# resource: with one there, `terraform show -json` of a saved plan crashes
# Terraform 1.10 through 1.14.
output "hardening_gate" {
  value = "No hardening script FAILED in resource group rg-01 in the audited day."

  precondition {
    condition     = ephemeral.opsaudit_huaweicloud_workspace_script_execution_records.failed_hardening.total_count == 0
    error_message = "A hardening script FAILED in resource group rg-01 between 2026-11-19T12:00:00Z and 2026-11-20T12:00:00Z: list the runs with the data source opsaudit_huaweicloud_workspace_script_execution_records."
  }
}
