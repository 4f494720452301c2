package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"
)

// APIAuditLogs is SecMaster ListPlaybookAuditLogs,
// POST /v1/{project_id}/workspaces/{workspace_id}/soc/playbooks/instances/auditlogs:
// the logs of Dataset.Workspaces()[workspace_id] (404 SecMaster.00040401
// for another workspace). Paging: offset and limit are mandatory, limit
// 1..50, and a request is refused unless offset + limit < AuditLogsWindow
// (the official SDK's model). The body is optional (none means no filter;
// a body must be JSON with a JSON Content-Type): instance_type, status,
// trigger_type, log_level (validated), action_id, instance_id and
// parent_instance_id match exactly; action_name, input, output and
// error_msg are case-sensitive substrings; start_time keeps logs starting
// at or after it and end_time keeps logs whose end (or last report) time
// is at or before it. sort_key is start_time or end_time (the official
// SDK's model; anything else is a 400), a stable string comparison of
// that time (end_time: whichever key it is sent under); without it,
// dataset order.
const APIAuditLogs = "auditlogs"

// The Sizes keys (and the emulator command's flags) of the generated
// SecMaster workspaces and of their audit logs.
const (
	SizeWorkspaces            = "workspaces"
	SizeAuditLogsPerWorkspace = "audit-logs"
)

// workspaces is the part of the Dataset the API serves.
var workspaces = &itemGroups[AuditLog]{
	jsonKey: "workspaces", parent: "workspace",
	parents: SizeFlag{Name: SizeWorkspaces, Default: 2, Usage: "generated SecMaster workspaces"},
	per:     SizeFlag{Name: SizeAuditLogsPerWorkspace, Default: 120, Usage: "generated playbook audit logs per workspace"},
	gen:     genWorkspaces,
	sum: summarySpec[AuditLog]{name: "SecMaster playbook audit logs", keyField: "workspace_id",
		timeField: "start_time", timeOf: func(l *AuditLog) string { return l.StartTime },
		fields: []itemField[AuditLog]{
			field("action_name", func(l *AuditLog) string { return l.ActionName }),
			field("instance_type", func(l *AuditLog) string { return l.InstanceType }),
			field("status", func(l *AuditLog) string { return l.Status }),
			field("trigger_type", func(l *AuditLog) string { return l.TriggerType }),
			field("log_level", func(l *AuditLog) string { return l.LogLevel }),
		}},
}

// Workspaces maps a SecMaster workspace id to its playbook audit logs, in
// default answer order.
func (d *Dataset) Workspaces() map[string][]AuditLog { return workspaces.of(d) }

// SetWorkspaces replaces the SecMaster workspaces.
func (d *Dataset) SetWorkspaces(m map[string][]AuditLog) { workspaces.set(d, m) }

// AuditLogsWindow bounds SecMaster paging: a request is refused unless
// offset + limit < AuditLogsWindow.
const AuditLogsWindow = 10000

func init() {
	register(&api{
		name: APIAuditLogs, order: 30, cloud: huawei, shape: secmasterShape,
		rest: &restRoute{method: http.MethodPost,
			path: "/v1/{project_id}/workspaces/{workspace_id}/soc/playbooks/instances/auditlogs"},
		handle: handleAuditLogs,
		codes:  codes{BadRequest: "SecMaster.00040001", NotFound: "SecMaster.00040401", ServerError: "SecMaster.00050001"},
		paging: offsetPaged,
		data:   workspaces,
		fixture: func() Fixture {
			return workspaces.fixture(Fixture{
				TypeName: "opsaudit_huaweicloud_secmaster_playbook_audit_logs", Name: "audit_logs",
				Operation: "ListPlaybookAuditLogs",
				// SecMaster serves a query while offset + limit < 10000
				// (the official SDK's model): 9,950 logs are the most it
				// serves in whole pages of 50.
				Pages: 120, MaxItems: 9950,
				Args: map[string]string{"workspace_id": WorkspaceID(1)},
				Filter: map[string]string{"start_time": "2020-01-01T00:00:00+08:00", "end_time": "2030-01-01T00:00:00Z",
					"sort_dir": "desc"},
				Key:           "instance_id",
				UnknownParent: map[string]string{"workspace_id": "ws-9999"}, ParentWhat: "ws-9999",
			}, WorkspaceID(1), func(l *AuditLog) *string { return &l.Input })
		},
		// Audit logs carry no id: changed-records leaves them alone.
		hostile: hostileFields{list: "audit_logs", count: "count", twin: [2]string{"status", "FINISHED"}, huge: "input"},
	})
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

// apiAuditLog is the answer form of an AuditLog: its fields, the end
// time under end_time or last_report_time (EndTime may then be ""). The
// fields below shadow the dataset's end_time and its fixture-only flags,
// which are never sent.
type apiAuditLog struct {
	AuditLog
	EndTime           *string   `json:"end_time,omitempty"`
	LastReportTime    *string   `json:"last_report_time,omitempty"`
	UseLastReportTime *struct{} `json:"use_last_report_time,omitempty"`
	EmptyEndTime      *struct{} `json:"empty_end_time,omitempty"`
}

func (l *AuditLog) api() apiAuditLog {
	a := apiAuditLog{AuditLog: *l}
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

// auditFilter is the SecMaster request body, an AuditLogInfo (the SDK's
// model) whose fields are filters: the AuditLog fields set, by JSON name.
type auditFilter map[string]string

// auditFields are the JSON names of AuditLog's API fields (the fixture's
// own flags left out) and the field each names.
var auditFields = func() map[string]int {
	out := map[string]int{}
	t := reflect.TypeFor[AuditLog]()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); t.Field(i).Type.Kind() == reflect.String {
			out[name] = i
		}
	}
	return out
}()

// get is the filter on field name, and whether it is set.
func (f auditFilter) get(name string) (string, bool) { v, ok := f[name]; return v, ok }

// matches reports whether l passes the filters of the exact fields
// (matched whole) and of the others (matched as a substring); the times
// are filtered apart (inRange).
func (f auditFilter) matches(l *AuditLog) bool {
	v := reflect.ValueOf(l).Elem()
	for name, want := range f {
		if name == "start_time" || name == "end_time" {
			continue
		}
		got := v.Field(auditFields[name]).String()
		if slices.Contains(auditExactFields, name) && got != want || !strings.Contains(got, want) {
			return false
		}
	}
	return true
}

// auditExactFields are matched whole; the other text fields of the filter
// (action_name, input, output, error_msg) as substrings.
var auditExactFields = []string{"instance_type", "status", "trigger_type", "log_level", "action_id", "instance_id", "parent_instance_id"}

// auditSortKeys maps each sort_key to the field it sorts by: start_time
// and end_time, the values the official SDK's model allows
// (services/secmaster/v1/model/model_list_playbook_audit_logs_request.go).
// end_time sorts by the end time whichever key the answer sends it under.
var auditSortKeys = map[string]func(*AuditLog) string{
	"start_time": func(l *AuditLog) string { return l.StartTime },
	"end_time":   func(l *AuditLog) string { return l.EndTime },
}

func checkJSONContentType(ct string) error {
	if ct == "" {
		return errors.New("Content-Type must be application/json;charset=UTF-8")
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return fmt.Errorf("Content-Type %q is not supported; use application/json;charset=UTF-8", ct)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return fmt.Errorf("Content-Type charset %q is not supported; use UTF-8", cs)
	}
	return nil
}

// auditBody decodes the optional filter body (the SDK's model: Body
// *AuditLogInfo, omitempty): none means no filters.
func auditBody(c *call) (auditFilter, error) {
	f := auditFilter{}
	if len(c.body) == 0 {
		return f, nil
	}
	if err := checkJSONContentType(c.r.Header.Get("Content-Type")); err != nil {
		return f, err
	}
	var fields map[string]*string // null is "not set", as in the SDK's model
	dec := json.NewDecoder(bytes.NewReader(c.body))
	if err := dec.Decode(&fields); err != nil {
		if errors.Is(err, io.EOF) {
			return f, errors.New("The request body holds no JSON object; send one ({} for no filters) or none")
		}
		return f, fmt.Errorf("The request body is not a valid filter object: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return f, errors.New("The request body has data after the JSON object")
	}
	for name, v := range fields {
		if _, ok := auditFields[name]; !ok {
			return f, fmt.Errorf("The request body is not a valid filter object: json: unknown field %q", name)
		}
		if v != nil {
			f[name] = *v
		}
	}
	for name, allowed := range map[string][]string{"instance_type": auditInstanceTypes, "status": auditStatuses,
		"trigger_type": auditTriggerTypes, "log_level": auditLogLevels} {
		if v, ok := f.get(name); ok && !slices.Contains(allowed, v) {
			return f, fmt.Errorf("Invalid parameter %s: %q is not one of %s", name, v, strings.Join(allowed, ", "))
		}
	}
	return f, nil
}

// bodyTime parses the time of the filter body named name.
func bodyTime(f auditFilter, name string) (time.Time, error) {
	v, ok := f.get(name)
	if !ok {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, fmt.Errorf("Invalid parameter %s: %q is not an RFC 3339 time such as 2021-01-30T23:00:00Z", name, v)
	}
	return t, nil
}

// handleAuditLogs answers POST /v1/{project_id}/workspaces/{workspace_id}/soc/playbooks/instances/auditlogs.
func handleAuditLogs(s *Server, c *call) *response {
	p := params{q: c.query}
	for _, name := range []string{"offset", "limit"} {
		if _, ok := c.query[name]; !ok {
			p.fail(fmt.Errorf("Invalid parameter %s: it is mandatory", name))
		}
	}
	offset := p.int("offset", 0, 0, math.MaxInt32)
	// limit from 1 (the official SDK's model) to 50 (the full reference,
	// which gives 10..50).
	limit := p.int("limit", 0, 1, 50)
	// The SDK's model: "limit 和 offset相加需要小于10000" (offset + limit
	// must be less than 10000), so a query reaches its first 9,999 logs only.
	if p.err == nil && offset+limit >= AuditLogsWindow {
		p.fail(fmt.Errorf("Invalid parameters offset and limit: offset + limit (%d + %d) must be less than %d", offset, limit, AuditLogsWindow))
	}
	sortKey, bySort := p.single("sort_key")
	if _, ok := auditSortKeys[sortKey]; p.err == nil && bySort && !ok {
		p.fail(fmt.Errorf("Invalid parameter sort_key: %q is not start_time or end_time", sortKey))
	}
	sortDir, _ := p.enum("sort_dir", []string{"asc", "desc"})
	if p.err == nil {
		f, err := auditBody(c)
		p.fail(err)
		from, err := bodyTime(f, "start_time")
		p.fail(err)
		to, err := bodyTime(f, "end_time")
		p.fail(err)
		if p.err == nil {
			return auditLogsPage(s, c, f, from, to, sortKey, sortDir, offset, limit)
		}
	}
	return c.serviceError(http.StatusBadRequest, p.err.Error())
}

// auditLogsPage answers a valid request.
func auditLogsPage(s *Server, c *call, f auditFilter, from, to time.Time, sortKey, sortDir string, offset, limit int) *response {
	ws := c.rt.params["workspace_id"]
	logs, ok := s.data.Workspaces()[ws]
	if !ok {
		return c.notFound(fmt.Sprintf("The workspace %s does not exist.", ws))
	}
	fkey, _ := json.Marshal(f)
	key := fmt.Sprintf("/%s?%s|%s|%s", ws, fkey, sortKey, sortDir)
	_, byFrom := f.get("start_time")
	_, byTo := f.get("end_time")
	idx := s.cached(c.api.name+key, func() []int {
		out := keepIndexes(len(logs), func(i int) bool {
			l := &logs[i]
			return f.matches(l) && inRange(l.StartTime, from, byFrom, time.Time{}, false) &&
				inRange(l.EndTime, time.Time{}, false, to, byTo)
		})
		if get := auditSortKeys[sortKey]; get != nil {
			desc := sortDir == "desc"
			sort.SliceStable(out, func(a, b int) bool {
				x, y := get(&logs[out[a]]), get(&logs[out[b]])
				if desc {
					return x > y
				}
				return x < y
			})
		}
		return out
	})
	return offsetAnswer(c, idx, offset, limit, func(i int) apiAuditLog { return logs[i].api() })
}

// WorkspaceID is the id of the n-th (1-based) generated SecMaster workspace: "ws-0001".
func WorkspaceID(n int) string { return fmt.Sprintf("ws-%04d", n) }

var (
	auditInstanceTypes = []string{"APP", "AOP_WORKFLOW", "SCRIPT", "PLAYBOOK", "TASK", "DEBUG"}
	auditStatuses      = []string{"CREATED", "RUNNING", "FINISHED", "FAILED", "RETRYING", "TERMINATING", "TERMINATED"}
	auditTriggerTypes  = []string{"DEBUG", "TIMER", "EVENT", "MANUAL"}
	auditLogLevels     = []string{"DEBUG", "INFO", "WARN", "ERROR"}
)

// Enumerations of the SecMaster audit log fields (every value the API
// reference names in its tables and example) that the emulator accepts and generates (copies; changing them
// changes nothing).
var (
	AuditInstanceTypes = slices.Clone(auditInstanceTypes)
	AuditStatuses      = slices.Clone(auditStatuses)
	AuditTriggerTypes  = slices.Clone(auditTriggerTypes)
	AuditLogLevels     = slices.Clone(auditLogLevels)
)

// Hostile values of the generated audit logs, so that filter tests can
// rely on them.
const (
	// HostileActionID is the SecMaster action_id of action 3.
	HostileActionID = "act-03 " + HostileText
	// HostileActionName is the SecMaster action_name of action 4.
	HostileActionName = "DisabledIp " + HostileText
)

var genActionIDs = []string{"act-01", "act-02", HostileActionID, "act-04", "act-05"}
var genActionNames = []string{"DisabledIp", "BlockDomain", "IsolateHost 主机", HostileActionName, "NotifyOwner & Close"}

// genWorkspaces: workspaces WorkspaceID(n) = "ws-0001"..; log i (0-based)
// has instance type i%6, and logs come in groups of six whose first (APP)
// log is the parent of the other five; logs cycle through every status,
// trigger_type and log_level; action ids "act-01".. (action 3 is
// HostileActionID, action 4 named HostileActionName); instance ids
// "inst-0001-0001" (every 9th carries HostileText). Every log answers
// end_time, as the official SDK's model (AuditLogInfo) has it: the
// last_report_time that live answers have been seen to carry instead
// is in no model and in no reference, so only a fixture asks for it
// (use_last_report_time, empty_end_time).
func genWorkspaces(rng *rand.Rand, n, per int, end time.Time) map[string][]AuditLog {
	out := make(map[string][]AuditLog, n)
	span := 72 * time.Hour
	base := end.Add(-span)
	for k := 1; k <= n; k++ {
		logs := make([]AuditLog, per)
		instID := func(i int) string {
			id := "inst-" + pad(k, 4) + "-" + pad(i+1, 4)
			if (i+1)%9 == 0 {
				id += " " + HostileText
			}
			return id
		}
		for i := range logs {
			a := (i / 6) % len(genActionIDs)
			status := auditStatuses[(i*3+i/7)%len(auditStatuses)]
			start := base.Add(time.Duration(rng.Int64N(int64(span/time.Second))) * time.Second)
			stop := notAfter(start.Add(time.Duration(1+rng.IntN(1200))*time.Second), end)
			l := AuditLog{
				InstanceType: auditInstanceTypes[i%6],
				ActionID:     genActionIDs[a],
				ActionName:   genActionNames[a],
				InstanceID:   instID(i),
				LogLevel:     auditLogLevels[(i+i/6)%len(auditLogLevels)],
				Input:        fmt.Sprintf(`{"ip":"10.0.%d.%d"}`, k, i%250),
				Output:       fmt.Sprintf(`{"result":"ok","affected":%d}`, i%7),
				StartTime:    start.Format(time.RFC3339),
				EndTime:      stop.Format(time.RFC3339),
				Status:       status,
				TriggerType:  auditTriggerTypes[(i+i/4)%len(auditTriggerTypes)],
			}
			if i%6 != 0 {
				l.ParentInstanceID = instID(i - i%6)
			}
			if i%3 == 0 {
				l.Input = fmt.Sprintf("ip=10.0.%d.%d&note=%s", k, i%250, HostileText)
			}
			if i%4 == 1 {
				l.Output = "blocked: " + HostileText
			}
			if status == "FAILED" {
				l.ErrorMsg = `timeout & retry=3 "exhausted" 50%/x?y#z 失败`
			}
			logs[i] = l
		}
		out[WorkspaceID(k)] = logs
	}
	return out
}
