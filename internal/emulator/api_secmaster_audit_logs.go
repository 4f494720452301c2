package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// APIAuditLogs is SecMaster ListPlaybookAuditLogs,
// POST /v1/{project_id}/workspaces/{workspace_id}/soc/playbooks/instances/auditlogs.
const APIAuditLogs = "auditlogs"

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
		// Audit logs carry no id: changed-records leaves them alone.
		hostile: hostileFields{list: "audit_logs", count: "count", twin: [2]string{"status", "FINISHED"}},
	})
}

// auditFilter is the SecMaster request body; nil means not set.
type auditFilter struct {
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
	Status           *string `json:"status"`
	TriggerType      *string `json:"trigger_type"`
}

// auditSortKeys maps each sort_key to the field it sorts by: start_time
// and end_time, the values the official SDK's model allows
// (services/secmaster/v1/model/model_list_playbook_audit_logs_request.go).
// end_time sorts by the end time whichever key the answer sends it under.
var auditSortKeys = map[string]func(*AuditLog) string{
	"start_time": func(l *AuditLog) string { return l.StartTime },
	"end_time":   func(l *AuditLog) string { return l.EndTime },
}

type auditLogsResponse struct {
	Count     int           `json:"count"`
	AuditLogs []apiAuditLog `json:"audit_logs"`
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
	var f auditFilter
	if len(c.body) == 0 {
		return f, nil
	}
	if err := checkJSONContentType(c.r.Header.Get("Content-Type")); err != nil {
		return f, err
	}
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return f, errors.New("The request body holds no JSON object; send one ({} for no filters) or none")
		}
		return f, fmt.Errorf("The request body is not a valid filter object: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return f, errors.New("The request body has data after the JSON object")
	}
	enums := []struct {
		name    string
		v       *string
		allowed []string
	}{
		{"instance_type", f.InstanceType, auditInstanceTypes},
		{"status", f.Status, auditStatuses},
		{"trigger_type", f.TriggerType, auditTriggerTypes},
		{"log_level", f.LogLevel, auditLogLevels},
	}
	for _, e := range enums {
		if e.v != nil && !slices.Contains(e.allowed, *e.v) {
			return f, fmt.Errorf("Invalid parameter %s: %q is not one of %s", e.name, *e.v, strings.Join(e.allowed, ", "))
		}
	}
	return f, nil
}

// bodyTime parses a time of the filter body.
func bodyTime(name string, v *string) (time.Time, error) {
	if v == nil {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, *v)
	if err != nil {
		return t, fmt.Errorf("Invalid parameter %s: %q is not an RFC 3339 time such as 2021-01-30T23:00:00Z", name, *v)
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
		from, err := bodyTime("start_time", f.StartTime)
		p.fail(err)
		to, err := bodyTime("end_time", f.EndTime)
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
	logs, ok := s.data.Workspaces[ws]
	if !ok {
		return c.notFound(fmt.Sprintf("The workspace %s does not exist.", ws))
	}
	fkey, _ := json.Marshal(f)
	key := fmt.Sprintf("/%s?%s|%s|%s", ws, fkey, sortKey, sortDir)
	exact := func(want *string, got string) bool { return want == nil || *want == got }
	sub := func(want *string, got string) bool { return want == nil || strings.Contains(got, *want) }
	idx := s.cached(c.api.name+key, func() []int {
		out := keepIndexes(len(logs), func(i int) bool {
			l := &logs[i]
			return exact(f.InstanceType, l.InstanceType) && exact(f.Status, l.Status) &&
				exact(f.TriggerType, l.TriggerType) && exact(f.LogLevel, l.LogLevel) &&
				exact(f.ActionID, l.ActionID) && exact(f.InstanceID, l.InstanceID) &&
				exact(f.ParentInstanceID, l.ParentInstanceID) &&
				sub(f.ActionName, l.ActionName) && sub(f.Input, l.Input) &&
				sub(f.Output, l.Output) && sub(f.ErrorMsg, l.ErrorMsg) &&
				inRange(l.StartTime, from, f.StartTime != nil, time.Time{}, false) &&
				inRange(l.EndTime, time.Time{}, false, to, f.EndTime != nil)
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
	count, items := offsetPage(c, idx, offset, limit, func(i int) apiAuditLog { return logs[i].api() })
	return c.json(http.StatusOK, auditLogsResponse{Count: count, AuditLogs: items})
}
