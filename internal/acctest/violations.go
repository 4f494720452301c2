package acctest

import (
	"regexp"
	"slices"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// OOSErrorPattern is the default error_pattern of the OOS policy examples:
// a log line whose message matches it reports an error (OOS logs have no
// severity).
var OOSErrorPattern = regexp.MustCompile(`(?i)\b(error|exception|fail(ed|ure)?|traceback)\b`)

// WithoutViolations takes out of d, in place, everything the policy
// examples look for, and returns d: FAILED script runs SUCCEEDED, FAILED
// playbook runs FINISHED, no APP_INSTALL or HDP_USB event, no OOS log line
// matching OOSErrorPattern. Every id stays, so the same configuration
// reads the same objects, now clean.
func WithoutViolations(d *emulator.Dataset) *emulator.Dataset {
	recs := d.ScriptRecords()
	for i := range recs {
		if recs[i].Status == "FAILED" {
			recs[i].Status = "SUCCESS"
		}
	}
	for _, logs := range d.Workspaces() {
		for i := range logs {
			if logs[i].Status == "FAILED" {
				logs[i].Status = "FINISHED"
			}
		}
	}
	events := d.ScreenRecords()
	for id := range events {
		events[id] = slices.DeleteFunc(events[id], func(e emulator.DesktopEvent) bool {
			return e.EventID == "APP_INSTALL" || e.EventID == "HDP_USB"
		})
	}
	logs := d.Executions()
	for id := range logs {
		logs[id] = slices.DeleteFunc(logs[id], func(l emulator.ExecutionLog) bool { return OOSErrorPattern.MatchString(l.Message) })
	}
	return d
}
