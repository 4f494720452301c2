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
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Error codes the emulator uses for service-level errors (the documents only
// fix the shapes; these codes are the emulator's choice).
const (
	wksCodeBadRequest       = "WKS.00000400"
	wksCodeNotFound         = "WKS.00000404"
	secmasterCodeBadRequest = "SecMaster.00040001"
	secmasterCodeNotFound   = "SecMaster.00040401"
	// apigCodeProject: a project id in the path that is not one of the
	// account's projects is refused by the gateway with 403, before the
	// service sees the request.
	apigCodeProject = "APIG.0302"
)

// single returns the only value of a query parameter; a repeated
// parameter is an error.
func single(q url.Values, name string) (string, bool, error) {
	v, ok := q[name]
	switch {
	case !ok:
		return "", false, nil
	case len(v) > 1:
		return "", false, fmt.Errorf("Invalid parameter %s: it must not be repeated", name)
	}
	return v[0], true, nil
}

func intParam(q url.Values, name string, def, lo, hi int) (int, bool, error) {
	v, ok, err := single(q, name)
	if err != nil || !ok {
		return def, false, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		if hi == math.MaxInt32 {
			return 0, false, fmt.Errorf("Invalid parameter %s: %q is not an integer >= %d", name, v, lo)
		}
		return 0, false, fmt.Errorf("Invalid parameter %s: %q is not an integer from %d to %d", name, v, lo, hi)
	}
	return n, true, nil
}

func boolParam(q url.Values, name string) (value, set bool, err error) {
	v, ok, err := single(q, name)
	if err != nil || !ok {
		return false, false, err
	}
	switch v {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, false, fmt.Errorf("Invalid parameter %s: %q is not true or false", name, v)
}

func enumParam(q url.Values, name string, allowed []string) (string, bool, error) {
	v, ok, err := single(q, name)
	if err != nil || !ok {
		return "", false, err
	}
	if !slices.Contains(allowed, v) {
		return "", false, fmt.Errorf("Invalid parameter %s: %q is not one of %s", name, v, strings.Join(allowed, ", "))
	}
	return v, true, nil
}

func timeParam(q url.Values, name string) (time.Time, bool, error) {
	v, ok, err := single(q, name)
	if err != nil || !ok {
		return time.Time{}, false, err
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("Invalid parameter %s: %q is not an RFC 3339 time such as 2021-10-01T12:00:00Z", name, v)
	}
	return t, true, nil
}

// parseItemTime parses a time found in data: RFC 3339 (fractions allowed) or
// "2006-01-02 15:04:05" taken as UTC.
func parseItemTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.DateTime, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// withoutPaging is the canonical query minus offset and limit, used as a
// cache key for the filtered result.
func withoutPaging(q url.Values) string {
	c := url.Values{}
	for k, v := range q {
		if k != "offset" && k != "limit" {
			c[k] = v
		}
	}
	return canonicalQuery(c)
}

func page[T any](idx []int, offset, limit int, item func(int) T) []T {
	out := []T{}
	if offset >= len(idx) {
		return out
	}
	for _, i := range idx[offset:min(len(idx), offset+limit)] {
		out = append(out, item(i))
	}
	return out
}

func (c *call) drift(offset int) int {
	if offset > 0 {
		return c.faults.CountDrift
	}
	return 0
}

// checkProject refuses a project id that is not in the dataset (403, gateway shape).
func (s *Server) checkProject(c *call) *response {
	if _, ok := s.projects[c.rt.project]; ok {
		return nil
	}
	return c.hwError(http.StatusForbidden, apigCodeProject,
		fmt.Sprintf("The IAM user is forbidden in the currently selected region: project %s is not a project of this account.", c.rt.project))
}

type iamLinks struct {
	Self     string  `json:"self"`
	Previous *string `json:"previous"`
	Next     *string `json:"next"`
}

type iamSelfLink struct {
	Self string `json:"self"`
}

type iamProject struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	DomainID    string      `json:"domain_id"`
	Enabled     bool        `json:"enabled"`
	Description string      `json:"description"`
	ParentID    string      `json:"parent_id"`
	IsDomain    bool        `json:"is_domain"`
	Links       iamSelfLink `json:"links"`
}

type iamProjectsResponse struct {
	Projects []iamProject `json:"projects"`
	Links    iamLinks     `json:"links"`
}

// handleIAM answers GET /v3/projects[?name=region].
func (s *Server) handleIAM(c *call) *response {
	name, byName, err := single(c.query, "name")
	if err != nil {
		return c.serviceError(http.StatusBadRequest, err.Error())
	}
	base := "http://" + c.r.Host
	regions := make([]string, 0, len(s.data.Projects))
	for r := range s.data.Projects {
		if !byName || r == name {
			regions = append(regions, r)
		}
	}
	slices.Sort(regions)
	out := iamProjectsResponse{Projects: []iamProject{}, Links: iamLinks{Self: base + c.r.URL.RequestURI()}}
	for _, r := range regions {
		id := s.data.Projects[r]
		out.Projects = append(out.Projects, iamProject{
			ID: id, Name: r, DomainID: DomainID(), Enabled: true, ParentID: DomainID(),
			Links: iamSelfLink{Self: base + "/v3/projects/" + id},
		})
	}
	return c.json(http.StatusOK, out)
}

type scriptRecordsResponse struct {
	Count         int               `json:"count"`
	ScriptRecords []apiScriptRecord `json:"script_records"`
}

// handleScriptRecords answers GET /v2/{project_id}/script-execution-records.
func (s *Server) handleScriptRecords(c *call) *response {
	if resp := s.checkProject(c); resp != nil {
		return resp
	}
	q := c.query
	bad := func(err error) *response { return c.serviceError(http.StatusBadRequest, err.Error()) }
	offset, _, err := intParam(q, "offset", 0, 0, math.MaxInt32)
	if err != nil {
		return bad(err)
	}
	limit, _, err := intParam(q, "limit", 10, 1, 100)
	if err != nil {
		return bad(err)
	}
	status, byStatus, err := single(q, "status")
	if err != nil {
		return bad(err)
	}
	firstOrder, byFirst, err := boolParam(q, "is_first_order")
	if err != nil {
		return bad(err)
	}
	taskID, byTask, err := single(q, "script_task_id")
	if err != nil {
		return bad(err)
	}
	taskType, byType, err := enumParam(q, "task_type", []string{"SCRIPT", "COMMAND"})
	if err != nil {
		return bad(err)
	}
	showHistory, _, err := boolParam(q, "show_history")
	if err != nil {
		return bad(err)
	}
	if showHistory && (len(q["resource_id"]) == 0 || len(q["script_id"]) == 0) {
		return bad(errors.New("Invalid parameter show_history: when it is true, both resource_id and script_id must be given"))
	}
	from, byFrom, err := timeParam(q, "execute_time_start")
	if err != nil {
		return bad(err)
	}
	to, byTo, err := timeParam(q, "execute_time_end")
	if err != nil {
		return bad(err)
	}
	inList := func(name, v string) bool {
		vals, ok := q[name]
		return !ok || slices.Contains(vals, v)
	}
	recs := s.data.ScriptRecords
	idx := s.cached(APIScriptRecords+"?"+withoutPaging(q), func() []int {
		out := []int{}
		for i := range recs {
			r := &recs[i]
			if r.History && !showHistory ||
				!inList("resource_id", r.ResourceID) || !inList("resource_group_id", r.ResourceGroupID) ||
				!inList("script_id", r.ScriptID) || !inList("script_name", r.ScriptName) ||
				byStatus && r.Status != status || byFirst && r.IsFirstOrder != firstOrder ||
				byTask && r.ScriptTaskID != taskID || byType && r.TaskType != taskType {
				continue
			}
			if byFrom || byTo {
				t, ok := parseItemTime(r.StartTime)
				if !ok || byFrom && t.Before(from) || byTo && t.After(to) {
					continue
				}
			}
			out = append(out, i)
		}
		return out
	})
	return c.json(http.StatusOK, scriptRecordsResponse{
		Count:         len(idx) + c.drift(offset),
		ScriptRecords: page(idx, offset, limit, func(i int) apiScriptRecord { return recs[i].api() }),
	})
}

type desktopEventsResponse struct {
	TotalCount int            `json:"total_count"`
	Operations []DesktopEvent `json:"operations"`
}

// handleDesktopEvents answers GET /v2/{project_id}/screen-records/{record_id}/os-operations.
func (s *Server) handleDesktopEvents(c *call) *response {
	if resp := s.checkProject(c); resp != nil {
		return resp
	}
	q := c.query
	bad := func(err error) *response { return c.serviceError(http.StatusBadRequest, err.Error()) }
	offset, _, err := intParam(q, "offset", 0, 0, math.MaxInt32)
	if err != nil {
		return bad(err)
	}
	// The references disagree on the range (0..100 default 10, or 0..1000
	// default 100): the official SDK's model (huaweicloud-sdk-go-v3,
	// services/workspace/v2/model/model_list_desktop_operations_request.go)
	// says 0..1000, default 100.
	limit, _, err := intParam(q, "limit", 100, 0, 1000)
	if err != nil {
		return bad(err)
	}
	evType, byType, err := enumParam(q, "event_type", []string{"APP", "FILE", "REG", "HDP"})
	if err != nil {
		return bad(err)
	}
	// Any event_id string: the official SDK's model has no list (ids
	// beyond the document exist); an id no event has matches nothing.
	evID, byID, err := single(q, "event_id")
	if err != nil {
		return bad(err)
	}
	level, byLevel, err := enumParam(q, "event_level", []string{"INFO", "ALARM", "ERROR"})
	if err != nil {
		return bad(err)
	}
	data, byData, err := single(q, "event_data")
	if err != nil {
		return bad(err)
	}
	evs, ok := s.data.ScreenRecords[c.rt.recordID]
	if !ok {
		return c.hwError(http.StatusNotFound, wksCodeNotFound, fmt.Sprintf("The screen record %s does not exist.", c.rt.recordID))
	}
	key := APIDesktopEvents + "/" + c.rt.recordID + "?" + withoutPaging(q)
	idx := s.cached(key, func() []int {
		out := []int{}
		for i := range evs {
			e := &evs[i]
			if byType && e.EventType != evType || byID && e.EventID != evID ||
				byLevel && e.EventLevel != level || byData && !strings.Contains(e.EventData, data) {
				continue
			}
			out = append(out, i)
		}
		return out
	})
	return c.json(http.StatusOK, desktopEventsResponse{
		TotalCount: len(idx) + c.drift(offset),
		Operations: page(idx, offset, limit, func(i int) DesktopEvent { return evs[i] }),
	})
}

// AuditLogsWindow bounds SecMaster paging: a request is refused unless
// offset + limit < AuditLogsWindow.
const AuditLogsWindow = 10000

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

// handleAuditLogs answers POST /v1/{project_id}/workspaces/{workspace_id}/soc/playbooks/instances/auditlogs.
func (s *Server) handleAuditLogs(c *call) *response {
	if resp := s.checkProject(c); resp != nil {
		return resp
	}
	q := c.query
	bad := func(err error) *response {
		return c.secmasterError(http.StatusBadRequest, secmasterCodeBadRequest, err.Error())
	}
	for _, name := range []string{"offset", "limit"} {
		if _, ok := q[name]; !ok {
			return bad(fmt.Errorf("Invalid parameter %s: it is mandatory", name))
		}
	}
	offset, _, err := intParam(q, "offset", 0, 0, math.MaxInt32)
	if err != nil {
		return bad(err)
	}
	// limit from 1 (the official SDK's model) to 50 (the full reference,
	// which gives 10..50).
	limit, _, err := intParam(q, "limit", 0, 1, 50)
	if err != nil {
		return bad(err)
	}
	// The SDK's model: "limit 和 offset相加需要小于10000" (offset + limit
	// must be less than 10000), so a query reaches its first 9,999 logs only.
	if offset+limit >= AuditLogsWindow {
		return bad(fmt.Errorf("Invalid parameters offset and limit: offset + limit (%d + %d) must be less than %d", offset, limit, AuditLogsWindow))
	}
	sortKey, bySort, err := single(q, "sort_key")
	if err != nil {
		return bad(err)
	}
	if _, ok := auditSortKeys[sortKey]; bySort && !ok {
		return bad(fmt.Errorf("Invalid parameter sort_key: %q is not start_time or end_time", sortKey))
	}
	sortDir, _, err := enumParam(q, "sort_dir", []string{"asc", "desc"})
	if err != nil {
		return bad(err)
	}
	// The body is optional (the SDK's model: Body *AuditLogInfo,
	// omitempty): none means no filters.
	var f auditFilter
	if len(c.body) > 0 {
		if err := checkJSONContentType(c.r.Header.Get("Content-Type")); err != nil {
			return bad(err)
		}
		dec := json.NewDecoder(bytes.NewReader(c.body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			if errors.Is(err, io.EOF) {
				return bad(errors.New("The request body holds no JSON object; send one ({} for no filters) or none"))
			}
			return bad(fmt.Errorf("The request body is not a valid filter object: %w", err))
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return bad(errors.New("The request body has data after the JSON object"))
		}
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
			return bad(fmt.Errorf("Invalid parameter %s: %q is not one of %s", e.name, *e.v, strings.Join(e.allowed, ", ")))
		}
	}
	var from, to time.Time
	for _, t := range []struct {
		name string
		v    *string
		dst  *time.Time
	}{{"start_time", f.StartTime, &from}, {"end_time", f.EndTime, &to}} {
		if t.v == nil {
			continue
		}
		tt, err := time.Parse(time.RFC3339, *t.v)
		if err != nil {
			return bad(fmt.Errorf("Invalid parameter %s: %q is not an RFC 3339 time such as 2021-01-30T23:00:00Z", t.name, *t.v))
		}
		*t.dst = tt
	}
	logs, ok := s.data.Workspaces[c.rt.workspace]
	if !ok {
		return c.secmasterError(http.StatusNotFound, secmasterCodeNotFound, fmt.Sprintf("The workspace %s does not exist.", c.rt.workspace))
	}
	fkey, _ := json.Marshal(f)
	key := fmt.Sprintf("%s/%s?%s|%s|%s", APIAuditLogs, c.rt.workspace, fkey, sortKey, sortDir)
	exact := func(want *string, got string) bool { return want == nil || *want == got }
	sub := func(want *string, got string) bool { return want == nil || strings.Contains(got, *want) }
	idx := s.cached(key, func() []int {
		out := []int{}
		for i := range logs {
			l := &logs[i]
			if !exact(f.InstanceType, l.InstanceType) || !exact(f.Status, l.Status) ||
				!exact(f.TriggerType, l.TriggerType) || !exact(f.LogLevel, l.LogLevel) ||
				!exact(f.ActionID, l.ActionID) || !exact(f.InstanceID, l.InstanceID) ||
				!exact(f.ParentInstanceID, l.ParentInstanceID) ||
				!sub(f.ActionName, l.ActionName) || !sub(f.Input, l.Input) ||
				!sub(f.Output, l.Output) || !sub(f.ErrorMsg, l.ErrorMsg) {
				continue
			}
			if f.StartTime != nil {
				t, ok := parseItemTime(l.StartTime)
				if !ok || t.Before(from) {
					continue
				}
			}
			if f.EndTime != nil {
				t, ok := parseItemTime(l.EndTime)
				if !ok || t.After(to) {
					continue
				}
			}
			out = append(out, i)
		}
		if bySort {
			get := auditSortKeys[sortKey]
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
	return c.json(http.StatusOK, auditLogsResponse{
		Count:     len(idx) + c.drift(offset),
		AuditLogs: page(idx, offset, limit, func(i int) apiAuditLog { return logs[i].api() }),
	})
}
