package emulator

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultSeed is the seed used when Options.Data is nil.
const DefaultSeed int64 = 1

// Hostile values the generator always uses, so that filter tests can rely on
// them. Each contains a space, &, =, +, ", ', %, /, ?, # and non-ASCII text.
const (
	// HostileText is the hostile fragment embedded in generated values.
	HostileText = `补丁 & "hardening"=v1+2 'q' 100%/a?b#c`
	// HostileScriptID is the script_id of script 2.
	HostileScriptID = "script-02 " + HostileText
	// HostileScriptName is the script_name of script 3.
	HostileScriptName = "patch " + HostileText
	// HostileResourceID is the resource_id of desktop 2.
	HostileResourceID = "desktop-0002 " + HostileText
	// HostileResourceGroupID is the resource_group_id of group 2.
	HostileResourceGroupID = "rg-02 " + HostileText
	// HostileActionID is the SecMaster action_id of action 3.
	HostileActionID = "act-03 " + HostileText
	// HostileActionName is the SecMaster action_name of action 4.
	HostileActionName = "DisabledIp " + HostileText
	// HostileLogType is the OOS LogType of every 11th log.
	HostileLogType = "Custom " + HostileText
)

var dataEnd = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// DataEnd is the instant the data of Generate ends at
// (2026-11-20T12:00:00Z): tests and fixtures pin it, so their data never
// depends on the wall clock. GenerateAt ends the same data at another
// instant. Changing this variable changes nothing.
var DataEnd = dataEnd

// Sizes says how much data Generate makes.
type Sizes struct {
	ScriptRecords         int
	ScreenRecords         int
	EventsPerScreenRecord int
	Workspaces            int
	AuditLogsPerWorkspace int
	Executions            int
	LogsPerExecution      int
}

// DefaultSizes is a small dataset that still needs several pages everywhere:
// 250 script records, 2 screen records x 230 events, 2 workspaces x 120 audit
// logs, 2 executions x 130 logs.
func DefaultSizes() Sizes {
	return Sizes{
		ScriptRecords:         250,
		ScreenRecords:         2,
		EventsPerScreenRecord: 230,
		Workspaces:            2,
		AuditLogsPerWorkspace: 120,
		Executions:            2,
		LogsPerExecution:      130,
	}
}

var huaweiRegions = []string{
	"cn-north-4", "cn-north-1", "cn-north-9", "cn-east-3", "cn-east-2",
	"cn-south-1", "ap-southeast-1", "ap-southeast-3",
}

// HuaweiRegions are the regions the generated IAM knows (a copy).
var HuaweiRegions = slices.Clone(huaweiRegions)

// ScreenRecordID is the id of the n-th (1-based) generated screen record: "sr-0001".
func ScreenRecordID(n int) string { return fmt.Sprintf("sr-%04d", n) }

// WorkspaceID is the id of the n-th (1-based) generated SecMaster workspace: "ws-0001".
func WorkspaceID(n int) string { return fmt.Sprintf("ws-%04d", n) }

// ExecutionID is the id of the n-th (1-based) generated OOS execution: "exec-0001".
func ExecutionID(n int) string { return fmt.Sprintf("exec-%04d", n) }

// Generate builds a deterministic dataset ending at DataEnd: the same seed
// and sizes always give the same data. See the package documentation for
// the id scheme.
func Generate(seed int64, sz Sizes) *Dataset { return GenerateAt(seed, sz, DataEnd) }

// GenerateAt is Generate with the data ending at end (truncated to the
// second) instead of DataEnd: every generated time is as far before end
// as it is before DataEnd in Generate's data. Script records and audit
// logs (the APIs with time filters) spread over the 72 hours before end
// and none starts or ends after it; screen recordings start 27 hours
// before end, one every 3 hours, and OOS executions 10 hours before end,
// one an hour. The emulator command passes its start time, so that
// windows ending at plantimestamp() find data.
func GenerateAt(seed int64, sz Sizes, end time.Time) *Dataset {
	end = end.UTC().Truncate(time.Second)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6f70736175646974)) //nolint:gosec // deterministic test data, not secrets
	d := &Dataset{Projects: map[string]string{}}
	for _, r := range huaweiRegions {
		d.Projects[r] = ProjectID(r)
	}
	d.ScriptRecords = genScriptRecords(rng, max(sz.ScriptRecords, 0), end)
	d.ScreenRecords = genScreenRecords(rng, max(sz.ScreenRecords, 0), max(sz.EventsPerScreenRecord, 0), end)
	d.Workspaces = genWorkspaces(rng, max(sz.Workspaces, 0), max(sz.AuditLogsPerWorkspace, 0), end)
	d.Executions = genExecutions(rng, max(sz.Executions, 0), max(sz.LogsPerExecution, 0), end)
	return d
}

const genScripts = 8

// genScriptNames: script 8 is the hardening script of README.md's first
// example; the policy-check examples audit install-agent and rotate-keys.
var genScriptNames = [genScripts]string{
	"collect-logs", "install-agent", HostileScriptName, "rotate-keys",
	`clean 临时 files & "cache"=all+tmp`, "sync-time", "check-disk 50%", "harden-desktop",
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

// genScriptRecords: record i (0-based) runs script i%8 on desktop
// (i/8)%R, R = max(4, n/10), so every (resource, script) pair recurs every
// 8*R records; records are newest first, so the first occurrence of a pair is
// its latest record and later ones are history.
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
			ID:              "ser-" + pad(i+1, 6),
			ScriptID:        scriptIDs[s],
			ScriptName:      genScriptNames[s],
			ScriptTaskID:    "task-" + pad(i/(genScripts*5)+1, 5) + "-" + pad(s+1, 2),
			ResourceID:      resIDs[r],
			ResourceName:    resNames[r],
			ResourceType:    "DESKTOP",
			StartTime:       start.Format(ms),
			ExecuteOrder:    order,
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

var eventIDs = []string{
	"APP_START", "APP_STOP", "APP_CRASH", "APP_HANG", "APP_INSTALL", "APP_UNINSTALL",
	"FILE_CREATE", "FILE_DELETE", "FILE_RENAME",
	"REG_CREATE", "REG_CHANGE", "REG_DELETE", "REG_RENAME", "REG_SETVALUE",
	"HDP_FILE", "HDP_USB", "HDP_CLIPBOARD", "HDP_INPUTIDLE", "HDP_PRINT",
}

// EventIDs are the desktop event ids the emulator accepts and generates:
// every id the document lists plus the REG_* ids seen in other references
// (a copy; changing it changes nothing).
var EventIDs = slices.Clone(eventIDs)

var eventData = map[string]string{
	"APP_START":     "WeLink is started.",
	"APP_STOP":      "WeLink is stopped.",
	"APP_CRASH":     "notepad++.exe exited abnormally (code 0xC0000005).",
	"APP_HANG":      "Excel.exe is not responding.",
	"APP_INSTALL":   "7-Zip 23.01 (x64) installed.",
	"APP_UNINSTALL": "Legacy VPN client uninstalled.",
	"FILE_CREATE":   `C:\Users\zhangsan\Desktop\report (1).docx created.`,
	"FILE_DELETE":   "File deletion",
	"FILE_RENAME":   `D:\data\a.txt renamed to D:\data\b.txt`,
	"REG_CREATE":    `HKLM\SOFTWARE\Contoso key created.`,
	"REG_CHANGE":    `HKCU\Software\Microsoft\Windows\CurrentVersion\Run changed.`,
	"REG_DELETE":    `HKLM\SOFTWARE\OldApp deleted.`,
	"REG_RENAME":    `HKCU\Software\Tmp renamed to HKCU\Software\Tmp2`,
	"REG_SETVALUE":  `HKLM\SYSTEM\CurrentControlSet\Services\USBSTOR Start=4`,
	"HDP_FILE":      `File redirected: \\tsclient\C\notes.txt`,
	"HDP_USB":       "USB device Kingston DataTraveler inserted.",
	"HDP_CLIPBOARD": "Clipboard copy of 128 characters.",
	"HDP_INPUTIDLE": "No input for 15 minutes.",
	"HDP_PRINT":     "Printed quarterly.pdf on HP LaserJet.",
}

var genUsers = []string{"zhangsan", "张三", "o'brien & co", "li si", "wang.wu+ops"}

// genScreenRecords: event j (0-based) of a screen record has id
// EventIDs[j%19] and level (j%19 + 2*(j/19))%3, so 57 events cover every
// (event id, level) pair.
func genScreenRecords(rng *rand.Rand, n, per int, end time.Time) map[string][]DesktopEvent {
	out := make(map[string][]DesktopEvent, n)
	project := ProjectID(DemoRegionHuawei)
	levels := []string{"INFO", "ALARM", "ERROR"}
	for k := 1; k <= n; k++ {
		srID := ScreenRecordID(k)
		base := end.Add(-27*time.Hour + time.Duration(k-1)*3*time.Hour)
		evs := make([]DesktopEvent, per)
		for j := range evs {
			id := eventIDs[j%len(eventIDs)]
			rel := j*5 + rng.IntN(5)
			t := base.Add(time.Duration(rel)*time.Second + time.Duration(rng.IntN(1000))*time.Millisecond)
			op := t.Format("2006-01-02 15:04:05")
			if j%3 == 2 {
				op = t.Format("2006-01-02T15:04:05.000Z")
			}
			data := eventData[id]
			if j%4 == 1 {
				data += " " + HostileText
			}
			evs[j] = DesktopEvent{
				ID:                "ev-" + pad(k, 4) + "-" + pad(j+1, 5),
				ProjectID:         project,
				DesktopID:         "desktop-" + pad(k, 4),
				ScreenRecordID:    srID,
				Username:          genUsers[(k-1)%len(genUsers)],
				EventType:         id[:strings.IndexByte(id, '_')],
				EventLevel:        levels[(j%len(eventIDs)+2*(j/len(eventIDs)))%3],
				EventID:           id,
				EventData:         data,
				OperationTime:     op,
				RelativeStartTime: rel,
			}
		}
		out[srID] = evs
	}
	return out
}

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

var genActionIDs = []string{"act-01", "act-02", HostileActionID, "act-04", "act-05"}
var genActionNames = []string{"DisabledIp", "BlockDomain", "IsolateHost 主机", HostileActionName, "NotifyOwner & Close"}

// genWorkspaces: log i (0-based) has instance type i%6; logs come in groups
// of six whose first (APP) log is the parent of the other five.
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

				UseLastReportTime: i%5 == 3,
				EmptyEndTime:      i%10 == 8,
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

var genTaskNames = []string{"checkInstanceReady", "describeDisks", "CheckDiskCategory", "runCommand", "stopInstance"}

// genExecutions: log j (0-based) of execution k belongs to task execution
// "exec-000k.t%04d" (j/10+1); task 3's id carries HostileText.
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

// notAfter is t, or end when t is later: a run still going at the end of
// the data has not ended later.
func notAfter(t, end time.Time) time.Time {
	if t.After(end) {
		return end
	}
	return t
}
