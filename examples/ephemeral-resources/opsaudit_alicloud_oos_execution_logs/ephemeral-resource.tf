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

# Policy: no error in the log of an OOS execution. Every line is read at
# every plan and apply (the API has no error filter) and filtered here;
# none of them is stored, however long the log. The API has no severity
# (LogType is not a level): an error is found in the message ("The task
# runCommand failed: ..."). A gate: the output's precondition fails the
# plan, and a read that fails fails it too.
variable "execution_id" {
  description = "OOS execution to audit."
  type        = string
}

ephemeral "opsaudit_alicloud_oos_execution_logs" "audited" {
  execution_id = var.execution_id
}

output "oos_gate" {
  value = "No error line in the log of OOS execution ${var.execution_id}."

  precondition {
    condition = length(ephemeral.opsaudit_alicloud_oos_execution_logs.audited.execution_logs) > 0 && length([
      for l in ephemeral.opsaudit_alicloud_oos_execution_logs.audited.execution_logs : l
      if can(regex("(?i)\\b(error|exception|fail(ed|ure)?)\\b", l.message))
    ]) == 0
    error_message = "The log of OOS execution ${var.execution_id} has an error line, or no line at all."
  }
}
