package emulator

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// EnvVar is one environment variable of the provider.
type EnvVar struct {
	Name, Value string
	// Secret marks a value to show as a placeholder (a security token
	// given on the emulator's command line).
	Secret bool
}

// ProviderEnv is the environment that alone points the provider at the
// emulator listening at url (Server.URL) with the emulator's credentials:
// keys, regions and every endpoint of both clouds, in the order the
// emulator's banner prints them. Alibaba's sts and imds endpoints are set
// too, so that nothing the provider may call leaves the machine.
func (s *Server) ProviderEnv(url string) []EnvVar {
	env := []EnvVar{
		{Name: "HW_ACCESS_KEY", Value: s.opts.HuaweiAccessKey},
		{Name: "HW_SECRET_KEY", Value: s.opts.HuaweiSecretKey},
		{Name: "HW_REGION_NAME", Value: DemoRegionHuawei},
	}
	if t := s.opts.HuaweiSecurityToken; t != "" {
		env = append(env, EnvVar{Name: "HW_SECURITY_TOKEN", Value: t, Secret: true})
	}
	env = append(env,
		EnvVar{Name: "HW_ENDPOINT_IAM", Value: url},
		EnvVar{Name: "HW_ENDPOINT_WORKSPACE", Value: url},
		EnvVar{Name: "HW_ENDPOINT_SECMASTER", Value: url},
		EnvVar{Name: "ALIBABA_CLOUD_ACCESS_KEY_ID", Value: s.opts.AliAccessKey},
		EnvVar{Name: "ALIBABA_CLOUD_ACCESS_KEY_SECRET", Value: s.opts.AliSecretKey},
		EnvVar{Name: "ALIBABA_CLOUD_REGION", Value: DemoRegionAli},
	)
	if t := s.opts.AliSecurityToken; t != "" {
		env = append(env, EnvVar{Name: "ALIBABA_CLOUD_SECURITY_TOKEN", Value: t, Secret: true})
	}
	return append(env,
		EnvVar{Name: "ALIBABA_CLOUD_ENDPOINT_OOS", Value: url},
		EnvVar{Name: "ALIBABA_CLOUD_ENDPOINT_STS", Value: url},
		EnvVar{Name: "ALIBABA_CLOUD_ENDPOINT_IMDS", Value: url},
	)
}

// APISummary describes what one API of a dataset holds, for a user who
// wants to write a query that finds something.
type APISummary struct {
	// Name is the API, as users know it.
	Name string
	// Items is the number of items.
	Items int
	// TimeField names the time field Earliest and Latest are of.
	TimeField string
	// Earliest and Latest are the earliest and latest TimeField values
	// (as the data has them); empty when no item has a readable time.
	Earliest, Latest string
	// Fields are the filterable fields, each with its distinct values.
	Fields []FieldValues
}

// FieldValues is a filter argument of a data source and the distinct
// values the data has for it: plain values (letters, digits, '.', '_',
// '-') first, each group in data order.
type FieldValues struct {
	Field  string
	Values []string
}

// Summary describes every API of the dataset: its time range and the
// values of each argument that filters on an item field (script records:
// script_names, resource_group_ids, resource_ids, script_ids, status,
// task_type; desktop events: screen_record_id, event_id, event_level;
// audit logs: workspace_id, action_name, instance_type, status,
// trigger_type, log_level; OOS: execution_id, task_execution_id,
// log_type).
func (d *Dataset) Summary() []APISummary {
	var sr APISummary
	sr.Name, sr.Items, sr.TimeField = "Workspace script execution records", len(d.ScriptRecords), "start_time"
	names, groups, resources, scripts, statuses, types := newValues(), newValues(), newValues(), newValues(), newValues(), newValues()
	times := timeRange{}
	for i := range d.ScriptRecords {
		r := &d.ScriptRecords[i]
		names.add(r.ScriptName)
		groups.add(r.ResourceGroupID)
		resources.add(r.ResourceID)
		scripts.add(r.ScriptID)
		statuses.add(r.Status)
		types.add(r.TaskType)
		times.add(r.StartTime)
	}
	sr.Earliest, sr.Latest = times.min, times.max
	sr.Fields = []FieldValues{
		names.field("script_names"), groups.field("resource_group_ids"), resources.field("resource_ids"),
		scripts.field("script_ids"), statuses.field("status"), types.field("task_type"),
	}

	var de APISummary
	de.Name, de.TimeField = "Workspace desktop events", "operation_time"
	records, events, levels := newValues(), newValues(), newValues()
	times = timeRange{}
	for _, id := range sortedKeys(d.ScreenRecords) {
		records.add(id)
		for i := range d.ScreenRecords[id] {
			e := &d.ScreenRecords[id][i]
			de.Items++
			events.add(e.EventID)
			levels.add(e.EventLevel)
			times.add(e.OperationTime)
		}
	}
	de.Earliest, de.Latest = times.min, times.max
	de.Fields = []FieldValues{records.field("screen_record_id"), events.field("event_id"), levels.field("event_level")}

	var al APISummary
	al.Name, al.TimeField = "SecMaster playbook audit logs", "start_time"
	workspaces, actions, itypes, astatuses, triggers, loglevels := newValues(), newValues(), newValues(), newValues(), newValues(), newValues()
	times = timeRange{}
	for _, id := range sortedKeys(d.Workspaces) {
		workspaces.add(id)
		for i := range d.Workspaces[id] {
			l := &d.Workspaces[id][i]
			al.Items++
			actions.add(l.ActionName)
			itypes.add(l.InstanceType)
			astatuses.add(l.Status)
			triggers.add(l.TriggerType)
			loglevels.add(l.LogLevel)
			times.add(l.StartTime)
		}
	}
	al.Earliest, al.Latest = times.min, times.max
	al.Fields = []FieldValues{
		workspaces.field("workspace_id"), actions.field("action_name"), itypes.field("instance_type"),
		astatuses.field("status"), triggers.field("trigger_type"), loglevels.field("log_level"),
	}

	var ex APISummary
	ex.Name, ex.TimeField = "OOS execution logs", "timestamp"
	executions, tasks, logTypes := newValues(), newValues(), newValues()
	times = timeRange{}
	for _, id := range sortedKeys(d.Executions) {
		executions.add(id)
		for i := range d.Executions[id] {
			l := &d.Executions[id][i]
			ex.Items++
			tasks.add(l.TaskExecutionID)
			logTypes.add(l.LogType)
			times.add(l.Timestamp)
		}
	}
	ex.Earliest, ex.Latest = times.min, times.max
	ex.Fields = []FieldValues{executions.field("execution_id"), tasks.field("task_execution_id"), logTypes.field("log_type")}

	return []APISummary{sr, de, al, ex}
}

// plainValue is a value a user can type without quoting trouble.
var plainValue = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// values collects distinct values in order of first appearance.
type values struct {
	seen  map[string]bool
	order []string
}

func newValues() *values { return &values{seen: map[string]bool{}} }

func (v *values) add(s string) {
	if s == "" || v.seen[s] {
		return
	}
	v.seen[s] = true
	v.order = append(v.order, s)
}

func (v *values) field(name string) FieldValues {
	out := make([]string, 0, len(v.order))
	for _, s := range v.order {
		if plainValue.MatchString(s) {
			out = append(out, s)
		}
	}
	for _, s := range v.order {
		if !plainValue.MatchString(s) {
			out = append(out, s)
		}
	}
	return FieldValues{Field: name, Values: out}
}

// timeRange keeps the earliest and latest readable time, as written.
type timeRange struct {
	min, max   string
	tmin, tmax time.Time
}

func (r *timeRange) add(s string) {
	t, ok := parseItemTime(s)
	if !ok {
		return
	}
	if r.min == "" || t.Before(r.tmin) {
		r.min, r.tmin = s, t
	}
	if r.max == "" || t.After(r.tmax) {
		r.max, r.tmax = s, t
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, strings.Compare)
	return keys
}
