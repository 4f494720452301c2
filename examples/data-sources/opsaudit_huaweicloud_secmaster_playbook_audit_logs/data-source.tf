# The provider's address and version: without this block Terraform looks
# for hashicorp/opsaudit. Once per module, with any example on this page.
terraform {
  required_providers {
    opsaudit = {
      source  = "opsaudit/opsaudit"
      version = "~> 0.1"
    }
  }
}

# Every playbook instance audit log of a SecMaster workspace, newest first.
data "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "all" {
  workspace_id = "ws-0001"
  sort_key     = "start_time"
  sort_dir     = "desc"
}

output "playbook_runs_by_status" {
  value = data.opsaudit_huaweicloud_secmaster_playbook_audit_logs.all.status_counts
}
