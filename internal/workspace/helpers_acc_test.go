package workspace_test

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/workspace"
)

// The two data source types, and the address of a block of each.
const (
	scriptType = workspace.ScriptRecordsTypeName
	eventsType = workspace.DesktopEventsTypeName
)

func scriptAddr(name string) string { return acctest.DataSource(scriptType).Address(name) }
func eventsAddr(name string) string { return acctest.DataSource(eventsType).Address(name) }

func ptr[T any](v T) *T { return &v }

// scriptFilter is the arguments of one script records block. match
// mirrors the emulator's documented semantics (internal/emulator doc.go,
// "Filter semantics"): list arguments match any of their values, the
// scalar ones exactly, the time window inclusively on start_time, and
// history records only with show_history = true.
type scriptFilter struct {
	ResourceIDs, ResourceGroupIDs, ScriptIDs, ScriptNames []string
	Status, ScriptTaskID, TaskType                        string
	IsFirstOrder, ShowHistory                             *bool
	Start, End                                            string
	MaxItems                                              int
}

// hcl renders the filter as a data block named name.
func (f scriptFilter) hcl(name string) string {
	var args []acctest.Arg
	lists := []struct {
		attr string
		vals []string
	}{{"resource_ids", f.ResourceIDs}, {"resource_group_ids", f.ResourceGroupIDs}, {"script_ids", f.ScriptIDs}, {"script_names", f.ScriptNames}}
	for _, l := range lists {
		if l.vals != nil {
			args = append(args, acctest.ExprArg(l.attr, acctest.HCLList(l.vals...)))
		}
	}
	strs := []struct{ attr, val string }{
		{"status", f.Status}, {"script_task_id", f.ScriptTaskID}, {"task_type", f.TaskType},
		{"execute_time_start", f.Start}, {"execute_time_end", f.End},
	}
	for _, s := range strs {
		if s.val != "" {
			args = append(args, acctest.StringArg(s.attr, s.val))
		}
	}
	if f.IsFirstOrder != nil {
		args = append(args, acctest.ExprArg("is_first_order", strconv.FormatBool(*f.IsFirstOrder)))
	}
	if f.ShowHistory != nil {
		args = append(args, acctest.ExprArg("show_history", strconv.FormatBool(*f.ShowHistory)))
	}
	if f.MaxItems > 0 {
		args = append(args, acctest.ExprArg("max_items", strconv.Itoa(f.MaxItems)))
	}
	return acctest.DataSource(scriptType).Block(name, args...)
}

func (f scriptFilter) match(r *emulator.ScriptRecord) bool {
	in := func(vals []string, v string) bool { return vals == nil || slices.Contains(vals, v) }
	if r.History && (f.ShowHistory == nil || !*f.ShowHistory) {
		return false
	}
	if !in(f.ResourceIDs, r.ResourceID) || !in(f.ResourceGroupIDs, r.ResourceGroupID) ||
		!in(f.ScriptIDs, r.ScriptID) || !in(f.ScriptNames, r.ScriptName) {
		return false
	}
	if f.Status != "" && r.Status != f.Status || f.ScriptTaskID != "" && r.ScriptTaskID != f.ScriptTaskID ||
		f.TaskType != "" && r.TaskType != f.TaskType || f.IsFirstOrder != nil && r.IsFirstOrder != *f.IsFirstOrder {
		return false
	}
	if f.Start != "" || f.End != "" {
		t, err := time.Parse(time.RFC3339Nano, r.StartTime)
		if err != nil {
			return false
		}
		if f.Start != "" && t.Before(mustTime(f.Start)) || f.End != "" && t.After(mustTime(f.End)) {
			return false
		}
	}
	return true
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// expect returns every record of d matching f, in dataset (answer) order.
func (f scriptFilter) expect(d *emulator.Dataset) []emulator.ScriptRecord {
	var out []emulator.ScriptRecord
	for i := range d.ScriptRecords() {
		if f.match(&d.ScriptRecords()[i]) {
			out = append(out, d.ScriptRecords()[i])
		}
	}
	return out
}

// scriptObjects is what the records attribute must hold for recs.
func scriptObjects(recs []emulator.ScriptRecord) []map[string]any {
	return acctest.Objects(workspace.ScriptRecordsTypeName, recs)
}

// scriptChecks asserts a script records block returned exactly want (the
// first len(want) matches) out of total matches, with status_counts
// counting want.
func scriptChecks(name string, want []emulator.ScriptRecord, total int) []statecheck.StateCheck {
	return acctest.ExpectRead(scriptType, scriptAddr(name), scriptObjects(want), total)
}

// eventFilter is the arguments of one desktop events block; match mirrors
// the emulator's semantics: type, id and level exact, event_data a
// case-sensitive substring.
type eventFilter struct {
	ScreenRecordID        string
	Type, ID, Level, Data string
	MaxItems              int
}

func (f eventFilter) hcl(name string) string {
	args := []acctest.Arg{acctest.StringArg("screen_record_id", f.ScreenRecordID)}
	strs := []struct{ attr, val string }{
		{"event_type", f.Type}, {"event_id", f.ID}, {"event_level", f.Level}, {"event_data", f.Data},
	}
	for _, s := range strs {
		if s.val != "" {
			args = append(args, acctest.StringArg(s.attr, s.val))
		}
	}
	if f.MaxItems > 0 {
		args = append(args, acctest.ExprArg("max_items", strconv.Itoa(f.MaxItems)))
	}
	return acctest.DataSource(eventsType).Block(name, args...)
}

func (f eventFilter) match(e *emulator.DesktopEvent) bool {
	return (f.Type == "" || e.EventType == f.Type) && (f.ID == "" || e.EventID == f.ID) &&
		(f.Level == "" || e.EventLevel == f.Level) && strings.Contains(e.EventData, f.Data)
}

func (f eventFilter) expect(d *emulator.Dataset) []emulator.DesktopEvent {
	var out []emulator.DesktopEvent
	evs := d.ScreenRecords()[f.ScreenRecordID]
	for i := range evs {
		if f.match(&evs[i]) {
			out = append(out, evs[i])
		}
	}
	return out
}

// eventObjects is what the events attribute must hold for evs.
func eventObjects(evs []emulator.DesktopEvent) []map[string]any {
	return acctest.Objects(workspace.DesktopEventsTypeName, evs)
}

// eventChecks asserts a desktop events block returned exactly want out of
// total matches.
func eventChecks(name string, want []emulator.DesktopEvent, total int) []statecheck.StateCheck {
	return acctest.ExpectRead(eventsType, eventsAddr(name), eventObjects(want), total)
}
