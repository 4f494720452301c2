# No forbidden event (an application installed, a USB device used) in the
# reads of opsaudit_huaweicloud_workspace_desktop_events.
package opsaudit.desktop_events

import data.opsaudit.lib

forbidden := {"APP_INSTALL", "HDP_USB"}

reads := lib.reads.opsaudit_huaweicloud_workspace_desktop_events

# A read filtered to a forbidden event id: total_count counts every match.
deny contains msg if {
	some r in reads
	r.values.event_id in forbidden
	r.values.total_count > 0
	msg := sprintf("%s: %d %s event(s) in screen recording %s, e.g. %s", [
		r.address, r.values.total_count, r.values.event_id, r.values.screen_record_id,
		concat("; ", [sprintf("%s on %s by %s at %s", [e.event_id, e.desktop_id, e.username, e.operation_time]) | some e in r.values.events]),
	])
}

# An unfiltered read: judged on its events, when it holds all of them.
deny contains msg if {
	some r in reads
	r.values.event_id == null
	some e in r.values.events
	e.event_id in forbidden
	msg := sprintf("%s: %s on %s by %s at %s", [r.address, e.event_id, e.desktop_id, e.username, e.operation_time])
}

deny contains msg if {
	some r in reads
	r.values.event_id == null
	count(r.values.events) < r.values.total_count
	msg := sprintf("%s: %d of %d events read (max_items): filter with event_id and judge total_count", [
		r.address, count(r.values.events), r.values.total_count,
	])
}
