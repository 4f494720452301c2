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

# Policy: no playbook run FAILED in the audited window. The logs (their
# input, output and error messages) are read at every plan and apply and
# never stored. A gate: the output's precondition fails the plan, and a
# read that fails fails it too. The check block is warn-only: it reports
# runs still RUNNING without stopping anything. Neither message may show
# an ephemeral value.
ephemeral "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "window" {
  workspace_id  = "ws-0001"
  instance_type = "PLAYBOOK"
  start_time    = "2026-11-19T12:00:00Z"
  end_time      = "2026-11-20T12:00:00Z"
}

output "playbook_gate" {
  value = "No playbook run FAILED in SecMaster workspace ws-0001 in the audited window."

  precondition {
    condition     = lookup(ephemeral.opsaudit_huaweicloud_secmaster_playbook_audit_logs.window.status_counts, "FAILED", 0) == 0
    error_message = "A playbook run FAILED in SecMaster workspace ws-0001 between 2026-11-19T12:00:00Z and 2026-11-20T12:00:00Z."
  }
}

check "no_running_playbooks" {
  assert {
    condition     = lookup(ephemeral.opsaudit_huaweicloud_secmaster_playbook_audit_logs.window.status_counts, "RUNNING", 0) == 0
    error_message = "A playbook run of the audited window is still RUNNING in SecMaster workspace ws-0001."
  }
}
