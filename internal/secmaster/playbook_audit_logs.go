package secmaster

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clouds"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/paginate"
)

// PlaybookAuditLogsTypeName is the data source's type name.
const PlaybookAuditLogsTypeName = "opsaudit_huaweicloud_secmaster_playbook_audit_logs"

// Enumerations of the filters: every value the API reference names
// anywhere (its tables and its example), as
// docs/data-sources/huaweicloud_secmaster_playbook_audit_logs.md lists them.
var (
	auditInstanceTypes = []string{"APP", "AOP_WORKFLOW", "SCRIPT", "PLAYBOOK", "TASK", "DEBUG"}
	auditStatuses      = []string{"CREATED", "RUNNING", "FINISHED", "FAILED", "RETRYING", "TERMINATING", "TERMINATED"}
	auditTriggerTypes  = []string{"DEBUG", "TIMER", "EVENT", "MANUAL"}
	auditLogLevels     = []string{"DEBUG", "INFO", "WARN", "ERROR"}
)

// auditLog is one AuditLogInfo of the API. Pointers tell an absent field
// (null in state) from an empty one. LastReportTime is not in the document:
// live answers have been seen carrying it instead of end_time, so end_time
// falls back to it.
type auditLog struct {
	InstanceType     *string `json:"instance_type"`
	ActionID         *string `json:"action_id"`
	ActionName       *string `json:"action_name"`
	InstanceID       *string `json:"instance_id"`
	ParentInstanceID *string `json:"parent_instance_id"`
	LogLevel         *string `json:"log_level"`
	Input            *string `json:"input"`
	Output           *string `json:"output"`
	ErrorMsg         *string `json:"error_msg"`
	StartTime        *string `json:"start_time"`
	EndTime          *string `json:"end_time"`
	LastReportTime   *string `json:"last_report_time"`
	Status           *string `json:"status"`
	TriggerType      *string `json:"trigger_type"`
}

// auditLogFields are an audit log's fields.
var auditLogFields = listread.Fields[auditLog]{
	listread.Text("instance_type", "Instance type, e.g. `AOP_WORKFLOW`, `SCRIPT`, `PLAYBOOK` (`instance_type`).", func(l *auditLog) *string { return l.InstanceType }),
	listread.Text("action_id", "Workflow ID (`action_id`).", func(l *auditLog) *string { return l.ActionID }),
	listread.Text("action_name", "Workflow name (`action_name`).", func(l *auditLog) *string { return l.ActionName }),
	listread.Text("instance_id", "Instance ID (`instance_id`).", func(l *auditLog) *string { return l.InstanceID }),
	listread.Text("parent_instance_id", "Instance ID of the parent node (`parent_instance_id`).", func(l *auditLog) *string { return l.ParentInstanceID }),
	listread.Text("log_level", "Log level, e.g. `INFO`, `ERROR` (`log_level`).", func(l *auditLog) *string { return l.LogLevel }),
	listread.Text("input", "Input (`input`).", func(l *auditLog) *string { return l.Input }),
	listread.Text("output", "Output (`output`).", func(l *auditLog) *string { return l.Output }),
	listread.Text("error_msg", "Error message (`error_msg`).", func(l *auditLog) *string { return l.ErrorMsg }),
	listread.Text("start_time", "Start time, as the API returns it (`start_time`).", func(l *auditLog) *string { return l.StartTime }),
	listread.Text("end_time", "End time, as the API returns it (`end_time`; when an answer carries "+
		"`last_report_time` instead, as live answers have been seen to do, that value).", auditLogEnd),
	listread.Text("status", "Status, e.g. `RUNNING`, `FINISHED`, `FAILED` (`status`).", func(l *auditLog) *string { return l.Status }),
	listread.Text("trigger_type", "Trigger type, e.g. `TIMER`, `EVENT` (`trigger_type`).", func(l *auditLog) *string { return l.TriggerType }),
}

// auditLogEnd is end_time, else (absent or empty) last_report_time when
// the answer has it: no SDK model has last_report_time, but live answers
// carry it, with end_time left out or empty.
func auditLogEnd(l *auditLog) *string {
	if (l.EndTime == nil || *l.EndTime == "") && l.LastReportTime != nil {
		return l.LastReportTime
	}
	return l.EndTime
}

// sortKeys are the values of sort_key the official SDK's model allows
// (huaweicloud-sdk-go-v3, services/secmaster/v1/model/model_list_playbook_audit_logs_request.go).
var sortKeys = []string{"start_time", "end_time"}

// AuditLogsWindow is SecMaster's paging window: the official SDK's model
// says offset + limit must be less than 10000, so one query reaches its
// first 9,999 logs.
const AuditLogsWindow = 10000

// windowHint says how to narrow a query whose matches the window cannot
// reach.
func windowHint(err error, _ clouds.HuaweiScope, _ *listread.Request) error {
	var we *paginate.WindowError
	if !errors.As(err, &we) {
		return err
	}
	return &narrowError{err: err, msg: fmt.Sprintf("%d audit logs match these filters, but SecMaster serves at most "+
		"%d of one query (offset + limit must stay below %d), so the list would be incomplete and nothing past "+
		"the first page was fetched. Narrow the query: a shorter start_time/end_time window, other filters "+
		"(status, instance_type, action_name, ...), or max_items of at most %d to read the first ones.",
		we.Total, we.Reachable, AuditLogsWindow, we.Reachable)}
}

// narrowError is a window error with what the user can do about it.
type narrowError struct {
	err error
	msg string
}

func (e *narrowError) Error() string { return e.msg }
func (e *narrowError) Unwrap() error { return e.err }

// noSlash keeps a path parameter a single path segment.
var noSlash = regexp.MustCompile(`^[^/]+$`)

// PlaybookAuditLogs is ListPlaybookAuditLogs
// (`POST /v1/{project_id}/workspaces/{workspace_id}/soc/playbooks/instances/auditlogs`).
var PlaybookAuditLogs = &listread.Offset[auditLog, clouds.HuaweiScope]{
	API: listread.API{
		TypeName: PlaybookAuditLogsTypeName,
		Description: "Lists Huawei Cloud SecMaster playbook instance audit logs " +
			"(`POST /v1/{project_id}/workspaces/{workspace_id}/soc/playbooks/instances/auditlogs`), every page, " +
			"in the API's order. Audit logs have no id of their own, so identical logs are all kept.",
		What: "SecMaster playbook audit logs", Items: "audit logs",
		Args: []listread.Attribute{
			{Name: "workspace_id", Required: true, Path: "workspace_id",
				Description: "SecMaster workspace to read the logs of (the path's `workspace_id`).",
				Strings: []validator.String{stringvalidator.LengthAtLeast(1),
					stringvalidator.RegexMatches(noSlash, "must not contain a slash"), stringvalidator.NoneOf(".", "..")}},
			enum("instance_type", "instance type", auditInstanceTypes),
			text("action_id", "workflow ID"),
			text("action_name", "workflow name"),
			text("instance_id", "instance ID"),
			text("parent_instance_id", "parent node instance ID"),
			enum("log_level", "log level", auditLogLevels),
			text("input", "input"),
			text("output", "output"),
			text("error_msg", "error message"),
			{Name: "start_time", Kind: listread.Time, Body: "start_time",
				Description: "Only logs of instances started at or after this RFC 3339 time, e.g. " +
					"`2026-11-20T00:00:00Z` (`start_time` in the request body)."},
			{Name: "end_time", Kind: listread.Time, Body: "end_time",
				Description: "Only logs of instances that ended at or before this RFC 3339 time; not before " +
					"`start_time` (`end_time` in the request body)."},
			enum("status", "status", auditStatuses),
			enum("trigger_type", "trigger type", auditTriggerTypes),
			{Name: "sort_key", Query: "sort_key", Strings: []validator.String{stringvalidator.OneOf(sortKeys...)},
				Description: fmt.Sprintf("Field to sort by (`sort_key` query parameter): %s, the values the "+
					"API's official SDK model allows. Default: the API's own order.", listread.OrList(sortKeys))},
			{Name: "sort_dir", Query: "sort_dir", Strings: []validator.String{stringvalidator.OneOf("asc", "desc")},
				Description: "Sort direction, `asc` or `desc` (`sort_dir` query parameter). Allowed without " +
					"`sort_key`: the document makes both optional on their own, and the API then applies the " +
					"direction to its default order."},
		},
		Checks: []listread.Check{listread.TimeOrder("start_time", "end_time")},
		TotalCount: "Number of audit logs matching the filters, as the API counts them (`count`): " +
			"all matches, even when `max_items` stops the read early.",
		List: "audit_logs", ListDescription: "The audit logs (`audit_logs`), every page, in the API's order, never de-duplicated.",
		StatusCounts: "Number of returned audit logs by `status`, e.g. `{ FAILED = 2, FINISHED = 40 }`.",
	},
	Scope:        clouds.Huawei,
	Fields:       auditLogFields,
	PageSize:     50, // the API's largest limit (the full reference gives limit 10..50)
	PageSizeNote: "both mandatory; the API's largest page",
	Window:       AuditLogsWindow,
	Explain:      windowHint,
	ID:           nil, // audit logs have no id; identical logs are distinct events
	Status:       func(l *auditLog) *string { return l.Status },
	// offset and limit are mandatory query parameters and sent on every
	// page; the body is the same on every page.
	Fetch: &clouds.HuaweiList[auditLog]{
		Operation: "ListPlaybookAuditLogs", Service: "secmaster", Method: "POST", TotalField: "count", ListField: "audit_logs",
		ContentType: "application/json;charset=UTF-8", // as the API documents it
		Path:        "/v1/{project_id}/workspaces/{workspace_id}/soc/playbooks/instances/auditlogs",
	},
}

// text is an optional filter sent as the body field of its name.
func text(name, what string) listread.Attribute {
	return listread.Attribute{Name: name, Body: name, Strings: []validator.String{stringvalidator.LengthAtLeast(1)},
		Description: fmt.Sprintf("Only logs with this %s (`%s` in the request body).", what, name)}
}

// enum is an optional filter among values, sent as the body field of its name.
func enum(name, what string, values []string) listread.Attribute {
	return listread.Attribute{Name: name, Body: name, Strings: []validator.String{stringvalidator.OneOf(values...)},
		Description: fmt.Sprintf("Only logs with this %s (`%s` in the request body): one of %s.", what, name, listread.CodeList(values))}
}
