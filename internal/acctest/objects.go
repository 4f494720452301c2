package acctest

import (
	"bytes"
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
// underscores (task_execution_id is the API's TaskExecutionId); a nested
// object's attributes likewise, and a JSON-text field the field's JSON
// text, compacted. Audit logs' end_time is the emulator's EndTime, which
// it sends as end_time or last_report_time: the data source falls back
// from one to the other.
func Objects(typeName string, items any) []map[string]any {
	d := catalog.ByTypeName(typeName)
	if d == nil {
		panic("acctest.Objects: no data source " + typeName)
	}
	var fields []listread.Attribute
	for _, a := range d.Attributes() {
		if a.Kind == listread.ObjectList {
			fields = a.Nested
		}
	}
	b, err := json.Marshal(items)
	if err != nil {
		panic(err)
	}
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		panic(err)
	}
	out := make([]map[string]any, len(raw))
	for i, item := range raw {
		obj, err := object(fields, item)
		if err != nil {
			panic(fmt.Sprintf("acctest.Objects: the emulator's %T: %v", items, err))
		}
		out[i] = obj
	}
	return out
}

// object is the wanted form of the JSON object members for the attributes
// fields.
func object(fields []listread.Attribute, members map[string]json.RawMessage) (map[string]any, error) {
	byKey := make(map[string]json.RawMessage, len(members))
	for k, v := range members {
		byKey[fold(k)] = v
	}
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		m, ok := byKey[fold(f.Name)]
		if !ok {
			return nil, fmt.Errorf("no field %s", f.Name)
		}
		v, err := wanted(f, m)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		out[f.Name] = v
	}
	return out, nil
}

// wanted is the form ExpectObjects compares of the JSON value raw of
// attribute f: nil for null, a string, a float64, a bool, a map for an
// object, the compact JSON text for a JSON-text field.
func wanted(f listread.Attribute, raw json.RawMessage) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	switch f.Kind {
	case listread.JSONText:
		var b bytes.Buffer
		err := json.Compact(&b, raw)
		return b.String(), err
	case listread.Object:
		var members map[string]json.RawMessage
		if err := json.Unmarshal(raw, &members); err != nil {
			return nil, err
		}
		return object(f.Nested, members)
	}
	var v any
	err := json.Unmarshal(raw, &v)
	return v, err
}

// fold is a field name without case and underscores.
func fold(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
