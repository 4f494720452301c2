package listread

import (
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Decoded are items of an answer, decoded into a declaration's item type:
// what the tests that compare the state with the framework's reflection
// path and the benchmarks that time the conversion start from, so that
// neither a request nor the JSON decoding is in what they compare or
// time, for every declaration of the catalog alike.
type Decoded interface {
	// Len is the number of items.
	Len() int
	// State is the state a read that returned these items, and counted
	// Len() matches in all, gives for config: the items converted by the
	// declaration's fields and counted by its status, as a read does
	// (collect), with id as its id.
	State(config tftypes.Value, id string) (tftypes.Value, error)
}

// Decode decodes items, a JSON array of the API's items, as a read
// decodes a page's list.
func (d *Offset[T, S]) Decode(items []byte) (Decoded, error) {
	return decode(&d.API, d.Fields, d.Status, items)
}

// Decode decodes items, a JSON array of the API's items, as a read
// decodes a page's list.
func (d *Token[T, S]) Decode(items []byte) (Decoded, error) {
	return decode(&d.API, d.Fields, d.Status, items)
}

func decode[T any](a *API, fields Fields[T], status func(*T) *string, b []byte) (Decoded, error) {
	var items []T
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, fmt.Errorf("%s: decoding items: %w", a.TypeName, err)
	}
	return &decoded[T]{api: a, fields: fields, status: status, items: items}, nil
}

type decoded[T any] struct {
	api    *API
	fields Fields[T]
	status func(*T) *string
	items  []T
}

func (d *decoded[T]) Len() int { return len(d.items) }

func (d *decoded[T]) State(config tftypes.Value, id string) (tftypes.Value, error) {
	itemType := d.fields.Type()
	vals, counts, err := collect(func(yield func(T, error) bool) {
		for _, it := range d.items {
			if !yield(it, nil) {
				return
			}
		}
	}, itemType, d.fields, d.status, 0)
	if err != nil {
		return tftypes.Value{}, err
	}
	return d.api.state(config, id, itemType, vals, len(d.items), counts)
}
