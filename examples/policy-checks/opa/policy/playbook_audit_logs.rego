# No playbook run FAILED in the reads of
# opsaudit_huaweicloud_secmaster_playbook_audit_logs.
package opsaudit.playbook_audit_logs

import data.opsaudit.lib

reads := lib.reads.opsaudit_huaweicloud_secmaster_playbook_audit_logs

# A read filtered to FAILED: total_count counts every match.
deny contains msg if {
	some r in reads
	r.values.status == "FAILED"
	r.values.total_count > 0
	msg := sprintf("%s: %d playbook run(s) FAILED in workspace %s, e.g. %s", [
		r.address, r.values.total_count, r.values.workspace_id,
		concat("; ", [sprintf("%s (%s): %s", [l.action_name, l.instance_id, l.error_msg]) | some l in r.values.audit_logs]),
	])
}

# An unfiltered read: status_counts counts the returned logs only.
deny contains msg if {
	some r in reads
	r.values.status == null
	n := object.get(r.values.status_counts, "FAILED", 0)
	n > 0
	msg := sprintf("%s: %d playbook run(s) FAILED in workspace %s", [r.address, n, r.values.workspace_id])
}

deny contains msg if {
	some r in reads
	r.values.status == null
	count(r.values.audit_logs) < r.values.total_count
	msg := sprintf("%s: %d of %d logs read (max_items): status_counts is partial; filter with status = \"FAILED\" and judge total_count", [
		r.address, count(r.values.audit_logs), r.values.total_count,
	])
}
