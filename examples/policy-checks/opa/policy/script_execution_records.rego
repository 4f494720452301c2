# No script run FAILED in the reads of
# opsaudit_huaweicloud_workspace_script_execution_records.
package opsaudit.script_execution_records

import data.opsaudit.lib

reads := lib.reads.opsaudit_huaweicloud_workspace_script_execution_records

# A read filtered to FAILED: total_count counts every match, also those
# max_items left out of records.
deny contains msg if {
	some r in reads
	r.values.status == "FAILED"
	r.values.total_count > 0
	msg := sprintf("%s: %d script run(s) FAILED, e.g. %s", [
		r.address, r.values.total_count,
		concat("; ", [sprintf("%s on %s at %s", [x.script_name, x.resource_name, x.start_time]) | some x in r.values.records]),
	])
}

# An unfiltered read: status_counts counts the returned records only, so
# it tells the whole story only when every match was returned.
deny contains msg if {
	some r in reads
	r.values.status == null
	n := object.get(r.values.status_counts, "FAILED", 0)
	n > 0
	msg := sprintf("%s: %d script run(s) FAILED", [r.address, n])
}

deny contains msg if {
	some r in reads
	r.values.status == null
	count(r.values.records) < r.values.total_count
	msg := sprintf("%s: %d of %d records read (max_items): status_counts is partial; filter with status = \"FAILED\" and judge total_count", [
		r.address, count(r.values.records), r.values.total_count,
	])
}
