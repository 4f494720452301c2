package emulator

import (
	"fmt"
	"net/http"
	"strconv"
)

// APIExecutionLogs is Alibaba OOS ListExecutionLogs (RPC, version
// 2019-06-01).
const APIExecutionLogs = "ListExecutionLogs"

func init() {
	register(&api{
		name: APIExecutionLogs, order: 40, cloud: alibaba,
		rpc:    &rpcRoute{product: "oos", action: "ListExecutionLogs", version: "2019-06-01"},
		handle: handleExecutionLogs,
		codes:  codes{BadRequest: "InvalidParameter", NotFound: "EntityNotExists.Execution", ServerError: "ServiceUnavailable"},
		paging: tokenPaged,
		// OOS logs carry no id: changed-records leaves them alone.
		hostile: hostileFields{list: "ExecutionLogs", twin: [2]string{"LogType", "Info"}},
	})
}

// executionLogsToken is what a NextToken is bound to.
type executionLogsToken struct {
	ExecutionID     string `json:"e"`
	TaskExecutionID string `json:"t,omitempty"`
	LogType         string `json:"l,omitempty"`
	MaxResults      int    `json:"m"`
}

type executionLogsResponse struct {
	RequestID     string         `json:"RequestId"`
	MaxResults    int            `json:"MaxResults"`
	NextToken     string         `json:"NextToken,omitempty"`
	IsTruncated   bool           `json:"IsTruncated"`
	ExecutionLogs []ExecutionLog `json:"ExecutionLogs"`
}

// handleExecutionLogs answers the OOS RPC ListExecutionLogs (POST or GET /).
func handleExecutionLogs(s *Server, c *call) *response {
	q := c.query
	bad := func(code, msg string) *response { return c.errorOf(http.StatusBadRequest, code, msg) }
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
	bound := executionLogsToken{ExecutionID: execID, MaxResults: maxResults, TaskExecutionID: q.Get("TaskExecutionId"), LogType: q.Get("LogType")}
	offset := 0
	if tok := q.Get("NextToken"); tok != "" {
		var terr tokenError
		switch offset, terr = decodeToken(tok, bound); terr {
		case tokenInvalid:
			return bad("InvalidNextToken", "The NextToken is invalid.")
		case tokenOtherQuery:
			return bad("InvalidNextTokenQuery", "Query parameters changed for the next token")
		}
	}
	logs, ok := s.data.Executions[execID]
	if !ok {
		return c.notFound(fmt.Sprintf("The specific execution %s does not exist.", execID))
	}
	key := "?" + canonicalQuery(map[string][]string{"e": {execID}, "t": taskID, "l": logType})
	idx := s.filter(c, key, len(logs), func(i int) bool {
		l := &logs[i]
		return !(byTask && l.TaskExecutionID != taskID[0]) && !(byType && l.LogType != logType[0])
	})
	_, items := offsetPage(c, idx, offset, maxResults, func(i int) ExecutionLog { return logs[i] })
	next := nextToken(c, bound, offset, maxResults, len(idx))
	return c.json(http.StatusOK, executionLogsResponse{RequestID: c.reqID, MaxResults: maxResults,
		NextToken: next, IsTruncated: next != "", ExecutionLogs: items})
}
