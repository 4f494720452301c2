package emulator

import (
	"errors"
	"math"
	"net/http"
	"slices"
)

// APIScriptRecords is Workspace ListScriptExecutionRecords,
// GET /v2/{project_id}/script-execution-records.
const APIScriptRecords = "script-execution-records"

func init() {
	register(&api{
		name: APIScriptRecords, order: 10, cloud: huawei,
		rest:   &restRoute{method: http.MethodGet, path: "/v2/{project_id}/script-execution-records"},
		handle: handleScriptRecords,
		codes:  codes{BadRequest: "WKS.00000400", NotFound: "WKS.00000404", ServerError: "WKS.00000500"},
		paging: offsetPaged,
		hostile: hostileFields{list: "script_records", count: "count",
			twin: [2]string{"status", "SUCCESS"}, changed: [2]string{"status", "FAILED"}},
	})
}

type scriptRecordsResponse struct {
	Count         int               `json:"count"`
	ScriptRecords []apiScriptRecord `json:"script_records"`
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
	recs := s.data.ScriptRecords
	idx := s.filter(c, "?"+withoutPaging(q), len(recs), func(i int) bool {
		r := &recs[i]
		return !(r.History && !showHistory) &&
			inList("resource_id", r.ResourceID) && inList("resource_group_id", r.ResourceGroupID) &&
			inList("script_id", r.ScriptID) && inList("script_name", r.ScriptName) &&
			!(byStatus && r.Status != status) && !(byFirst && r.IsFirstOrder != firstOrder) &&
			!(byTask && r.ScriptTaskID != taskID) && !(byType && r.TaskType != taskType) &&
			inRange(r.StartTime, from, byFrom, to, byTo)
	})
	count, items := offsetPage(c, idx, offset, limit, func(i int) apiScriptRecord { return recs[i].api() })
	return c.json(http.StatusOK, scriptRecordsResponse{Count: count, ScriptRecords: items})
}
