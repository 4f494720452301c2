package emulator

import (
	"fmt"
	"math"
	"net/http"
	"strings"
)

// APIDesktopEvents is Workspace ListKeyDesktopEvents,
// GET /v2/{project_id}/screen-records/{record_id}/os-operations.
const APIDesktopEvents = "os-operations"

func init() {
	register(&api{
		name: APIDesktopEvents, order: 20, cloud: huawei,
		rest:   &restRoute{method: http.MethodGet, path: "/v2/{project_id}/screen-records/{record_id}/os-operations"},
		handle: handleDesktopEvents,
		codes:  codes{BadRequest: "WKS.00000400", NotFound: "WKS.00000404", ServerError: "WKS.00000500"},
		paging: offsetPaged,
		hostile: hostileFields{list: "operations", count: "total_count",
			twin: [2]string{"event_level", "INFO"}, changed: [2]string{"event_level", "ERROR"}},
	})
}

type desktopEventsResponse struct {
	TotalCount int            `json:"total_count"`
	Operations []DesktopEvent `json:"operations"`
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
	evs, ok := s.data.ScreenRecords[recordID]
	if !ok {
		return c.notFound(fmt.Sprintf("The screen record %s does not exist.", recordID))
	}
	idx := s.filter(c, "/"+recordID+"?"+withoutPaging(c.query), len(evs), func(i int) bool {
		e := &evs[i]
		return !(byType && e.EventType != evType) && !(byID && e.EventID != evID) &&
			!(byLevel && e.EventLevel != level) && !(byData && !strings.Contains(e.EventData, data))
	})
	total, items := offsetPage(c, idx, offset, limit, func(i int) DesktopEvent { return evs[i] })
	return c.json(http.StatusOK, desktopEventsResponse{TotalCount: total, Operations: items})
}
