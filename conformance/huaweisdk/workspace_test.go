package huaweisdk

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/workspace/v2/model"

	"github.com/opsaudit/terraform-provider-opsaudit/conformance/internal/emutest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// sameItems compares the raw answer's items with what the emulator's
// data says they are (want, in the answer's form).
func sameItems(t *testing.T, raw []byte, listKey string, want []any) {
	t.Helper()
	var answer map[string]json.RawMessage
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatal(err)
	}
	var got []json.RawMessage
	if err := json.Unmarshal(answer[listKey], &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d items, the data has %d", listKey, len(got), len(want))
	}
	for i := range got {
		var g, w any
		_ = json.Unmarshal(got[i], &g)
		wb, _ := json.Marshal(want[i])
		_ = json.Unmarshal(wb, &w)
		if jsonString(g) != jsonString(w) {
			t.Fatalf("%s[%d]:\n got  %s\n data %s", listKey, i, got[i], wb)
		}
	}
}

// readAll pages through a list by offset, limit items a page (call sends
// the page at offset and gives the answer's count and decoded items), and
// checks every page against want, the emulator's data in the answer's
// form: the count, every item decoded with no field lost (timeKeys held to
// the same instant) and equal to the data's, and the pages together.
func readAll[T any](t *testing.T, listKey string, limit int, want []any, call func(offset int) (*int32, *[]T, error), timeKeys ...string) {
	t.Helper()
	var got int
	for offset := 0; ; offset += limit {
		count, items, err := call(offset)
		if err != nil {
			t.Fatalf("offset %d: %v", offset, err)
		}
		raw := lastAnswer(t)
		if count == nil || int(*count) != len(want) {
			t.Fatalf("count %v, the data has %d", count, len(want))
		}
		if items == nil {
			t.Fatalf("no %s decoded", listKey)
		}
		if err := emutest.NoFieldLost(raw, listKey, *items, timeKeys...); err != nil {
			t.Fatal(err)
		}
		sameItems(t, raw, listKey, want[offset:min(len(want), offset+limit)])
		got += len(*items)
		if len(*items) < limit {
			break
		}
	}
	if got != len(want) {
		t.Fatalf("paged %d %s, the data has %d", got, listKey, len(want))
	}
}

// scriptRecordAnswer is a script record as the API answers it (the
// reference's ScriptRecordSimpleInfo), written here from the document.
type scriptRecordAnswer struct {
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

type scriptFilter struct {
	resources, groups, scripts, names []string
	status, task, taskType            string
	firstOrder                        *bool
	history                           bool
	from, to                          string
}

func (f scriptFilter) request(offset, limit int32) *model.ListScriptRecordsRequest {
	r := &model.ListScriptRecordsRequest{Offset: ptr(offset), Limit: ptr(limit), IsFirstOrder: f.firstOrder}
	opt := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	list := func(v []string) *[]string {
		if v == nil {
			return nil
		}
		return &v
	}
	r.ResourceId, r.ResourceGroupId, r.ScriptId, r.ScriptName = list(f.resources), list(f.groups), list(f.scripts), list(f.names)
	r.Status, r.ScriptTaskId, r.TaskType = opt(f.status), opt(f.task), opt(f.taskType)
	r.ExecuteTimeStart, r.ExecuteTimeEnd = opt(f.from), opt(f.to)
	if f.history {
		r.ShowHistory = ptr(true)
	}
	return r
}

// matches is the documented filter semantics, written apart from the
// emulator's.
func (f scriptFilter) matches(r emulator.ScriptRecord) bool {
	in := func(list []string, v string) bool { return list == nil || slices.Contains(list, v) }
	if r.History && !f.history || !in(f.resources, r.ResourceID) || !in(f.groups, r.ResourceGroupID) ||
		!in(f.scripts, r.ScriptID) || !in(f.names, r.ScriptName) ||
		f.status != "" && r.Status != f.status || f.task != "" && r.ScriptTaskID != f.task ||
		f.taskType != "" && r.TaskType != f.taskType || f.firstOrder != nil && r.IsFirstOrder != *f.firstOrder {
		return false
	}
	start, _ := time.Parse(time.RFC3339Nano, r.StartTime)
	if f.from != "" {
		if from, _ := time.Parse(time.RFC3339, f.from); start.Before(from) {
			return false
		}
	}
	if f.to != "" {
		if to, _ := time.Parse(time.RFC3339, f.to); start.After(to) {
			return false
		}
	}
	return true
}

func TestListScriptRecords(t *testing.T) {
	data := env.Server.Data()
	end := emulator.DataEnd
	cases := map[string]scriptFilter{
		"no filter":                        {},
		"two resources, one hostile":       {resources: []string{emulator.HostileResourceID, "desktop-0001"}},
		"hostile script id":                {scripts: []string{emulator.HostileScriptID}},
		"hostile script name":              {names: []string{emulator.HostileScriptName}},
		"hostile resource group":           {groups: []string{emulator.HostileResourceGroupID, "rg-04"}},
		"failed, first order":              {status: "FAILED", firstOrder: ptr(true)},
		"not first order":                  {firstOrder: ptr(false)},
		"one task":                         {task: "task-00001-03"},
		"commands":                         {taskType: "COMMAND"},
		"history of one desktop's scripts": {history: true, resources: []string{"desktop-0001"}, scripts: []string{"script-01", emulator.HostileScriptID}},
		"time window, offsets":             {from: end.Add(-30 * time.Hour).In(time.FixedZone("", 8*3600)).Format(time.RFC3339), to: end.Add(-6 * time.Hour).Format(time.RFC3339)},
		"nothing matches":                  {status: "NO_SUCH_STATUS"},
	}
	client := workspaceClient(t, demoKeys)
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			var want []any
			for _, r := range data.ScriptRecords() {
				if f.matches(r) {
					want = append(want, scriptRecordAnswer{r.ID, r.ScriptID, r.ScriptName, r.ScriptTaskID, r.ResourceID,
						r.ResourceName, r.ResourceType, r.StartTime, r.EndTime, r.Status, r.ExecuteOrder, r.ResultCode, r.Reason})
				}
			}
			if name != "nothing matches" && len(want) == 0 {
				t.Fatal("the filter matches nothing in the data: the case tests nothing")
			}
			readAll(t, "script_records", 100, want, func(offset int) (*int32, *[]model.ScriptRecordSimpleInfo, error) {
				resp, err := client.ListScriptRecords(f.request(int32(offset), 100))
				if err != nil {
					return nil, nil, err
				}
				return resp.Count, resp.ScriptRecords, nil
			}, "start_time", "end_time")
		})
	}
	checkSignedWithoutHost(t)
}

// desktopEventFilter is a ListDesktopOperations filter.
type desktopEventFilter struct{ eventType, eventID, level, data string }

func (f desktopEventFilter) matches(e emulator.DesktopEvent) bool {
	return (f.eventType == "" || e.EventType == f.eventType) && (f.eventID == "" || e.EventID == f.eventID) &&
		(f.level == "" || e.EventLevel == f.level) && (f.data == "" || strings.Contains(e.EventData, f.data))
}

func TestListDesktopOperations(t *testing.T) {
	data := env.Server.Data()
	record := emulator.ScreenRecordID(1)
	cases := map[string]desktopEventFilter{
		"no filter":           {},
		"file events":         {eventType: "FILE"},
		"one id":              {eventID: "FILE_CREATE"},
		"registry, alarms":    {eventType: "REG", level: "ALARM"},
		"hostile data":        {data: emulator.HostileText},
		"type and id disjoin": {eventType: "APP", eventID: "FILE_CREATE"},
	}
	client := workspaceClient(t, demoKeys)
	for name, f := range cases {
		for _, limit := range []int32{1000, 37} {
			t.Run(fmt.Sprintf("%s, limit %d", name, limit), func(t *testing.T) {
				var want []any
				for _, e := range data.ScreenRecords()[record] {
					if f.matches(e) {
						want = append(want, e)
					}
				}
				if name != "type and id disjoin" && len(want) == 0 {
					t.Fatal("the filter matches nothing in the data")
				}
				opt := func(v string) *string {
					if v == "" {
						return nil
					}
					return &v
				}
				readAll(t, "operations", int(limit), want, func(offset int) (*int32, *[]model.OperationForList, error) {
					resp, err := client.ListDesktopOperations(&model.ListDesktopOperationsRequest{RecordId: record,
						EventType: opt(f.eventType), EventId: opt(f.eventID), EventLevel: opt(f.level), EventData: opt(f.data),
						Offset: ptr(int32(offset)), Limit: ptr(limit)})
					if err != nil {
						return nil, nil, err
					}
					return resp.TotalCount, resp.Operations, nil
				})
			})
		}
	}
	// A screen record id with reserved and non-ASCII characters goes in
	// the path: the signature verifies, and the service answers 404.
	t.Run("hostile record id", func(t *testing.T) {
		_, err := client.ListDesktopOperations(&model.ListDesktopOperationsRequest{RecordId: "sr-" + strings.NewReplacer("/", "", "?", "", "#", "").Replace(emulator.HostileText)})
		se := apiError(t, err)
		if se.StatusCode != 404 || se.ErrorCode != "WKS.00000404" {
			t.Fatalf("status %d code %s (%s), want the service's 404 after a verified signature", se.StatusCode, se.ErrorCode, se.ErrorMessage)
		}
		if se.RequestId == "" {
			t.Error("the SDK found no request id")
		}
	})
}
