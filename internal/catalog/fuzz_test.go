package catalog_test

import (
	"encoding/json"
	"fmt"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/clouds"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/fuzzread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// Fuzz tests of the response path of every data source of the catalog:
// an HTTP 200 body goes through the data source's Read (the client, the
// decoding of the answer's members, the pager, the converter, the state)
// with every request answered by the fuzzer's body, no network traffic
// (internal/fuzzread). The first input picks the data source (modulo the
// catalog's length), so a new API is fuzzed without a fuzz test of its
// own.

// fuzzMaxItems is the max_items of every fuzzed read.
const fuzzMaxItems = 100

// fuzzCase is the data source the fuzzer's which picks, its fixture and
// the arguments of a read.
func fuzzCase(which uint8) (listread.Declaration, emulator.Fixture, map[string]tftypes.Value) {
	fs := acctest.Fixtures()
	f := fs[int(which)%len(fs)]
	args := acctest.StringValues(f.Args)
	args["max_items"] = fuzzread.Number(fuzzMaxItems)
	return catalog.ByTypeName(f.TypeName), f, args
}

// page is the answer of d holding items (a JSON array): its list member,
// and its total member (the number of items) where it has one.
func page(t testing.TB, d listread.Declaration, items []byte) []byte {
	t.Helper()
	m := map[string]json.RawMessage{d.Doc().List: items}
	if total := d.Doc().Total; total != "" {
		var n []json.RawMessage
		if err := json.Unmarshal(items, &n); err != nil {
			t.Fatal(err)
		}
		m[total] = json.RawMessage(fmt.Sprint(len(n)))
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fuzzMeta is provider data with both clouds' clients, every endpoint on
// a host that is never contacted (the fuzzer's transport answers).
func fuzzMeta(tr *transport.Client) *clouds.Meta { return meta(tr) }

// FuzzPage: any answer body, for any data source. A read must never
// panic; it either fails with the data source's error diagnostic and no
// result in the state, or returns a state that is a valid value of the
// schema's type (it survives the protocol's msgpack encoding) with no
// more items than max_items, no more than the body's items times the
// requests of one read, and, where it counts them, status counts that
// add up to the items with a status.
func FuzzPage(f *testing.F) {
	for i, fx := range acctest.Fixtures() {
		d := catalog.ByTypeName(fx.TypeName)
		items, err := acctest.ItemsJSON(fx, emulator.DefaultSeed, 3)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), page(f, d, items))
		f.Add(uint8(i), page(f, d, []byte(`[null,{}]`)))
		f.Add(uint8(i), page(f, d, []byte(`[]`)))
		f.Add(uint8(i), []byte(`{"`+d.Doc().List+`":[{"id":"a"},{"id":"a"},{}],"`+d.Doc().Total+`":1e400}`))
		body := page(f, d, items)
		f.Add(uint8(i), body[:len(body)/2])
	}
	for _, s := range []string{`null`, ``, `[]`, `{"NextToken":7}`} {
		f.Add(uint8(0), []byte(s))
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		d, _, args := fuzzCase(which)
		attrs, objs, ok := fuzzread.ReadPage(t, listread.DataSource(d)(), fuzzMeta, body, args, d.Spec().Summary(), d.Spec().List)
		if !ok {
			return
		}
		if n := fuzzread.Items(t, body, d.Doc().List); len(objs) > fuzzMaxItems || len(objs) > n*64 {
			t.Fatalf("%d items in state from a body of %d (max_items %d)", len(objs), n, fuzzMaxItems)
		}
		if d.Spec().StatusCounts == "" {
			return
		}
		var counts map[string]tftypes.Value
		if err := attrs["status_counts"].As(&counts); err != nil {
			t.Fatal(err)
		}
		var counted big.Float
		for _, c := range counts {
			var n big.Float
			if err := c.As(&n); err != nil {
				t.Fatal(err)
			}
			counted.Add(&counted, &n)
		}
		withStatus := 0
		for _, o := range objs {
			if !o["status"].IsNull() {
				withStatus++
			}
		}
		if counted.Cmp(big.NewFloat(float64(withStatus))) != 0 {
			t.Fatalf("status_counts sum to %s for %d items with a status", counted.String(), withStatus)
		}
	})
}

// FuzzValues: two of the emulator's items of any data source, each text
// field set to a fuzzed value (prefixed with its name and the item's
// index, so that no two items share an id), each number field to a fuzzed
// number, or either left out by a bit of absent, go through the whole read, and the state's items are the
// reflection path's for the same items (acctest.Reflection, which reads
// each attribute from the item's member of the same name, independently
// of the declaration's getters): every value unchanged, absent fields
// null, the counts alike.
func FuzzValues(f *testing.F) {
	for i := range acctest.Fixtures() {
		f.Add(uint8(i), "a", "b", int64(2), uint64(0))
		f.Add(uint8(i), "补丁 & \"x\"=1+2 %/a?b#c", "\xff\x00", int64(-1<<63), uint64(0xa5a5a5a5))
		f.Add(uint8(i), "", "same", int64(1<<53+1), uint64(1<<63|1))
	}
	f.Fuzz(func(t *testing.T, which uint8, s1, s2 string, n int64, absent uint64) {
		d, fx, args := fuzzCase(which)
		raw, err := acctest.ItemsJSON(fx, emulator.DefaultSeed, 2)
		if err != nil {
			t.Fatal(err)
		}
		var items []map[string]json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil || len(items) < 2 {
			t.Fatalf("%d emulator items (%v)", len(items), err)
		}
		items = items[:2]
		bit := 0
		for i, s := range []string{s1, s2} {
			for _, a := range itemFields(d) {
				k := member(items[i], a.Name)
				var v any
				switch {
				case k == "":
					continue
				case a.Kind == listread.String:
					v = fmt.Sprintf("%s:%d:%s", a.Name, i, s)
				case a.Kind == listread.Int64:
					v = n - int64(i)
				default:
					continue
				}
				if absent&(1<<(bit%64)) != 0 {
					delete(items[i], k)
				} else {
					items[i][k], _ = json.Marshal(v)
				}
				bit++
			}
		}
		list, err := json.Marshal(items)
		if err != nil {
			t.Fatal(err)
		}
		attrs, _ := fuzzread.ReadValid(t, listread.DataSource(d)(), fuzzMeta, json.RawMessage(page(t, d, list)), args, d.Spec().List)
		typ := listread.DataSourceSchema(d).Type().TerraformType(t.Context()).(tftypes.Object)
		p, err := acctest.NewPaths(d, acctest.Object(typ, args), list)
		if err != nil {
			t.Fatal(err)
		}
		slow, err := p.SlowState("x")
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]tftypes.Value
		if err := slow.As(&want); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{d.Spec().List, "status_counts", "total_count"} {
			if got, ok := attrs[name]; ok && !got.Equal(want[name]) {
				t.Fatalf("%s: the read gives %s, the reflection path %s", name, got, want[name])
			}
		}
	})
}
