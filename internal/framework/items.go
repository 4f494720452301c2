package framework

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ItemAttribute describes one field of a result item: the schema and the
// converter of a data source both derive from one list of these.
type ItemAttribute struct {
	// Name is the attribute name, the API's own field name.
	Name string
	// Number makes it a number; otherwise it is a string.
	Number      bool
	Description string
}

// ItemSchema returns the computed attributes of a result item.
func ItemSchema(attrs []ItemAttribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(attrs))
	for _, a := range attrs {
		if a.Number {
			out[a.Name] = schema.Int64Attribute{Computed: true, MarkdownDescription: a.Description}
		} else {
			out[a.Name] = schema.StringAttribute{Computed: true, MarkdownDescription: a.Description}
		}
	}
	return out
}

// Object builds an item's object value of type t; vals are in the order of
// attrs. It panics if the counts differ: a converter and its attribute
// list out of step is a programming error, caught by every test.
func Object(t tftypes.Object, attrs []ItemAttribute, vals ...tftypes.Value) tftypes.Value {
	if len(vals) != len(attrs) {
		panic("framework.Object: values and attributes differ in number")
	}
	m := make(map[string]tftypes.Value, len(attrs))
	for i, a := range attrs {
		m[a.Name] = vals[i]
	}
	return tftypes.NewValue(t, m)
}
