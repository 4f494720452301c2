package emulator

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

type tEvents struct {
	TotalCount int               `json:"total_count"`
	Operations []json.RawMessage `json:"operations"`
}

func evPath(id string) string {
	return "/v2/" + demoProject + "/screen-records/" + id + "/os-operations"
}

func TestDesktopEvents(t *testing.T) {
	e := newEnv(t, Options{})
	d := e.s.Data()
	sr := ScreenRecordID(1)
	r := e.send(e.hwReq("GET", evPath(sr), nil, nil))
	wantOK(t, r)
	page := decodeAs[tEvents](t, r)
	// limit defaults to 100 (the official SDK's model).
	if page.TotalCount != len(d.ScreenRecords()[sr]) || len(page.Operations) != 100 {
		t.Fatalf("total %d, %d operations", page.TotalCount, len(page.Operations))
	}
	want := []string{"desktop_id", "event_data", "event_id", "event_level", "event_type", "id", "operation_time",
		"project_id", "relative_start_time", "screen_record_id", "username"}
	if got := keysOf(t, page.Operations[0]); !slices.Equal(got, want) {
		t.Fatalf("keys %v", got)
	}
	var ev DesktopEvent
	_ = json.Unmarshal(page.Operations[3], &ev)
	if ev != d.ScreenRecords()[sr][3] {
		t.Fatalf("event %+v, want %+v", ev, d.ScreenRecords()[sr][3])
	}

	count := func(q url.Values, keep func(*DesktopEvent) bool) {
		t.Helper()
		q.Set("limit", "1000")
		page := decodeAs[tEvents](t, e.send(e.hwReq("GET", evPath(sr), q, nil)))
		var want []string
		for i := range d.ScreenRecords()[sr] {
			if keep(&d.ScreenRecords()[sr][i]) {
				want = append(want, d.ScreenRecords()[sr][i].ID)
			}
		}
		var got []string
		for _, raw := range page.Operations {
			var ev DesktopEvent
			_ = json.Unmarshal(raw, &ev)
			got = append(got, ev.ID)
		}
		if len(want) == 0 || page.TotalCount != len(want) || !slices.Equal(got, want) {
			t.Fatalf("%v: total %d, got %d, want %d", q, page.TotalCount, len(got), len(want))
		}
	}
	count(url.Values{"event_type": {"REG"}}, func(e *DesktopEvent) bool { return e.EventType == "REG" })
	count(url.Values{"event_id": {"REG_SETVALUE"}, "event_level": {"ALARM"}},
		func(e *DesktopEvent) bool { return e.EventID == "REG_SETVALUE" && e.EventLevel == "ALARM" })
	count(url.Values{"event_data": {HostileText}}, func(e *DesktopEvent) bool { return strings.Contains(e.EventData, HostileText) })
	count(url.Values{"event_data": {`"hardening"=v1+2`}, "event_type": {"APP"}},
		func(e *DesktopEvent) bool {
			return e.EventType == "APP" && strings.Contains(e.EventData, `"hardening"=v1+2`)
		})

	zero := decodeAs[tEvents](t, e.send(e.hwReq("GET", evPath(sr), url.Values{"limit": {"0"}}, nil)))
	if zero.TotalCount != len(d.ScreenRecords()[sr]) || len(zero.Operations) != 0 {
		t.Fatalf("limit 0: %+v", zero)
	}
	for _, q := range []url.Values{
		{"limit": {"1001"}}, {"limit": {"-1"}}, {"offset": {"-1"}}, {"event_type": {"NET"}},
		{"event_id": {"APP_1", "APP_2"}}, {"event_level": {"Information"}}, {"event_data": {"a", "b"}},
	} {
		wantHWErr(t, e.send(e.hwReq("GET", evPath(sr), q, nil)), 400, "WKS.00000400")
	}
	// Any event_id string is taken (the SDK's model has no list): one no
	// event has matches nothing.
	for _, id := range []string{"APP_EXPLODE", "REG_FOOBAR", "补丁 & x"} {
		none := decodeAs[tEvents](t, e.send(e.hwReq("GET", evPath(sr), url.Values{"event_id": {id}}, nil)))
		if none.TotalCount != 0 || len(none.Operations) != 0 {
			t.Fatalf("event_id %q: %+v", id, none)
		}
	}
	er := wantHWErr(t, e.send(e.hwReq("GET", evPath("sr-9999"), nil, nil)), 404, "WKS.00000404")
	if !strings.Contains(er.ErrorMsg, "sr-9999") {
		t.Fatalf("404 message %q", er.ErrorMsg)
	}
}

// The generated desktop events: every id, type and level, both time forms, hostile data.
func TestGeneratedDesktopEvents(t *testing.T) {
	d := Generate(DefaultSeed, DefaultSizes())
	// Ids documented in the package comment.
	for _, id := range []string{"sr-0001", "sr-0002"} {
		if len(d.ScreenRecords()[id]) != 230 {
			t.Fatalf("screen record %s: %d events", id, len(d.ScreenRecords()[id]))
		}
	}
	ids, types, levels := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var iso, plain, hostileData int
	for _, e := range d.ScreenRecords()["sr-0001"] {
		ids[e.EventID], types[e.EventType], levels[e.EventLevel] = true, true, true
		if !strings.HasPrefix(e.EventID, e.EventType+"_") {
			t.Fatalf("event %s has type %s", e.EventID, e.EventType)
		}
		if _, err := time.Parse("2006-01-02 15:04:05", e.OperationTime); err == nil {
			plain++
		} else if _, err := time.Parse(time.RFC3339, e.OperationTime); err == nil {
			iso++
		} else {
			t.Fatalf("operation_time %q", e.OperationTime)
		}
		if strings.Contains(e.EventData, HostileText) {
			hostileData++
		}
	}
	if len(ids) != 19 || len(types) != 4 || len(levels) != 3 || iso == 0 || plain == 0 || hostileData == 0 {
		t.Fatalf("events: %d ids, %d types, %d levels, %d iso, %d plain, %d hostile", len(ids), len(types), len(levels), iso, plain, hostileData)
	}
	for _, id := range []string{"REG_CREATE", "REG_CHANGE", "REG_DELETE", "REG_RENAME", "REG_SETVALUE", "HDP_PRINT", "APP_HANG"} {
		if !ids[id] {
			t.Fatalf("no %s event", id)
		}
	}
}
