package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

const (
	oosAction  = "ListExecutionLogs"
	oosVersion = "2019-06-01"
)

// tokenKey authenticates NextToken values; tokens only need to be opaque
// and tamper-evident, so a fixed key keeps them deterministic.
var tokenKey = []byte("opsaudit-emulator/next-token/v1")

// nextToken is what a NextToken carries: the parameters it is bound to and
// the offset of the next page.
type nextToken struct {
	ExecutionID     string `json:"e"`
	TaskExecutionID string `json:"t,omitempty"`
	LogType         string `json:"l,omitempty"`
	MaxResults      int    `json:"m"`
	Offset          int    `json:"o"`
}

func (t nextToken) encode() string {
	payload, _ := json.Marshal(t)
	m := hmac.New(sha256.New, tokenKey)
	m.Write(payload)
	return base64.RawURLEncoding.EncodeToString(append(m.Sum(nil)[:16], payload...))
}

func decodeToken(s string) (nextToken, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) <= 16 {
		return nextToken{}, false
	}
	mac, payload := b[:16], b[16:]
	m := hmac.New(sha256.New, tokenKey)
	m.Write(payload)
	if !hmac.Equal(mac, m.Sum(nil)[:16]) {
		return nextToken{}, false
	}
	var t nextToken
	if err := json.Unmarshal(payload, &t); err != nil || t.Offset < 0 {
		return nextToken{}, false
	}
	return t, true
}

type executionLogsResponse struct {
	RequestID     string         `json:"RequestId"`
	MaxResults    int            `json:"MaxResults"`
	NextToken     string         `json:"NextToken,omitempty"`
	IsTruncated   bool           `json:"IsTruncated"`
	ExecutionLogs []ExecutionLog `json:"ExecutionLogs"`
}

// handleExecutionLogs answers the OOS RPC ListExecutionLogs (POST or GET /).
func (s *Server) handleExecutionLogs(c *call) *response {
	q := c.query
	bad := func(code, msg string) *response { return c.aliError(http.StatusBadRequest, code, msg) }
	action := c.r.Header.Get("x-acs-action")
	if action == "" {
		action = q.Get("Action")
	}
	if action != oosAction {
		return bad("InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
	}
	version := c.r.Header.Get("x-acs-version")
	if version == "" {
		version = q.Get("Version")
	}
	if version != oosVersion {
		return bad("InvalidVersion", "Specified parameter Version is not valid.")
	}
	for _, name := range []string{"ExecutionId", "TaskExecutionId", "LogType", "MaxResults", "NextToken", "RegionId"} {
		if len(q[name]) > 1 {
			return bad("InvalidParameter", fmt.Sprintf("The parameter %s must not be repeated.", name))
		}
	}
	execID := q.Get("ExecutionId")
	if execID == "" {
		return bad("MissingExecutionId", "ExecutionId is mandatory for this action.")
	}
	maxResults := 50
	if v, ok := q["MaxResults"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > 100 {
			return bad("InvalidParameter", fmt.Sprintf("The parameter MaxResults %q is invalid: it must be an integer from 1 to 100.", v[0]))
		}
		maxResults = n
	}
	taskID, byTask := q["TaskExecutionId"]
	logType, byType := q["LogType"]
	bound := nextToken{ExecutionID: execID, MaxResults: maxResults}
	if byTask {
		bound.TaskExecutionID = taskID[0]
	}
	if byType {
		bound.LogType = logType[0]
	}
	offset := 0
	if tok := q.Get("NextToken"); tok != "" {
		t, ok := decodeToken(tok)
		if !ok {
			return bad("InvalidNextToken", "The NextToken is invalid.")
		}
		off := t.Offset
		t.Offset = 0
		if t != bound {
			return bad("InvalidNextTokenQuery", "Query parameters changed for the next token")
		}
		offset = off
	}
	logs, ok := s.data.Executions[execID]
	if !ok {
		return c.aliError(http.StatusNotFound, "EntityNotExists.Execution", fmt.Sprintf("The specific execution %s does not exist.", execID))
	}
	key := APIExecutionLogs + "?" + canonicalQuery(map[string][]string{"e": {execID}, "t": taskID, "l": logType})
	idx := s.cached(key, func() []int {
		out := []int{}
		for i := range logs {
			l := &logs[i]
			if byTask && l.TaskExecutionID != taskID[0] || byType && l.LogType != logType[0] {
				continue
			}
			out = append(out, i)
		}
		return out
	})
	resp := executionLogsResponse{
		RequestID:     c.reqID,
		MaxResults:    maxResults,
		ExecutionLogs: page(idx, offset, maxResults, func(i int) ExecutionLog { return logs[i] }),
	}
	switch {
	case c.faults.RepeatToken:
		first := bound
		first.Offset = maxResults
		resp.NextToken, resp.IsTruncated = first.encode(), true
	case offset+maxResults < len(idx):
		next := bound
		next.Offset = offset + maxResults
		resp.NextToken, resp.IsTruncated = next.encode(), true
	}
	return c.json(http.StatusOK, resp)
}
