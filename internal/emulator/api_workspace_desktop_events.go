package emulator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"
)

// APIDesktopEvents is Workspace ListKeyDesktopEvents,
// GET /v2/{project_id}/screen-records/{record_id}/os-operations: the
// events of Dataset.ScreenRecords()[record_id] (404 WKS.00000404 for
// another record). Filters: event_type, event_id and event_level match
// exactly (event_type and event_level validated against their enums;
// event_id is any string, as the official SDK's model takes it; event_id
// and event_type are ANDed, never an error), event_data is a
// case-sensitive substring. Paging: offset, limit 0..1000 (default 100,
// the official SDK's model); total_count is every match.
const APIDesktopEvents = "os-operations"

// The Sizes keys (and the emulator command's flags) of the generated
// screen records and of their events.
const (
	SizeScreenRecords         = "screen-records"
	SizeEventsPerScreenRecord = "events"
)

// screenRecords is the part of the Dataset the API serves.
var screenRecords = &itemGroups[DesktopEvent]{
	jsonKey: "screen_records", parent: "screen record",
	parents: SizeFlag{Name: SizeScreenRecords, Default: 2, Usage: "generated screen records"},
	per:     SizeFlag{Name: SizeEventsPerScreenRecord, Default: 230, Usage: "generated key desktop events per screen record"},
	gen:     genScreenRecords,
	sum: summarySpec[DesktopEvent]{name: "Workspace desktop events", keyField: "screen_record_id",
		timeField: "operation_time", timeOf: func(e *DesktopEvent) string { return e.OperationTime },
		fields: []itemField[DesktopEvent]{
			field("event_id", func(e *DesktopEvent) string { return e.EventID }),
			field("event_level", func(e *DesktopEvent) string { return e.EventLevel }),
		}},
}

// ScreenRecords maps a Workspace screen record id to its key desktop
// events, in answer order.
func (d *Dataset) ScreenRecords() map[string][]DesktopEvent { return screenRecords.of(d) }

// SetScreenRecords replaces the screen records.
func (d *Dataset) SetScreenRecords(m map[string][]DesktopEvent) { screenRecords.set(d, m) }

func init() {
	register(&api{
		name: APIDesktopEvents, order: 20, cloud: huawei,
		rest:   &restRoute{method: http.MethodGet, path: "/v2/{project_id}/screen-records/{record_id}/os-operations"},
		handle: handleDesktopEvents,
		codes:  codes{BadRequest: "WKS.00000400", NotFound: "WKS.00000404", ServerError: "WKS.00000500"},
		paging: offsetPaged,
		data:   screenRecords,
		fixture: func() Fixture {
			return screenRecords.fixture(Fixture{
				TypeName: "opsaudit_huaweicloud_workspace_desktop_events", Name: "desktop_events",
				Operation: "ListKeyDesktopEvents",
				Pages:     230, Args: map[string]string{"screen_record_id": ScreenRecordID(1)},
				Filter:        map[string]string{"event_type": "APP"},
				Key:           "id",
				UnknownParent: map[string]string{"screen_record_id": "sr-9999"},
				ParentWhat:    `screen recording "sr-9999" (screen_record_id) was not found`,
			}, ScreenRecordID(1), func(e *DesktopEvent) *string { return &e.EventData })
		},
		hostile: hostileFields{list: "operations", count: "total_count",
			twin: [2]string{"event_level", "INFO"}, changed: [2]string{"event_level", "ERROR"}, huge: "event_data"},
	})
}

// DesktopEvent is one Workspace key desktop event (the API reference's
// OperationForList).
// Every field is sent in answers.
type DesktopEvent struct {
	ID                string `json:"id"`
	ProjectID         string `json:"project_id"`
	DesktopID         string `json:"desktop_id"`
	ScreenRecordID    string `json:"screen_record_id"`
	Username          string `json:"username"`
	EventType         string `json:"event_type"`
	EventLevel        string `json:"event_level"`
	EventID           string `json:"event_id"`
	EventData         string `json:"event_data"`
	OperationTime     string `json:"operation_time"`
	RelativeStartTime int    `json:"relative_start_time"`
}

// handleDesktopEvents answers GET /v2/{project_id}/screen-records/{record_id}/os-operations.
func handleDesktopEvents(s *Server, c *call) *response {
	p := params{q: c.query}
	offset := p.int("offset", 0, 0, math.MaxInt32)
	// The references disagree on the range (0..100 default 10, or 0..1000
	// default 100): the official SDK's model (huaweicloud-sdk-go-v3,
	// services/workspace/v2/model/model_list_desktop_operations_request.go)
	// says 0..1000, default 100.
	limit := p.int("limit", 100, 0, 1000)
	evType, byType := p.enum("event_type", []string{"APP", "FILE", "REG", "HDP"})
	// Any event_id string: the official SDK's model has no list (ids
	// beyond the document exist); an id no event has matches nothing.
	evID, byID := p.single("event_id")
	level, byLevel := p.enum("event_level", []string{"INFO", "ALARM", "ERROR"})
	data, byData := p.single("event_data")
	if p.err != nil {
		return c.serviceError(http.StatusBadRequest, p.err.Error())
	}
	recordID := c.rt.params["record_id"]
	evs, ok := s.data.ScreenRecords()[recordID]
	if !ok {
		return c.notFound(fmt.Sprintf("The screen record %s does not exist.", recordID))
	}
	idx := s.filter(c, "/"+recordID+"?"+withoutPaging(c.query), len(evs), func(i int) bool {
		e := &evs[i]
		return !(byType && e.EventType != evType) && !(byID && e.EventID != evID) &&
			!(byLevel && e.EventLevel != level) && !(byData && !strings.Contains(e.EventData, data))
	})
	return offsetAnswer(c, idx, offset, limit, func(i int) DesktopEvent { return evs[i] })
}

// ScreenRecordID is the id of the n-th (1-based) generated screen record: "sr-0001".
func ScreenRecordID(n int) string { return fmt.Sprintf("sr-%04d", n) }

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

// genScreenRecords: screen records ScreenRecordID(n) = "sr-0001"..,
// events "ev-0001-00001"..; event j (0-based) of a screen record has id
// EventIDs[j%19] (all documented ids plus REG_*), its type from the id's
// prefix, and level (j%19 + 2*(j/19))%3, so 57 events cover every (event
// id, level) pair; operation_time alternates "2026-11-19 09:00:01" and ISO
// forms; every 4th event_data holds HostileText.
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
