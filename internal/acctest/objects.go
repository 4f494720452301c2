package acctest

import "github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"

// What each data source's result list must hold for emulator items, in the
// form ExpectObjects compares: the API's fields under their own names,
// numbers as numbers. One mapping per data source, shared by every test.

// ScriptRecordObjects is the records attribute for recs.
func ScriptRecordObjects(recs []emulator.ScriptRecord) []map[string]any {
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		out[i] = map[string]any{
			"id": r.ID, "script_id": r.ScriptID, "script_name": r.ScriptName, "script_task_id": r.ScriptTaskID,
			"resource_id": r.ResourceID, "resource_name": r.ResourceName, "resource_type": r.ResourceType,
			"start_time": r.StartTime, "end_time": r.EndTime, "status": r.Status, "execute_order": r.ExecuteOrder,
			"result_code": r.ResultCode, "reason": r.Reason,
		}
	}
	return out
}

// DesktopEventObjects is the events attribute for evs.
func DesktopEventObjects(evs []emulator.DesktopEvent) []map[string]any {
	out := make([]map[string]any, len(evs))
	for i, e := range evs {
		out[i] = map[string]any{
			"id": e.ID, "project_id": e.ProjectID, "desktop_id": e.DesktopID, "screen_record_id": e.ScreenRecordID,
			"username": e.Username, "event_type": e.EventType, "event_level": e.EventLevel, "event_id": e.EventID,
			"event_data": e.EventData, "operation_time": e.OperationTime, "relative_start_time": e.RelativeStartTime,
		}
	}
	return out
}

// AuditLogObjects is the audit_logs attribute for logs (end_time holds the
// end or last report time: the emulator keeps either in EndTime, and the
// data source falls back to last_report_time).
func AuditLogObjects(logs []emulator.AuditLog) []map[string]any {
	out := make([]map[string]any, len(logs))
	for i, l := range logs {
		out[i] = map[string]any{
			"instance_type": l.InstanceType, "action_id": l.ActionID, "action_name": l.ActionName,
			"instance_id": l.InstanceID, "parent_instance_id": l.ParentInstanceID, "log_level": l.LogLevel,
			"input": l.Input, "output": l.Output, "error_msg": l.ErrorMsg, "start_time": l.StartTime,
			"end_time": l.EndTime, "status": l.Status, "trigger_type": l.TriggerType,
		}
	}
	return out
}

// ExecutionLogObjects is the execution_logs attribute for logs.
func ExecutionLogObjects(logs []emulator.ExecutionLog) []map[string]any {
	out := make([]map[string]any, len(logs))
	for i, l := range logs {
		out[i] = map[string]any{
			"task_execution_id": l.TaskExecutionID, "message": l.Message, "log_type": l.LogType, "timestamp": l.Timestamp,
		}
	}
	return out
}
