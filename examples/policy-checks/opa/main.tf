# The reads of a policy gate whose verdict a policy engine gives (OPA,
# Conftest) over the saved plan as JSON:
#
#   terraform plan -out=plan.tfplan -var-file=audit.tfvars
#   terraform show -json plan.tfplan > plan.json
#   opa eval --fail-defined -d policy -i plan.json 'data.opsaudit[_].deny[_]'
#   # or: conftest test --all-namespaces -p policy plan.json
#
# No condition here: the policies in policy/ decide, one per data source.
# Every read is at the top level, so a read that fails (the API cannot be
# reached, credentials are refused) fails `terraform plan`, and the
# pipeline stops before the policy engine runs. In the plan JSON each read
# is in prior_state.values.root_module.resources, with mode "data" (see the
# guide "Policy engines and plan JSON").
#
# The reads filter on the server and keep max_items small: the policies
# judge total_count (every match), never the length of a list that
# max_items cut short.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    opsaudit = {
      source  = "opsaudit/opsaudit"
      version = "~> 0.1"
    }
  }
}

# Credentials and regions from the environment (HW_*, ALIBABA_CLOUD_*).
provider "opsaudit" {}

variable "resource_group_id" {
  description = "Workspace resource group (desktop group) whose hardening runs are audited."
  type        = string
}

variable "hardening_scripts" {
  description = "Names of the hardening scripts (script_name)."
  type        = list(string)
  default     = ["install-agent", "rotate-keys"]
}

variable "screen_record_ids" {
  description = "Screen recordings whose desktop events are audited."
  type        = list(string)
}

variable "workspace_id" {
  description = "SecMaster workspace whose playbook runs are audited."
  type        = string
}

variable "execution_ids" {
  description = "OOS executions whose logs are audited."
  type        = list(string)
}

variable "window_end" {
  description = "End of the audited 24 hours, RFC 3339. Default (null): the time of the plan."
  type        = string
  default     = null
}

locals {
  window_end   = coalesce(var.window_end, plantimestamp())
  window_start = timeadd(local.window_end, "-24h")
}

data "opsaudit_huaweicloud_workspace_script_execution_records" "failed_hardening" {
  resource_group_ids = [var.resource_group_id]
  script_names       = var.hardening_scripts
  status             = "FAILED"
  execute_time_start = local.window_start
  execute_time_end   = local.window_end
  max_items          = 5
}

data "opsaudit_huaweicloud_workspace_desktop_events" "forbidden" {
  for_each = {
    for pair in setproduct(var.screen_record_ids, ["APP_INSTALL", "HDP_USB"]) :
    "${pair[0]}/${pair[1]}" => { screen_record_id = pair[0], event_id = pair[1] }
  }

  screen_record_id = each.value.screen_record_id
  event_id         = each.value.event_id
  max_items        = 5
}

data "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "failed" {
  workspace_id  = var.workspace_id
  instance_type = "PLAYBOOK"
  status        = "FAILED"
  start_time    = local.window_start
  end_time      = local.window_end
  max_items     = 5
}

# OOS logs have no count and no error filter: every line is read (no
# max_items), and the policy judges each one.
data "opsaudit_alicloud_oos_execution_logs" "audited" {
  for_each = toset(var.execution_ids)

  execution_id = each.key
}
