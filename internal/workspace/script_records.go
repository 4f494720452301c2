package workspace

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clouds"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// ScriptRecordsTypeName is the data source's type name.
const ScriptRecordsTypeName = "opsaudit_huaweicloud_workspace_script_execution_records"

// scriptRecord is one ScriptRecordSimpleInfo of the API. Pointers tell an
// absent field (null in state) from an empty one.
type scriptRecord struct {
	ID           *string `json:"id"`
	ScriptID     *string `json:"script_id"`
	ScriptName   *string `json:"script_name"`
	ScriptTaskID *string `json:"script_task_id"`
	ResourceID   *string `json:"resource_id"`
	ResourceName *string `json:"resource_name"`
	ResourceType *string `json:"resource_type"`
	StartTime    *string `json:"start_time"`
	EndTime      *string `json:"end_time"`
	Status       *string `json:"status"`
	ExecuteOrder *int64  `json:"execute_order"`
	ResultCode   *string `json:"result_code"`
	Reason       *string `json:"reason"`
}

// scriptStatuses are the statuses seen for script tasks. The API document
// does not enumerate them, so a status filter is not refused for another
// value, only warned about (listread.KnownValues).
var scriptStatuses = []string{"SUCCESS", "FAILED", "RUNNING", "WAITING"}

// ScriptRecords is ListScriptExecutionRecords
// (`GET /v2/{project_id}/script-execution-records`).
var ScriptRecords = &listread.Offset[scriptRecord, clouds.HuaweiScope]{
	API: listread.API{
		TypeName: ScriptRecordsTypeName,
		Description: "Lists Huawei Cloud Workspace script execution records " +
			"(`GET /v2/{project_id}/script-execution-records`), every page, in the API's order.",
		What: "Workspace script execution records", Items: "records",
		Args: []listread.Attribute{
			idList("resource_ids", "resource_id", "resource (desktop) IDs"),
			idList("resource_group_ids", "resource_group_id", "resource group IDs"),
			idList("script_ids", "script_id", "script IDs"),
			idList("script_names", "script_name", "script names"),
			{Name: "status", Query: "status", Strings: []validator.String{stringvalidator.LengthAtLeast(1),
				listread.KnownValues("statuses seen for script tasks", scriptStatuses...)},
				Description: "Only records with this execution status (`status`), matched exactly, case included: " +
					"the values seen are `SUCCESS`, `FAILED`, `RUNNING` and `WAITING`. The API does not enumerate " +
					"its statuses, so any value is sent, but another one gets a warning at plan time."},
			{Name: "is_first_order", Kind: listread.Bool, Query: "is_first_order",
				Description: "Only first-batch executions (`true`) or only later ones (`false`) (`is_first_order`)."},
			{Name: "script_task_id", Query: "script_task_id", Strings: []validator.String{stringvalidator.LengthAtLeast(1)},
				Description: "Only records of this script execution task (`script_task_id`)."},
			{Name: "task_type", Query: "task_type", Strings: []validator.String{stringvalidator.OneOf("SCRIPT", "COMMAND")},
				Description: "Only records of this task type: `SCRIPT` or `COMMAND` (`task_type`)."},
			{Name: "show_history", Kind: listread.Bool, Query: "show_history",
				Description: "Include historical records (`show_history`). `true` needs both `resource_ids` and " +
					"`script_ids`. Default (API): `false`."},
			{Name: "execute_time_start", Kind: listread.Time, Query: "execute_time_start",
				Description: "Only records executed at or after this RFC 3339 time, e.g. `2026-11-20T00:00:00Z` (`execute_time_start`)."},
			{Name: "execute_time_end", Kind: listread.Time, Query: "execute_time_end",
				Description: "Only records executed at or before this RFC 3339 time; not before `execute_time_start` (`execute_time_end`)."},
		},
		Checks: []listread.Check{listread.TimeOrder("execute_time_start", "execute_time_end"), showHistoryNeedsIDs},
		TotalCount: "Number of records matching the filters, as the API counts them (`count`): all matches, " +
			"even when `max_items` stops the read early.",
		List: "records", ListDescription: "The records (`script_records`), every page, in the API's order.",
		StatusCounts: "Number of returned records by `status`, e.g. `{ FAILED = 2, SUCCESS = 40 }`.",
	},
	Scope: clouds.Huawei,
	Fields: listread.Fields[scriptRecord]{
		listread.Text("id", "Script execution record ID (`id`).", func(r *scriptRecord) *string { return r.ID }),
		listread.Text("script_id", "Script ID (`script_id`).", func(r *scriptRecord) *string { return r.ScriptID }),
		listread.Text("script_name", "Script name (`script_name`).", func(r *scriptRecord) *string { return r.ScriptName }),
		listread.Text("script_task_id", "Script execution task ID (`script_task_id`).", func(r *scriptRecord) *string { return r.ScriptTaskID }),
		listread.Text("resource_id", "Resource the script ran on, e.g. a desktop ID (`resource_id`).", func(r *scriptRecord) *string { return r.ResourceID }),
		listread.Text("resource_name", "Resource name, e.g. a desktop name (`resource_name`).", func(r *scriptRecord) *string { return r.ResourceName }),
		listread.Text("resource_type", "Resource type, e.g. `DESKTOP` (`resource_type`).", func(r *scriptRecord) *string { return r.ResourceType }),
		listread.Text("start_time", "Start time of the execution, as the API returns it (`start_time`).", func(r *scriptRecord) *string { return r.StartTime }),
		listread.Text("end_time", "End time of the execution, as the API returns it (`end_time`).", func(r *scriptRecord) *string { return r.EndTime }),
		listread.Text("status", "Execution status, e.g. `SUCCESS`, `FAILED`, `RUNNING`, `WAITING` (`status`).", func(r *scriptRecord) *string { return r.Status }),
		listread.Number("execute_order", "Execution batch: 0 default, 1 gray, 2 non-gray (`execute_order`).", func(r *scriptRecord) *int64 { return r.ExecuteOrder }),
		listread.Text("result_code", "Error code (`result_code`).", func(r *scriptRecord) *string { return r.ResultCode }),
		listread.Text("reason", "Cause of the result (`reason`).", func(r *scriptRecord) *string { return r.Reason }),
	},
	PageSize: 100, PageSizeNote: "the API's largest page",
	ID:     func(r scriptRecord) *string { return r.ID },
	Status: func(r *scriptRecord) *string { return r.Status },
	Fetch: &clouds.HuaweiList[scriptRecord]{
		Operation: "ListScriptExecutionRecords", Service: "workspace", Method: "GET", TotalField: "count", ListField: "script_records",
		Path: "/v2/{project_id}/script-execution-records",
	},
}

// idList is an optional list filter sent as one query parameter per element.
func idList(name, param, what string) listread.Attribute {
	return listread.Attribute{
		Name: name, Kind: listread.StringList, Query: param,
		Description: fmt.Sprintf("Only records of these %s. Sent as one `%s` query parameter per element. "+
			"A record matches if it has any of them.", what, param),
		Lists: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
	}
}

// showHistoryNeedsIDs: show_history = true needs resource_ids and script_ids.
var showHistoryNeedsIDs = listread.Check{
	Description: "show_history = true requires resource_ids and script_ids",
	Validate: func(c *listread.Config) {
		if show, ok := c.Bool("show_history"); !ok || !show {
			return
		}
		for _, name := range []string{"resource_ids", "script_ids"} {
			if c.Null(name) {
				c.Fail("show_history", "Missing required argument",
					fmt.Sprintf("show_history = true requires %s: the API only returns historical records for given resources and scripts.", name))
			}
		}
	},
}
