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
// values of each argument that filters on an item field (see each
// plug-in's summary), in the APIs' order.
func (d *Dataset) Summary() []APISummary {
	var out []APISummary
	for _, p := range dataParts() {
		out = append(out, p.summary(d.get(p)))
	}
	return out
}

// summarySpec says how to describe an API's items: the API as users know
// it, the argument of its parent ("" for an API without one), its time
// field and its filter arguments.
type summarySpec[T any] struct {
	name, keyField, timeField string
	timeOf                    func(*T) string
	fields                    []itemField[T]
}

// itemField is a filter argument and the item field it matches.
type itemField[T any] struct {
	name string
	get  func(*T) string
}

func field[T any](name string, get func(*T) string) itemField[T] { return itemField[T]{name, get} }

// summarize describes the items of one API, grouped by the key of their
// parent (items of an API without one are under the key "").
func (sp summarySpec[T]) summarize(groups map[string][]T) APISummary {
	a := APISummary{Name: sp.name, TimeField: sp.timeField}
	keys := newValues()
	vals := make([]*values, len(sp.fields))
	for i := range vals {
		vals[i] = newValues()
	}
	var times timeRange
	for _, k := range sortedKeys(groups) {
		keys.add(k)
		for i := range groups[k] {
			item := &groups[k][i]
			a.Items++
			for j, f := range sp.fields {
				vals[j].add(f.get(item))
			}
			times.add(sp.timeOf(item))
		}
	}
	if sp.keyField != "" {
		a.Fields = append(a.Fields, keys.field(sp.keyField))
	}
	for j, f := range sp.fields {
		a.Fields = append(a.Fields, vals[j].field(f.name))
	}
	a.Earliest, a.Latest = times.min, times.max
	return a
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
