package emulator

import (
	"net/http"
)

// Fixture is what the suites that read every list API (the fault suite in
// internal/faulttest, the benchmarks in internal/bench, the direct-read
// server's comparison in internal/provider and the ephemeral twins' test
// in internal/listread) need of one API the emulator serves: which data
// source reads it, with which arguments, what that read returns from a
// dataset, and how the API answers errors. A list API's fixture is added
// to Fixtures with its handler; those suites iterate the provider's
// catalog and fail naming a data source that has no fixture here.
type Fixture struct {
	// TypeName is the provider's data source that reads the API.
	TypeName string
	// Name is a short name, for subtests and benchmarks.
	Name string
	// API is the API's name in Recorded, Requests and Faults.
	API string
	// Operation is the API operation its errors name.
	Operation string
	// TotalField and ListField are the answer's fields holding the total
	// (empty when it has none) and the items.
	TotalField, ListField string
	// Sizes are the sizes of a dataset whose read with Args returns n
	// items.
	Sizes func(n int) Sizes
	// Pages is an n whose read takes two or three pages.
	Pages int
	// MaxItems is the most items one read is served (0: no limit).
	MaxItems int
	// Args are the string arguments of a read of the first generated
	// parent; Filter, with Args, selects some of its items.
	Args, Filter map[string]string
	// Items are the items the read with Args returns from d, in order: a
	// slice of the dataset's item type.
	Items func(d *Dataset) any
	// Key is the item attribute reads are compared by, item by item (its
	// id when it has one).
	Key string
	// Mark hides marker in a text field of the first item of Items.
	Mark func(d *Dataset, marker string)
	// UnknownParent are the arguments of a read of a parent that does not
	// exist; the API answers it ParentStatus with ParentCode, its message
	// (or the provider's detail) naming ParentWhat.
	UnknownParent          map[string]string
	ParentStatus           int
	ParentCode, ParentWhat string
	// Gateway is the cloud's answers to a bad signature and to throttling.
	Gateway
	ServerErrorStatus int // the answer to Faults.ServerErrorEvery
	ServerErrorCode   string
}

// Gateway is how a cloud's API gateway answers a bad signature and
// throttling: the same for every API of the cloud.
type Gateway struct {
	WrongSecretStatus int // the answer to a bad signature
	WrongSecretCode   string
	ThrottleStatus    int // the answer to Faults.ThrottleEvery
	ThrottleCode      string
}

// Fixtures are the fixtures of every list API the emulator serves.
func Fixtures() []Fixture {
	return []Fixture{scriptRecordsFixture(), desktopEventsFixture(), auditLogsFixture(), executionLogsFixture()}
}

func scriptRecordsFixture() Fixture {
	return Fixture{
		TypeName: "opsaudit_huaweicloud_workspace_script_execution_records", Name: "script_records",
		API: APIScriptRecords, Operation: "ListScriptExecutionRecords", TotalField: "count", ListField: "script_records",
		// Without show_history only the latest record of each (desktop,
		// script) pair is returned: 8*max(4, N/10) of N generated, so
		// 5n/4 records give n.
		Sizes: func(n int) Sizes { return Sizes{SizeScriptRecords: n * 5 / 4} },
		Pages: 200, Args: map[string]string{}, Filter: map[string]string{"status": "FAILED"},
		Items: func(d *Dataset) any {
			var latest []ScriptRecord
			for _, r := range d.ScriptRecords() {
				if !r.History {
					latest = append(latest, r)
				}
			}
			return latest
		},
		Key: "id",
		Mark: func(d *Dataset, marker string) {
			for i := range d.ScriptRecords() {
				if r := &d.ScriptRecords()[i]; !r.History {
					r.Reason = marker
					return
				}
			}
		},
		// The one parent of script records is the project: the gateway
		// refuses a project that does not exist.
		UnknownParent: map[string]string{"project_id": "0123456789abcdef0123456789abcdef"},
		ParentStatus:  http.StatusForbidden, ParentCode: "APIG.0302", ParentWhat: "0123456789abcdef0123456789abcdef",
		Gateway:           huawei.gateway,
		ServerErrorStatus: http.StatusInternalServerError, ServerErrorCode: "WKS.00000500",
	}
}

func desktopEventsFixture() Fixture {
	id := ScreenRecordID(1)
	return Fixture{
		TypeName: "opsaudit_huaweicloud_workspace_desktop_events", Name: "desktop_events",
		API: APIDesktopEvents, Operation: "ListKeyDesktopEvents", TotalField: "total_count", ListField: "operations",
		Sizes: func(n int) Sizes { return Sizes{SizeScreenRecords: 1, SizeEventsPerScreenRecord: n} },
		Pages: 230, Args: map[string]string{"screen_record_id": id}, Filter: map[string]string{"event_type": "APP"},
		Items:         func(d *Dataset) any { return d.ScreenRecords()[id] },
		Key:           "id",
		Mark:          func(d *Dataset, marker string) { d.ScreenRecords()[id][0].EventData = marker },
		UnknownParent: map[string]string{"screen_record_id": "sr-9999"},
		ParentStatus:  http.StatusNotFound, ParentCode: "WKS.00000404",
		ParentWhat:        `screen recording "sr-9999" (screen_record_id) was not found`,
		Gateway:           huawei.gateway,
		ServerErrorStatus: http.StatusInternalServerError, ServerErrorCode: "WKS.00000500",
	}
}

func auditLogsFixture() Fixture {
	id := WorkspaceID(1)
	return Fixture{
		TypeName: "opsaudit_huaweicloud_secmaster_playbook_audit_logs", Name: "audit_logs",
		API: APIAuditLogs, Operation: "ListPlaybookAuditLogs", TotalField: "count", ListField: "audit_logs",
		Sizes: func(n int) Sizes { return Sizes{SizeWorkspaces: 1, SizeAuditLogsPerWorkspace: n} },
		// SecMaster serves a query while offset + limit < 10000 (the
		// official SDK's model): 9,950 logs are the most it serves in
		// whole pages of 50.
		Pages: 120, MaxItems: 9950,
		Args: map[string]string{"workspace_id": id},
		Filter: map[string]string{"start_time": "2020-01-01T00:00:00+08:00", "end_time": "2030-01-01T00:00:00Z",
			"sort_dir": "desc"},
		Items:         func(d *Dataset) any { return d.Workspaces()[id] },
		Key:           "instance_id",
		Mark:          func(d *Dataset, marker string) { d.Workspaces()[id][0].Input = marker },
		UnknownParent: map[string]string{"workspace_id": "ws-9999"},
		ParentStatus:  http.StatusNotFound, ParentCode: "SecMaster.00040401", ParentWhat: "ws-9999",
		Gateway:           huawei.gateway,
		ServerErrorStatus: http.StatusInternalServerError, ServerErrorCode: "SecMaster.00050001",
	}
}

func executionLogsFixture() Fixture {
	id := ExecutionID(1)
	return Fixture{
		TypeName: "opsaudit_alicloud_oos_execution_logs", Name: "execution_logs",
		API: APIExecutionLogs, Operation: "ListExecutionLogs", ListField: "ExecutionLogs",
		Sizes: func(n int) Sizes { return Sizes{SizeExecutions: 1, SizeLogsPerExecution: n} },
		Pages: 130, Args: map[string]string{"execution_id": id}, Filter: map[string]string{"log_type": "Output"},
		Items: func(d *Dataset) any { return d.Executions()[id] },
		// OOS logs have no id.
		Key:           "message",
		Mark:          func(d *Dataset, marker string) { d.Executions()[id][0].Message = marker },
		UnknownParent: map[string]string{"execution_id": "exec-9999"},
		ParentStatus:  http.StatusNotFound, ParentCode: "EntityNotExists.Execution", ParentWhat: "exec-9999",
		Gateway:           alibaba.gateway,
		ServerErrorStatus: http.StatusServiceUnavailable, ServerErrorCode: "ServiceUnavailable",
	}
}
