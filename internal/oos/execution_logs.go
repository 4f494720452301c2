package oos

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clouds"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// ExecutionLogsTypeName is the data source's type name.
const ExecutionLogsTypeName = "opsaudit_alicloud_oos_execution_logs"

// executionLogsPageSize is MaxResults, the API's largest.
const executionLogsPageSize = 50

// executionLog is one entry of ExecutionLogs. Pointers tell an absent field
// (null in state) from an empty one.
type executionLog struct {
	TaskExecutionID *string `json:"TaskExecutionId"`
	Message         *string `json:"Message"`
	LogType         *string `json:"LogType"`
	Timestamp       *string `json:"Timestamp"`
}

// knownLogTypes are the LogType values the ListExecutionLogs reference
// shows (https://www.alibabacloud.com/help/en/oos/developer-reference/api-oos-2019-06-01-listexecutionlogs):
// System as the parameter's example, and " System", with its leading
// space, in the example answer. It names no others.
var knownLogTypes = []string{"System", " System"}

// ExecutionLogs is the RPC action ListExecutionLogs, version 2019-06-01.
var ExecutionLogs = &listread.Token[executionLog, clouds.AliScope]{
	API: listread.API{
		TypeName: ExecutionLogsTypeName,
		Description: "Lists the logs of an Alibaba Cloud OOS execution (RPC `ListExecutionLogs`, version " +
			"`2019-06-01`), every page, in the API's order, never de-duplicated.",
		What: "OOS execution logs", Items: "log entries",
		Args: []listread.Attribute{
			{Name: "execution_id", Required: true, Query: "ExecutionId", Strings: []validator.String{stringvalidator.LengthAtLeast(1)},
				Description: "Execution to read the logs of (`ExecutionId`), e.g. `exec-8a2aaf460fdf47c6b5ef`."},
			{Name: "task_execution_id", Query: "TaskExecutionId", Strings: []validator.String{stringvalidator.LengthAtLeast(1)},
				Description: "Only the logs of this task execution (`TaskExecutionId`), e.g. `exec-1234567zxcvb.t0010`."},
			{Name: "log_type", Query: "LogType", Strings: []validator.String{stringvalidator.LengthAtLeast(1),
				listread.KnownValues("the values the ListExecutionLogs reference shows", knownLogTypes...)},
				Description: "Only logs of this type (`LogType`), matched exactly, case included, e.g. `System`. " +
					"The API does not enumerate its log types, so any value is sent, but one its reference does " +
					"not show gets a warning at plan time."},
		},
		List: "execution_logs", ListDescription: "The log entries (`ExecutionLogs`), every page, in the API's order.",
	},
	Scope: clouds.Ali,
	Fields: listread.Fields[executionLog]{
		listread.Text("task_execution_id", "Task execution the entry belongs to (`TaskExecutionId`).", func(l *executionLog) *string { return l.TaskExecutionID }),
		listread.Text("message", "The logged message (`Message`).", func(l *executionLog) *string { return l.Message }),
		listread.Text("log_type", "Log type, e.g. `System` (`LogType`).", func(l *executionLog) *string { return l.LogType }),
		listread.Text("timestamp", "Time of the entry, as the API returns it (`Timestamp`).", func(l *executionLog) *string { return l.Timestamp }),
	},
	// NextToken is absent (or empty) on the last page. ExecutionLogs is
	// always there ([] on a page without logs): an answer without it is
	// refused, as is IsTruncated true without a NextToken, which the API
	// documents both as "more results" and as "log truncated" and which
	// therefore cannot read as a complete list
	// (https://www.alibabacloud.com/help/en/oos/developer-reference/api-oos-2019-06-01-listexecutionlogs).
	Fetch: &clouds.AliRPC[executionLog]{
		Product: "oos", Action: "ListExecutionLogs", Version: "2019-06-01", MaxResults: executionLogsPageSize,
		ListField: "ExecutionLogs", TokenField: "NextToken", TruncatedField: "IsTruncated",
	},
}
