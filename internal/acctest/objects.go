package acctest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// Objects is what the result list of the data source typeName must hold
// for items, a slice of the emulator's item structs, in the form
// ExpectObjects compares. It is independent of the data source's
// converter: each item attribute the catalog declares takes the emulator
// item's JSON field of the same name, compared without case and
// underscores (task_execution_id is the API's TaskExecutionId). Audit
// logs' end_time is the emulator's EndTime, which it sends as end_time or
// last_report_time: the data source falls back from one to the other.
func Objects(typeName string, items any) []map[string]any {
	d := catalog.ByTypeName(typeName)
	if d == nil {
		panic("acctest.Objects: no data source " + typeName)
	}
	var fields []string
	for _, a := range d.Attributes() {
		if a.Kind == listread.ObjectList {
			for _, f := range a.Nested {
				fields = append(fields, f.Name)
			}
		}
	}
	b, err := json.Marshal(items)
	if err != nil {
		panic(err)
	}
	var raw []map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		panic(err)
	}
	out := make([]map[string]any, len(raw))
	for i, item := range raw {
		byKey := make(map[string]any, len(item))
		for k, v := range item {
			byKey[fold(k)] = v
		}
		out[i] = make(map[string]any, len(fields))
		for _, f := range fields {
			v, ok := byKey[fold(f)]
			if !ok {
				panic(fmt.Sprintf("acctest.Objects: the emulator's %T has no field %s", items, f))
			}
			out[i][f] = v
		}
	}
	return out
}

// fold is a field name without case and underscores.
func fold(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
