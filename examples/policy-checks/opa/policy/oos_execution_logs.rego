# No error in the reads of opsaudit_alicloud_oos_execution_logs. The API
# gives no severity (LogType is not a level), so an error is found in the
# message: OOS reports a failed task as "The task NAME failed: ...", and
# tasks log the errors of what they run.
package opsaudit.oos_execution_logs

import data.opsaudit.lib

error_pattern := `(?i)\b(error|exception|fail(ed|ure)?|traceback)\b`

reads := lib.reads.opsaudit_alicloud_oos_execution_logs

deny contains msg if {
	some r in reads
	some l in r.values.execution_logs
	regex.match(error_pattern, l.message)
	msg := sprintf("%s: execution %s: %s [%s] %s", [r.address, r.values.execution_id, l.timestamp, l.task_execution_id, l.message])
}

# A log without lines is no evidence of a clean run.
deny contains msg if {
	some r in reads
	count(r.values.execution_logs) == 0
	msg := sprintf("%s: execution %s has no log line: nothing to judge it by", [r.address, r.values.execution_id])
}

# OOS gives no total: a list max_items may have cut is no verdict.
deny contains msg if {
	some r in reads
	r.values.max_items != null
	count(r.values.execution_logs) >= r.values.max_items
	msg := sprintf("%s: max_items = %d may have cut the log of execution %s: read it whole", [r.address, r.values.max_items, r.values.execution_id])
}
