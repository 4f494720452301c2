package workspace

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/clouds"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// DesktopEventsTypeName is the data source's type name.
const DesktopEventsTypeName = "opsaudit_huaweicloud_workspace_desktop_events"

// The enumerations of the API reference (docs/data-sources/
// huaweicloud_workspace_desktop_events.md lists them). Event ids are not
// enumerated here: the API has more than the reference lists (REG_CREATE,
// REG_SETVALUE, ...), so an id is only checked for its form and its family.
var (
	desktopEventTypes  = []string{"APP", "FILE", "REG", "HDP"}
	desktopEventLevels = []string{"INFO", "ALARM", "ERROR"}
	desktopEventIDForm = regexp.MustCompile(`^(APP|FILE|REG|HDP)_[A-Z0-9_]+$`)
)

// desktopEvent is one OperationForList of the API. Pointers tell an absent
// field (null in state) from an empty one.
type desktopEvent struct {
	ID                *string `json:"id"`
	ProjectID         *string `json:"project_id"`
	DesktopID         *string `json:"desktop_id"`
	ScreenRecordID    *string `json:"screen_record_id"`
	Username          *string `json:"username"`
	EventType         *string `json:"event_type"`
	EventLevel        *string `json:"event_level"`
	EventID           *string `json:"event_id"`
	EventData         *string `json:"event_data"`
	OperationTime     *string `json:"operation_time"`
	RelativeStartTime *int64  `json:"relative_start_time"`
}

// DesktopEvents is ListKeyDesktopEvents
// (`GET /v2/{project_id}/screen-records/{record_id}/os-operations`).
var DesktopEvents = &listread.Offset[desktopEvent, clouds.HuaweiScope]{
	API: listread.API{
		TypeName: DesktopEventsTypeName,
		Description: "Lists the key desktop events of a Huawei Cloud Workspace screen recording " +
			"(`GET /v2/{project_id}/screen-records/{record_id}/os-operations`), every page, in the API's order.",
		What: "Workspace key desktop events", Items: "events",
		Args: []listread.Attribute{
			{Name: "screen_record_id", Required: true, Path: "record_id",
				Description: "ID of the screen recording whose events are listed (path parameter `record_id`): " +
					"Huawei Cloud's are UUIDs, the local emulator's look like `sr-0001`; any single path segment " +
					"is accepted. An unknown recording fails the read (HTTP 404).",
				Strings: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.NoneOf(".", ".."),
					stringvalidator.RegexMatches(regexp.MustCompile(`^[^/]*$`), "must not contain \"/\" (it is one path segment)"),
				}},
			{Name: "event_type", Query: "event_type", Strings: []validator.String{stringvalidator.OneOf(desktopEventTypes...)},
				Description: "Only events of this type (`event_type`): `APP` (application), `FILE` (file), " +
					"`REG` (registry) or `HDP` (protocol behaviour)."},
			{Name: "event_id", Query: "event_id",
				Description: "Only events with this ID (`event_id`), e.g. `APP_INSTALL`, `FILE_DELETE`, `REG_SETVALUE`, " +
					"`HDP_USB`. Must be `APP_*`, `FILE_*`, `REG_*` or `HDP_*`; IDs the document does not list are accepted, " +
					"since the API has more. When `event_type` is set, the ID must belong to it.",
				Strings: []validator.String{stringvalidator.RegexMatches(desktopEventIDForm,
					"must be an event ID of the form APP_*, FILE_*, REG_* or HDP_* (upper case, e.g. APP_INSTALL)")}},
			{Name: "event_level", Query: "event_level", Strings: []validator.String{stringvalidator.OneOf(desktopEventLevels...)},
				Description: "Only events of this severity (`event_level`): `INFO`, `ALARM` or `ERROR`."},
			{Name: "event_data", Query: "event_data", Strings: []validator.String{stringvalidator.LengthAtLeast(1)},
				Description: "Only events whose content matches this text (`event_data`)."},
		},
		Checks: []listread.Check{eventIDOfType},
		TotalCount: "Number of events matching the filters, as the API counts them (`total_count`): all matches, " +
			"even when `max_items` stops the read early.",
		List: "events", ListDescription: "The events (`operations`), every page, in the API's order.",
	},
	Scope: clouds.Huawei,
	Fields: listread.Fields[desktopEvent]{
		listread.Text("id", "Event ID, the primary key (`id`).", func(e *desktopEvent) *string { return e.ID }),
		listread.Text("project_id", "Project ID (`project_id`).", func(e *desktopEvent) *string { return e.ProjectID }),
		listread.Text("desktop_id", "Desktop the event happened on (`desktop_id`).", func(e *desktopEvent) *string { return e.DesktopID }),
		listread.Text("screen_record_id", "Screen recording the event belongs to (`screen_record_id`).", func(e *desktopEvent) *string { return e.ScreenRecordID }),
		listread.Text("username", "User logged on to the desktop (`username`).", func(e *desktopEvent) *string { return e.Username }),
		listread.Text("event_type", "Event type: `APP`, `FILE`, `REG` or `HDP` (`event_type`).", func(e *desktopEvent) *string { return e.EventType }),
		listread.Text("event_level", "Event severity as the API returns it, e.g. `INFO`, `ALARM`, `ERROR` (`event_level`).", func(e *desktopEvent) *string { return e.EventLevel }),
		listread.Text("event_id", "Event ID, e.g. `APP_START`, `FILE_DELETE`, `REG_SETVALUE`, `HDP_USB` (`event_id`).", func(e *desktopEvent) *string { return e.EventID }),
		listread.Text("event_data", "Event content (`event_data`).", func(e *desktopEvent) *string { return e.EventData }),
		listread.Text("operation_time", "Time of the operation, as the API returns it (`operation_time`).", func(e *desktopEvent) *string { return e.OperationTime }),
		listread.Number("relative_start_time", "Seconds from the start of the screen recording (`relative_start_time`).", func(e *desktopEvent) *int64 { return e.RelativeStartTime }),
	},
	// The English reference says limit 0..100, the SDK and the Chinese
	// reference 0..1000; 100 is valid for both.
	PageSize: 100,
	ID:       func(e desktopEvent) *string { return e.ID },
	Fetch: &clouds.HuaweiList[desktopEvent]{
		Operation: "ListKeyDesktopEvents", Service: "workspace", Method: "GET", TotalField: "total_count", ListField: "operations",
		Path: "/v2/{project_id}/screen-records/{record_id}/os-operations",
	},
	Explain: notFoundHint,
}

// eventIDOfType: when event_type is set, event_id must be of that type.
// The API would only AND the two filters and return nothing.
var eventIDOfType = listread.Check{
	Description: "when event_type is set, event_id must start with event_type followed by an underscore",
	Validate: func(c *listread.Config) {
		t, ok1 := c.String("event_type")
		e, ok2 := c.String("event_id")
		if !ok1 || !ok2 || !slices.Contains(desktopEventTypes, t) || strings.HasPrefix(e, t+"_") {
			return // an unknown type is reported by event_type's own validator
		}
		c.Fail("event_id", "Conflicting event filters",
			fmt.Sprintf("event_id %q is not an event of event_type %q: with event_type = %q, event_id must start with %q. "+
				"The API would match no event.", e, t, t, t+"_"))
	},
}

// notFoundHint says which screen recording was not found when the service
// (not the gateway, whose unknown-route answers are APIG.*) answers 404.
func notFoundHint(err error, s clouds.HuaweiScope, r *listread.Request) error {
	var ae *apierror.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusNotFound || strings.HasPrefix(ae.Code, "APIG.") {
		return err
	}
	return fmt.Errorf("screen recording %q (screen_record_id) was not found in project %s (region %s); "+
		"check the id and the project: %w", r.Args.String("screen_record_id"), s.Project, s.Region, err)
}
