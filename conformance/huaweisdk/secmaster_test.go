package huaweisdk

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/secmaster/v1/model"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// auditLogAnswer is an audit log as the SDK's model (AuditLogInfo) has
// it: thirteen fields, end_time among them.
type auditLogAnswer struct {
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
}

func answerOf(l emulator.AuditLog) auditLogAnswer {
	return auditLogAnswer{l.InstanceType, l.ActionID, l.ActionName, l.InstanceID, l.ParentInstanceID, l.LogLevel,
		l.Input, l.Output, l.ErrorMsg, l.StartTime, l.EndTime, l.Status, l.TriggerType}
}

type auditCase struct {
	body             *model.AuditLogInfo
	sortKey, sortDir string
	match            func(l emulator.AuditLog) bool
}

func TestListPlaybookAuditLogs(t *testing.T) {
	data := env.Server.Data()
	ws := emulator.WorkspaceID(1)
	from := emulator.DataEnd.Add(-40 * time.Hour).UTC().Format(time.RFC3339)
	to := emulator.DataEnd.Add(-10 * time.Hour).In(time.FixedZone("", -5*3600)).Format(time.RFC3339)
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339Nano, s); return v }
	cases := map[string]auditCase{
		"no filter": {},
		"empty body": {body: &model.AuditLogInfo{},
			match: func(emulator.AuditLog) bool { return true }},
		"failed playbooks": {body: &model.AuditLogInfo{InstanceType: ptr("PLAYBOOK"), Status: ptr("FAILED")},
			match: func(l emulator.AuditLog) bool { return l.InstanceType == "PLAYBOOK" && l.Status == "FAILED" }},
		"timer errors": {body: &model.AuditLogInfo{TriggerType: ptr("TIMER"), LogLevel: ptr("ERROR")},
			match: func(l emulator.AuditLog) bool { return l.TriggerType == "TIMER" && l.LogLevel == "ERROR" }},
		"hostile action id": {body: &model.AuditLogInfo{ActionId: ptr(emulator.HostileActionID)},
			match: func(l emulator.AuditLog) bool { return l.ActionID == emulator.HostileActionID }},
		"hostile action name, part": {body: &model.AuditLogInfo{ActionName: ptr(emulator.HostileText)},
			match: func(l emulator.AuditLog) bool { return strings.Contains(l.ActionName, emulator.HostileText) }},
		"hostile text in input": {body: &model.AuditLogInfo{Input: ptr(`"hardening"=v1+2`)},
			match: func(l emulator.AuditLog) bool { return strings.Contains(l.Input, `"hardening"=v1+2`) }},
		"time window": {body: &model.AuditLogInfo{StartTime: &from, EndTime: &to},
			match: func(l emulator.AuditLog) bool {
				return !at(l.StartTime).Before(at(from)) && !at(l.EndTime).After(at(to))
			}},
		"sorted by start, descending": {sortKey: "start_time", sortDir: "desc"},
		"sorted by end, ascending":    {sortKey: "end_time", sortDir: "asc"},
	}
	client := secmasterClient(t, demoKeys)
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var logs []emulator.AuditLog
			for _, l := range data.Workspaces()[ws] {
				if c.match == nil || c.match(l) {
					logs = append(logs, l)
				}
			}
			if c.sortKey != "" {
				key := func(l emulator.AuditLog) string { return l.StartTime }
				if c.sortKey == "end_time" {
					key = func(l emulator.AuditLog) string { return l.EndTime }
				}
				sort.SliceStable(logs, func(i, j int) bool {
					if c.sortDir == "desc" {
						return key(logs[i]) > key(logs[j])
					}
					return key(logs[i]) < key(logs[j])
				})
			}
			if len(logs) == 0 {
				t.Fatal("the filter matches nothing in the data: the case tests nothing")
			}
			want := make([]any, len(logs))
			for i, l := range logs {
				want[i] = answerOf(l)
			}
			const limit = 50 // the largest the API takes
			readAll(t, "audit_logs", limit, want, func(offset int) (*int32, *[]model.AuditLogInfo, error) {
				req := &model.ListPlaybookAuditLogsRequest{ContentType: "application/json;charset=UTF-8", WorkspaceId: ws,
					Offset: int64(offset), Limit: limit, Body: c.body}
				if c.sortKey != "" {
					req.SortKey = ptr(c.sortKey)
					dir := model.GetListPlaybookAuditLogsRequestSortDirEnum().ASC
					if c.sortDir == "desc" {
						dir = model.GetListPlaybookAuditLogsRequestSortDirEnum().DESC
					}
					req.SortDir = &dir
				}
				resp, err := client.ListPlaybookAuditLogs(req)
				if err != nil {
					return nil, nil, err
				}
				if resp.XRequestId == nil || *resp.XRequestId == "" {
					t.Error("the SDK's model has X-request-id: none decoded")
				}
				return resp.Count, resp.AuditLogs, nil
			})
		})
	}
	// The SDK's model: offset + limit must stay under 10000; the service
	// refuses a request past it in SecMaster's error shape.
	t.Run("past the window", func(t *testing.T) {
		_, err := client.ListPlaybookAuditLogs(&model.ListPlaybookAuditLogsRequest{ContentType: "application/json;charset=UTF-8",
			WorkspaceId: ws, Offset: emulator.AuditLogsWindow - 10, Limit: 10})
		se := apiError(t, err)
		if se.StatusCode != 400 || se.ErrorCode == "" {
			t.Fatalf("status %d code %q: %s", se.StatusCode, se.ErrorCode, se.ErrorMessage)
		}
	})
	t.Run("unknown workspace", func(t *testing.T) {
		_, err := client.ListPlaybookAuditLogs(&model.ListPlaybookAuditLogsRequest{ContentType: "application/json;charset=UTF-8",
			WorkspaceId: fmt.Sprintf("ws-%d", 9999), Offset: 0, Limit: 10})
		if se := apiError(t, err); se.StatusCode != 404 {
			t.Fatalf("status %d code %q", se.StatusCode, se.ErrorCode)
		}
	})
}
