package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// Dataset is everything the emulator serves. It is read-only while a Server
// uses it. Its JSON form is the fixture format read by LoadFixture and written
// by WriteFixture.
type Dataset struct {
	// Projects maps a Huawei region name to its project id (IAM).
	Projects map[string]string `json:"projects"`
	// ScriptRecords are the Workspace script execution records; every
	// project sees the same records, in this order.
	ScriptRecords []ScriptRecord `json:"script_records"`
	// ScreenRecords maps a Workspace screen record id to its key desktop
	// events, in answer order.
	ScreenRecords map[string][]DesktopEvent `json:"screen_records"`
	// Workspaces maps a SecMaster workspace id to its playbook audit logs,
	// in default answer order.
	Workspaces map[string][]AuditLog `json:"workspaces"`
	// Executions maps an OOS execution id to its logs, in answer order.
	Executions map[string][]ExecutionLog `json:"executions"`
}

// ScriptRecord is one Workspace script execution record (the API
// reference's ScriptRecordSimpleInfo). The first thirteen fields are what the API
// returns; ResourceGroupID, IsFirstOrder, TaskType and History exist only
// for filtering and are kept in the fixture JSON but never sent in answers.
type ScriptRecord struct {
	ID           string `json:"id"`
	ScriptID     string `json:"script_id"`
	ScriptName   string `json:"script_name"`
	ScriptTaskID string `json:"script_task_id"`
	ResourceID   string `json:"resource_id"`
	ResourceName string `json:"resource_name"`
	ResourceType string `json:"resource_type"`
	StartTime    string `json:"start_time"`
	EndTime      string `json:"end_time"`
	Status       string `json:"status"`
	ExecuteOrder int    `json:"execute_order"`
	ResultCode   string `json:"result_code"`
	Reason       string `json:"reason"`

	// ResourceGroupID is matched by the resource_group_id filter.
	ResourceGroupID string `json:"resource_group_id"`
	// IsFirstOrder is matched by the is_first_order filter.
	IsFirstOrder bool `json:"is_first_order"`
	// TaskType (SCRIPT or COMMAND) is matched by the task_type filter.
	TaskType string `json:"task_type"`
	// History marks a record that is not the latest for its
	// (resource_id, script_id) pair; it is returned only with
	// show_history=true.
	History bool `json:"history"`
}

// apiScriptRecord is the answer form of a ScriptRecord.
type apiScriptRecord struct {
	ID           string `json:"id"`
	ScriptID     string `json:"script_id"`
	ScriptName   string `json:"script_name"`
	ScriptTaskID string `json:"script_task_id"`
	ResourceID   string `json:"resource_id"`
	ResourceName string `json:"resource_name"`
	ResourceType string `json:"resource_type"`
	StartTime    string `json:"start_time"`
	EndTime      string `json:"end_time"`
	Status       string `json:"status"`
	ExecuteOrder int    `json:"execute_order"`
	ResultCode   string `json:"result_code"`
	Reason       string `json:"reason"`
}

func (r *ScriptRecord) api() apiScriptRecord {
	return apiScriptRecord{
		ID: r.ID, ScriptID: r.ScriptID, ScriptName: r.ScriptName, ScriptTaskID: r.ScriptTaskID,
		ResourceID: r.ResourceID, ResourceName: r.ResourceName, ResourceType: r.ResourceType,
		StartTime: r.StartTime, EndTime: r.EndTime, Status: r.Status, ExecuteOrder: r.ExecuteOrder,
		ResultCode: r.ResultCode, Reason: r.Reason,
	}
}

// DesktopEvent is one Workspace key desktop event (the API reference's
// OperationForList).
// Every field is sent in answers.
type DesktopEvent struct {
	ID                string `json:"id"`
	ProjectID         string `json:"project_id"`
	DesktopID         string `json:"desktop_id"`
	ScreenRecordID    string `json:"screen_record_id"`
	Username          string `json:"username"`
	EventType         string `json:"event_type"`
	EventLevel        string `json:"event_level"`
	EventID           string `json:"event_id"`
	EventData         string `json:"event_data"`
	OperationTime     string `json:"operation_time"`
	RelativeStartTime int    `json:"relative_start_time"`
}

// AuditLog is one SecMaster playbook instance audit log (the API
// reference's AuditLogInfo). UseLastReportTime and EmptyEndTime are
// fixture-only: with UseLastReportTime the answer carries the EndTime value
// under the key last_report_time instead of end_time, as live answers have
// been seen to do; with EmptyEndTime too, it also carries end_time as "".
type AuditLog struct {
	InstanceType     string `json:"instance_type"`
	ActionID         string `json:"action_id"`
	ActionName       string `json:"action_name"`
	InstanceID       string `json:"instance_id"`
	ParentInstanceID string `json:"parent_instance_id"`
	LogLevel         string `json:"log_level"`
	Input            string `json:"input"`
	Output           string `json:"output"`
	ErrorMsg         string `json:"error_msg"`
	StartTime        string `json:"start_time"`
	EndTime          string `json:"end_time"`
	Status           string `json:"status"`
	TriggerType      string `json:"trigger_type"`

	// UseLastReportTime sends EndTime as last_report_time.
	UseLastReportTime bool `json:"use_last_report_time"`
	// EmptyEndTime, with UseLastReportTime, also sends end_time: "".
	EmptyEndTime bool `json:"empty_end_time,omitempty"`
}

// apiAuditLog is the answer form of an AuditLog: EndTime or
// LastReportTime holds the end time; EndTime may then be "".
type apiAuditLog struct {
	InstanceType     string  `json:"instance_type"`
	ActionID         string  `json:"action_id"`
	ActionName       string  `json:"action_name"`
	InstanceID       string  `json:"instance_id"`
	ParentInstanceID string  `json:"parent_instance_id"`
	LogLevel         string  `json:"log_level"`
	Input            string  `json:"input"`
	Output           string  `json:"output"`
	ErrorMsg         string  `json:"error_msg"`
	StartTime        string  `json:"start_time"`
	EndTime          *string `json:"end_time,omitempty"`
	LastReportTime   *string `json:"last_report_time,omitempty"`
	Status           string  `json:"status"`
	TriggerType      string  `json:"trigger_type"`
}

func (l *AuditLog) api() apiAuditLog {
	a := apiAuditLog{
		InstanceType: l.InstanceType, ActionID: l.ActionID, ActionName: l.ActionName,
		InstanceID: l.InstanceID, ParentInstanceID: l.ParentInstanceID, LogLevel: l.LogLevel,
		Input: l.Input, Output: l.Output, ErrorMsg: l.ErrorMsg, StartTime: l.StartTime,
		Status: l.Status, TriggerType: l.TriggerType,
	}
	end := l.EndTime
	if l.UseLastReportTime {
		a.LastReportTime = &end
		if l.EmptyEndTime {
			a.EndTime = new(string)
		}
	} else {
		a.EndTime = &end
	}
	return a
}

// ExecutionLog is one OOS execution log entry (ListExecutionLogs,
// https://www.alibabacloud.com/help/en/oos/developer-reference/api-oos-2019-06-01-listexecutionlogs).
type ExecutionLog struct {
	TaskExecutionID string `json:"TaskExecutionId"`
	Message         string `json:"Message"`
	LogType         string `json:"LogType"`
	Timestamp       string `json:"Timestamp"`
}

// ProjectID is the project id the generator gives a Huawei region: the first
// 32 hex digits of SHA-256("opsaudit-emulator/project/" + region).
func ProjectID(region string) string {
	sum := sha256.Sum256([]byte("opsaudit-emulator/project/" + region))
	return hex.EncodeToString(sum[:16])
}

// DomainID is the account (domain) id the emulated IAM reports for every project.
func DomainID() string {
	sum := sha256.Sum256([]byte("opsaudit-emulator/domain"))
	return hex.EncodeToString(sum[:16])
}

// LoadFixture reads a Dataset from the JSON file at path. Unknown fields are
// an error (they are usually typos); missing maps become empty maps.
func LoadFixture(path string) (*Dataset, error) {
	b, err := os.ReadFile(path) //nolint:gosec // the user names their own fixture file
	if err != nil {
		return nil, fmt.Errorf("read fixture: %w", err)
	}
	d, err := parseFixture(b)
	if err != nil {
		return nil, fmt.Errorf("fixture %s: %w", path, err)
	}
	return d, nil
}

func parseFixture(b []byte) (*Dataset, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var d Dataset
	if err := dec.Decode(&d); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, col := lineCol(b, se.Offset)
			return nil, fmt.Errorf("invalid JSON at line %d, column %d: %w", line, col, err)
		case errors.As(err, &te):
			line, col := lineCol(b, te.Offset)
			return nil, fmt.Errorf("wrong type at line %d, column %d: %w", line, col, err)
		case errors.Is(err, io.EOF):
			return nil, errors.New("empty file, want a JSON object")
		}
		return nil, fmt.Errorf("invalid dataset: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the dataset object")
	}
	d.normalize()
	if err := d.validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

func lineCol(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	line, col := 1, 1
	for _, c := range b[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// normalize replaces nil maps and slices with empty ones.
func (d *Dataset) normalize() {
	if d.Projects == nil {
		d.Projects = map[string]string{}
	}
	if d.ScriptRecords == nil {
		d.ScriptRecords = []ScriptRecord{}
	}
	if d.ScreenRecords == nil {
		d.ScreenRecords = map[string][]DesktopEvent{}
	}
	for k, v := range d.ScreenRecords {
		if v == nil {
			d.ScreenRecords[k] = []DesktopEvent{}
		}
	}
	if d.Workspaces == nil {
		d.Workspaces = map[string][]AuditLog{}
	}
	for k, v := range d.Workspaces {
		if v == nil {
			d.Workspaces[k] = []AuditLog{}
		}
	}
	if d.Executions == nil {
		d.Executions = map[string][]ExecutionLog{}
	}
	for k, v := range d.Executions {
		if v == nil {
			d.Executions[k] = []ExecutionLog{}
		}
	}
}

func (d *Dataset) validate() error {
	seen := map[string]string{}
	for region, id := range d.Projects {
		if region == "" || id == "" {
			return fmt.Errorf("projects: empty region or project id (%q: %q)", region, id)
		}
		if other, ok := seen[id]; ok {
			return fmt.Errorf("projects: project id %q used by regions %q and %q", id, other, region)
		}
		seen[id] = region
	}
	for k := range d.ScreenRecords {
		if k == "" {
			return errors.New("screen_records: empty screen record id")
		}
	}
	for k := range d.Workspaces {
		if k == "" {
			return errors.New("workspaces: empty workspace id")
		}
	}
	for k := range d.Executions {
		if k == "" {
			return errors.New("executions: empty execution id")
		}
	}
	return nil
}

// WriteFixture writes the dataset as indented JSON to path (mode 0644),
// in the format LoadFixture reads.
func (d *Dataset) WriteFixture(path string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("encode fixture: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("write fixture: %w", err)
	}
	return nil
}
