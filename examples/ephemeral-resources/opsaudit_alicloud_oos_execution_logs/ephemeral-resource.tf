# Policy: no error in the log of an OOS execution. Every line is read at
# every plan and apply (the API has no error filter) and filtered here;
# none of them is stored, however long the log. Log types are passed on as
# the API returns them (e.g. " System"), so they are compared trimmed and
# lower-cased.
ephemeral "opsaudit_alicloud_oos_execution_logs" "audited" {
  execution_id = "exec-0001"
}

check "no_oos_errors" {
  assert {
    condition = length([
      for l in ephemeral.opsaudit_alicloud_oos_execution_logs.audited.execution_logs : l
      if lower(trimspace(l.log_type)) == "error" || can(regex("(?i)\\b(error|exception|failed)\\b", l.message))
    ]) == 0
    error_message = "An error line is in the log of OOS execution exec-0001."
  }
}
