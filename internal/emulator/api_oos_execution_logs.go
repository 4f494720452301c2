package emulator

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// APIExecutionLogs is Alibaba OOS ListExecutionLogs (RPC, version
// 2019-06-01): the logs of Dataset.Executions()[ExecutionId] (404
// EntityNotExists.Execution for another execution; MissingExecutionId
// without one). TaskExecutionId and LogType match exactly; MaxResults
// 1..100 (default 50); NextToken is an HMAC-protected blob bound to
// ExecutionId, TaskExecutionId, LogType and MaxResults (InvalidNextToken,
// InvalidNextTokenQuery).
const APIExecutionLogs = "ListExecutionLogs"

// The Sizes keys (and the emulator command's flags) of the generated OOS
// executions and of their logs.
const (
	SizeExecutions       = "executions"
	SizeLogsPerExecution = "logs"
)

// executions is the part of the Dataset the API serves.
var executions = &itemGroups[ExecutionLog]{
	jsonKey: "executions", parent: "execution",
	parents: SizeFlag{Name: SizeExecutions, Default: 2, Usage: "generated OOS executions"},
	per:     SizeFlag{Name: SizeLogsPerExecution, Default: 130, Usage: "generated OOS logs per execution"},
	gen:     genExecutions,
	sum: summarySpec[ExecutionLog]{name: "OOS execution logs", keyField: "execution_id",
		timeField: "timestamp", timeOf: func(l *ExecutionLog) string { return l.Timestamp },
		fields: []itemField[ExecutionLog]{
			field("task_execution_id", func(l *ExecutionLog) string { return l.TaskExecutionID }),
			field("log_type", func(l *ExecutionLog) string { return l.LogType }),
		}},
}

// Executions maps an OOS execution id to its logs, in answer order.
func (d *Dataset) Executions() map[string][]ExecutionLog { return executions.of(d) }

// SetExecutions replaces the OOS executions.
func (d *Dataset) SetExecutions(m map[string][]ExecutionLog) { executions.set(d, m) }

func init() {
	register(&api{
		name: APIExecutionLogs, order: 40, cloud: alibaba,
		rpc:    &rpcRoute{product: "oos", action: "ListExecutionLogs", version: "2019-06-01"},
		handle: handleExecutionLogs,
		codes:  codes{BadRequest: "InvalidParameter", NotFound: "EntityNotExists.Execution", ServerError: "ServiceUnavailable"},
		paging: tokenPaged,
		data:   executions,
		fixture: func() Fixture {
			return executions.fixture(Fixture{
				TypeName: "opsaudit_alicloud_oos_execution_logs", Name: "execution_logs",
				Operation: "ListExecutionLogs",
				Pages:     130, Args: map[string]string{"execution_id": ExecutionID(1)},
				Filter: map[string]string{"log_type": "Output"},
				// OOS logs have no id.
				Key:           "message",
				UnknownParent: map[string]string{"execution_id": "exec-9999"}, ParentWhat: "exec-9999",
			}, ExecutionID(1), func(l *ExecutionLog) *string { return &l.Message })
		},
		// OOS logs carry no id: changed-records leaves them alone.
		hostile: hostileFields{list: "ExecutionLogs", twin: [2]string{"LogType", "Info"}, huge: "Message"},
	})
}

// ExecutionLog is one OOS execution log entry (ListExecutionLogs,
// https://www.alibabacloud.com/help/en/oos/developer-reference/api-oos-2019-06-01-listexecutionlogs).
type ExecutionLog struct {
	TaskExecutionID string `json:"TaskExecutionId"`
	Message         string `json:"Message"`
	LogType         string `json:"LogType"`
	Timestamp       string `json:"Timestamp"`
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
	p := params{q: q, ali: true}
	for _, name := range []string{"ExecutionId", "TaskExecutionId", "LogType", "MaxResults", "NextToken", "RegionId"} {
		p.single(name)
	}
	if p.err != nil {
		return bad("InvalidParameter", p.err.Error())
	}
	execID := q.Get("ExecutionId")
	if execID == "" {
		return bad("MissingExecutionId", "ExecutionId is mandatory for this action.")
	}
	maxResults := p.int("MaxResults", 50, 1, 100)
	if p.err != nil {
		return bad("InvalidParameter", p.err.Error())
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
	logs, ok := s.data.Executions()[execID]
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

// ExecutionID is the id of the n-th (1-based) generated OOS execution: "exec-0001".
func ExecutionID(n int) string { return fmt.Sprintf("exec-%04d", n) }

// HostileLogType is the OOS LogType of every 11th generated log.
const HostileLogType = "Custom " + HostileText

var genTaskNames = []string{"checkInstanceReady", "describeDisks", "CheckDiskCategory", "runCommand", "stopInstance"}

// FailedTaskError follows "The task NAME failed: " in the last log of
// generated execution 2 (exec-0002): its task failed. ListExecutionLogs
// has no severity (its reference shows the LogType "System" only, no
// error type), and OOS reports a task in sentences ("The task
// CheckDiskCategory completed."); a failed one is reported the same way,
// with the error of the API call that failed, in the Python form of the
// "api call" lines. A policy check finds it by its message.
const FailedTaskError = "{'Code': 'IncorrectInstanceStatus', " +
	"'Message': 'The current status of the resource does not support this operation.', " +
	"'RequestId': '6F4C2B7A-0E55-4F0B-9C5D-3B1A8E2D9F10'}"

// genExecutions: executions ExecutionID(n) = "exec-0001"..; log j
// (0-based) of execution k belongs to task execution "exec-000k.t%04d"
// (j/10+1: ten logs per task); task 3's id carries HostileText; log types
// System, Task, Output and HostileLogType (every 11th log). The last log
// of execution 2 reports that its task failed ("The task NAME failed: "
// FailedTaskError, log type System); no other log reports an error.
func genExecutions(rng *rand.Rand, n, per int, end time.Time) map[string][]ExecutionLog {
	out := make(map[string][]ExecutionLog, n)
	for k := 1; k <= n; k++ {
		id := ExecutionID(k)
		base := end.Add(-10*time.Hour + time.Duration(k-1)*time.Hour)
		logs := make([]ExecutionLog, per)
		sec := 0
		for j := range logs {
			t := j/10 + 1
			task := id + ".t" + pad(t, 4)
			if t == 3 {
				task += " " + HostileText
			}
			name := genTaskNames[(t-1)%len(genTaskNames)]
			var logType, msg string
			switch j % 4 {
			case 0:
				logType, msg = "System", "The task "+name+" started."
			case 1:
				logType = "Task"
				msg = fmt.Sprintf("api call: DescribeDisks request:{'InstanceId': 'i-bp1%04d'} response: {'TotalCount': %d, 'RequestId': '%08X'}", j, j%3, rng.Uint32())
			case 2:
				logType, msg = "Task", "The task "+name+" output: {}"
			default:
				logType, msg = "Output", "The task "+name+" completed."
			}
			if j%11 == 10 {
				logType = HostileLogType
			}
			if j%5 == 4 {
				msg = "The task " + name + " (loop item " + HostileText + ") completed."
			}
			if k == 2 && j == per-1 {
				logType, msg = "System", "The task "+name+" failed: "+FailedTaskError
			}
			sec += rng.IntN(3)
			logs[j] = ExecutionLog{
				TaskExecutionID: task,
				Message:         msg,
				LogType:         logType,
				Timestamp:       base.Add(time.Duration(sec) * time.Second).Format(time.RFC3339),
			}
		}
		out[id] = logs
	}
	return out
}
