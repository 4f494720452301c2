package emulator

import (
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// APIScriptRecords is Workspace ListScriptExecutionRecords,
// GET /v2/{project_id}/script-execution-records: the records of
// Dataset.ScriptRecords, the same in every project. Filters: repeated
// resource_id, resource_group_id, script_id and script_name keys form a
// list and a record matches when its field equals any value; status,
// script_task_id, task_type (SCRIPT|COMMAND) and is_first_order match
// exactly; execute_time_start <= start_time <= execute_time_end
// (inclusive, RFC 3339). Without show_history=true only records whose
// History is false are returned; show_history=true needs resource_id and
// script_id and returns history too. count is every match. Paging: offset
// (default 0), limit 1..100 (default 10).
const APIScriptRecords = "script-execution-records"

// SizeScriptRecords is the Sizes key (and the emulator command's flag) of
// the number of generated script records.
const SizeScriptRecords = "script-records"

// scriptRecords is the part of the Dataset the API serves.
var scriptRecords = &itemList[ScriptRecord]{
	jsonKey: "script_records",
	size:    SizeFlag{Name: SizeScriptRecords, Default: 250, Usage: "generated Workspace script execution records"},
	gen:     genScriptRecords,
	sum: summarySpec[ScriptRecord]{name: "Workspace script execution records",
		timeField: "start_time", timeOf: func(r *ScriptRecord) string { return r.StartTime },
		fields: []itemField[ScriptRecord]{
			field("script_names", func(r *ScriptRecord) string { return r.ScriptName }),
			field("resource_group_ids", func(r *ScriptRecord) string { return r.ResourceGroupID }),
			field("resource_ids", func(r *ScriptRecord) string { return r.ResourceID }),
			field("script_ids", func(r *ScriptRecord) string { return r.ScriptID }),
			field("status", func(r *ScriptRecord) string { return r.Status }),
			field("task_type", func(r *ScriptRecord) string { return r.TaskType }),
		}},
}

// ScriptRecords are the Workspace script execution records; every
// project sees the same records, in this order.
func (d *Dataset) ScriptRecords() []ScriptRecord { return scriptRecords.of(d) }

// SetScriptRecords replaces the script execution records.
func (d *Dataset) SetScriptRecords(recs []ScriptRecord) { scriptRecords.set(d, recs) }

func init() {
	register(&api{
		name: APIScriptRecords, order: 10, cloud: huawei,
		rest:   &restRoute{method: http.MethodGet, path: "/v2/{project_id}/script-execution-records"},
		handle: handleScriptRecords,
		codes:  codes{BadRequest: "WKS.00000400", NotFound: "WKS.00000404", ServerError: "WKS.00000500"},
		paging: offsetPaged,
		data:   scriptRecords,
		fixture: func() Fixture {
			return Fixture{
				TypeName: "opsaudit_huaweicloud_workspace_script_execution_records", Name: "script_records",
				Operation: "ListScriptExecutionRecords",
				// Without show_history only the latest record of each
				// (desktop, script) pair is returned: 8*max(4, N/10) of N
				// generated, so 5n/4 records give n.
				Sizes: func(n int) Sizes { return Sizes{SizeScriptRecords: n * 5 / 4} },
				Pages: 200, Args: map[string]string{}, Filter: map[string]string{"status": "FAILED"},
				Items: func(d *Dataset) any {
					var out []ScriptRecord
					for _, i := range latestRecords(d) {
						out = append(out, d.ScriptRecords()[i])
					}
					return out
				},
				Key:  "id",
				Mark: func(d *Dataset, marker string) { d.ScriptRecords()[latestRecords(d)[0]].Reason = marker },
				// The one parent of script records is the project: the
				// gateway refuses a project that does not exist.
				UnknownParent: map[string]string{"project_id": "0123456789abcdef0123456789abcdef"},
				ParentStatus:  http.StatusForbidden, ParentCode: "APIG.0302", ParentWhat: "0123456789abcdef0123456789abcdef",
			}
		},
		hostile: hostileFields{list: "script_records", count: "count",
			twin: [2]string{"status", "SUCCESS"}, changed: [2]string{"status", "FAILED"}, huge: "reason"},
	})
}

// ScriptRecord is one Workspace script execution record: what the API
// returns (ScriptRecordAnswer, the API reference's ScriptRecordSimpleInfo)
// and the fields that exist only for filtering, kept in the fixture JSON
// but never sent in answers.
type ScriptRecord struct {
	ScriptRecordAnswer

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

// ScriptRecordAnswer is a script execution record as the API returns it.
type ScriptRecordAnswer struct {
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

// handleScriptRecords answers GET /v2/{project_id}/script-execution-records.
func handleScriptRecords(s *Server, c *call) *response {
	q := c.query
	p := params{q: q}
	offset := p.int("offset", 0, 0, math.MaxInt32)
	limit := p.int("limit", 10, 1, 100)
	status, byStatus := p.single("status")
	firstOrder, byFirst := p.bool("is_first_order")
	taskID, byTask := p.single("script_task_id")
	taskType, byType := p.enum("task_type", []string{"SCRIPT", "COMMAND"})
	showHistory, _ := p.bool("show_history")
	if p.err == nil && showHistory && (len(q["resource_id"]) == 0 || len(q["script_id"]) == 0) {
		p.fail(errors.New("Invalid parameter show_history: when it is true, both resource_id and script_id must be given"))
	}
	from, byFrom := p.time("execute_time_start")
	to, byTo := p.time("execute_time_end")
	if p.err != nil {
		return c.serviceError(http.StatusBadRequest, p.err.Error())
	}
	inList := func(name, v string) bool {
		vals, ok := q[name]
		return !ok || slices.Contains(vals, v)
	}
	recs := s.data.ScriptRecords()
	idx := s.filter(c, "?"+withoutPaging(q), len(recs), func(i int) bool {
		r := &recs[i]
		return !(r.History && !showHistory) &&
			inList("resource_id", r.ResourceID) && inList("resource_group_id", r.ResourceGroupID) &&
			inList("script_id", r.ScriptID) && inList("script_name", r.ScriptName) &&
			!(byStatus && r.Status != status) && !(byFirst && r.IsFirstOrder != firstOrder) &&
			!(byTask && r.ScriptTaskID != taskID) && !(byType && r.TaskType != taskType) &&
			inRange(r.StartTime, from, byFrom, to, byTo)
	})
	return offsetAnswer(c, idx, offset, limit, func(i int) ScriptRecordAnswer { return recs[i].ScriptRecordAnswer })
}

// latestRecords are the indexes of the records read without
// show_history, in order.
func latestRecords(d *Dataset) []int {
	recs := d.ScriptRecords()
	return keepIndexes(len(recs), func(i int) bool { return !recs[i].History })
}

// Hostile values of the generated script records, so that filter tests
// can rely on them.
const (
	// HostileScriptID is the script_id of script 2.
	HostileScriptID = "script-02 " + HostileText
	// HostileScriptName is the script_name of script 3.
	HostileScriptName = "patch " + HostileText
	// HostileResourceID is the resource_id of desktop 2.
	HostileResourceID = "desktop-0002 " + HostileText
	// HostileResourceGroupID is the resource_group_id of group 2.
	HostileResourceGroupID = "rg-02 " + HostileText
)

const genScripts = 8

// genScriptNames: script 8 is the hardening script of README.md's first
// example; the policy-check examples audit install-agent and rotate-keys.
var genScriptNames = [genScripts]string{
	"collect-logs", "install-agent", HostileScriptName, "rotate-keys",
	`clean 临时 files & "cache"=all+tmp`, "sync-time", "check-disk 50%", "harden-desktop",
}

// genScriptRecords: ids "ser-000001".. newest first; record i (0-based)
// runs script i%8 ("script-01".."script-08", script 2 is HostileScriptID,
// script 3's name is HostileScriptName, script 8 is "harden-desktop", the
// script of README.md's first example) on desktop (i/8)%R with R = max(4,
// n/10) ("desktop-0001".., desktop 2 is HostileResourceID), in resource
// group "rg-01".."rg-04" by desktop (group 2 is HostileResourceGroupID).
// Every (resource, script) pair recurs every 8*R records; records are
// newest first, so the first 8*R records are the latest of their pair and
// the rest have History set. Task ids "task-00001-01" group five records
// of one script. Statuses SUCCESS, FAILED (always record 4, about 15%),
// RUNNING, WAITING; scripts 3 and 6 are COMMAND tasks, the rest SCRIPT.
func genScriptRecords(rng *rand.Rand, n int, end time.Time) []ScriptRecord {
	out := make([]ScriptRecord, n)
	if n == 0 {
		return out
	}
	nRes := max(4, n/10)
	scriptIDs := make([]string, genScripts)
	for s := range scriptIDs {
		scriptIDs[s] = "script-" + pad(s+1, 2)
	}
	scriptIDs[1] = HostileScriptID
	resIDs := make([]string, nRes)
	resNames := make([]string, nRes)
	resGroups := make([]string, nRes)
	groups := []string{"rg-01", HostileResourceGroupID, "rg-03 运维/ops", "rg-04"}
	for r := range nRes {
		k := r + 1
		resIDs[r] = "desktop-" + pad(k, 4)
		resNames[r] = "wks-desk-" + pad(k, 4)
		if k%10 == 7 {
			resIDs[r] += " 桌面/α & β=γ+δ"
			resNames[r] = "张三的桌面 #" + strconv.Itoa(k)
		}
		resGroups[r] = groups[r%len(groups)]
	}
	resIDs[1] = HostileResourceID
	span := 72 * time.Hour
	step := span / time.Duration(n)
	failReasons := []string{
		`exit code 1: "C:\temp\补丁 & x=1+2" not found (100%)`,
		"script timed out after 600s",
		"desktop is offline? retry #3",
	}
	failCodes := []string{"WKS.SCRIPT.0001", "EXIT_CODE_1", "TIMEOUT"}
	const ms = "2006-01-02T15:04:05.000Z"
	for i := range out {
		s := i % genScripts
		r := (i / genScripts) % nRes
		start := end.Add(-time.Duration(i) * step)
		if step > 1 {
			start = start.Add(-time.Duration(rng.Int64N(int64(step))))
		}
		start = start.Truncate(time.Millisecond)
		order := rng.IntN(3)
		rec := ScriptRecord{
			ScriptRecordAnswer: ScriptRecordAnswer{
				ID:           "ser-" + pad(i+1, 6),
				ScriptID:     scriptIDs[s],
				ScriptName:   genScriptNames[s],
				ScriptTaskID: "task-" + pad(i/(genScripts*5)+1, 5) + "-" + pad(s+1, 2),
				ResourceID:   resIDs[r],
				ResourceName: resNames[r],
				ResourceType: "DESKTOP",
				StartTime:    start.Format(ms),
				ExecuteOrder: order,
			},
			ResourceGroupID: resGroups[r],
			IsFirstOrder:    order != 2,
			TaskType:        "SCRIPT",
			History:         i >= genScripts*nRes,
		}
		if s%3 == 2 {
			rec.TaskType = "COMMAND"
		}
		p := rng.IntN(100)
		switch {
		case i == 3 || (p >= 70 && p < 85):
			rec.Status = "FAILED"
			rec.ResultCode = failCodes[i%len(failCodes)]
			rec.Reason = failReasons[i%len(failReasons)]
		case p < 70:
			rec.Status = "SUCCESS"
		case p < 93:
			rec.Status = "RUNNING"
		default:
			rec.Status = "WAITING"
		}
		if rec.Status == "SUCCESS" || rec.Status == "FAILED" {
			rec.EndTime = notAfter(start.Add(time.Duration(5000+rng.IntN(595000))*time.Millisecond), end).Format(ms)
		}
		out[i] = rec
	}
	return out
}
