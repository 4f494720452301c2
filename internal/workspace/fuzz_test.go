package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/framework"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// Fuzz tests of the response path of both data sources: an HTTP 200 body
// goes through the data source's Read (the client, the JSON decoding into
// the page struct, the pager, the converter, the state) with every request
// answered by the fuzzer's body. A read must never panic; it either fails
// with the data source's error diagnostic and no result in the state, or
// returns a state that is a valid value of the schema's type (it survives
// the protocol's msgpack encoding) holding no more items than the body.
// The *Values fuzzers build valid pages from fuzzed field values and check
// that every value reaches the state unchanged and every absent field is
// null.

// fzTransport answers every request with a 200 and body, without any
// network traffic.
type fzTransport struct {
	body []byte
	n    atomic.Int64
}

func (f *fzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.n.Add(1) > 64 {
		return nil, errors.New("fuzz: more than 64 requests for one read")
	}
	return &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(f.body)), ContentLength: int64(len(f.body)), Request: r,
	}, nil
}

// fzRead reads ds with every answer being body; args are the set
// arguments (the rest null). It returns the response and the state type.
func fzRead(t *testing.T, ds datasource.DataSource, body []byte, args map[string]tftypes.Value) (*datasource.ReadResponse, tftypes.Object) {
	t.Helper()
	ctx := context.Background()
	tr := transport.New(transport.Options{HTTPClient: &http.Client{Transport: &fzTransport{body: body}}})
	meta := &framework.Meta{MaxParallel: 4, Huawei: huaweicloud.NewClient(huaweicloud.Config{
		Region: "cn-north-4", ProjectID: "0123456789abcdef0123456789abcdef", AccessKey: "AK", SecretKey: "SK",
		Endpoints: map[string]string{"workspace": "https://workspace.fuzz.invalid"},
	}, tr)}
	var cresp datasource.ConfigureResponse
	ds.(datasource.DataSourceWithConfigure).Configure(ctx, datasource.ConfigureRequest{ProviderData: meta}, &cresp)
	if cresp.Diagnostics.HasError() {
		t.Fatalf("configure: %v", cresp.Diagnostics)
	}
	var sresp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range args {
		vals[name] = v
	}
	config := tftypes.NewValue(typ, vals)
	resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: config.Copy()}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: config}}, resp)
	return resp, typ
}

// fzState checks a successful read's state: of the schema's type, through
// the protocol's encoding unchanged, with a deterministic id. It returns
// the attributes.
func fzState(t *testing.T, typ tftypes.Object, raw tftypes.Value) map[string]tftypes.Value {
	t.Helper()
	if !raw.Type().Equal(typ) {
		t.Fatalf("state type %s, want %s", raw.Type(), typ)
	}
	dv, err := tfprotov6.NewDynamicValue(typ, raw)
	if err != nil {
		t.Fatalf("state does not encode: %v", err)
	}
	back, err := dv.Unmarshal(typ)
	if err != nil || !back.Equal(raw) {
		t.Fatalf("state does not survive the protocol encoding: %v", err)
	}
	var attrs map[string]tftypes.Value
	if err := raw.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := attrs["id"].As(&id); err != nil || !fzIDForm.MatchString(id) {
		t.Fatalf("id %q (%v), want 32 hex digits", id, err)
	}
	return attrs
}

var fzIDForm = regexp.MustCompile(`^[0-9a-f]{32}$`)

// fzFailed checks a failed read: only the data source's error, and no
// result in the state.
func fzFailed(t *testing.T, resp *datasource.ReadResponse, summary, list string) {
	t.Helper()
	for _, d := range resp.Diagnostics.Errors() {
		if d.Summary() != summary || d.Detail() == "" {
			t.Fatalf("error diagnostic %q: %q, want summary %q with a detail", d.Summary(), d.Detail(), summary)
		}
	}
	var attrs map[string]tftypes.Value
	if err := resp.State.Raw.As(&attrs); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{list, "id"} {
		if !attrs[name].IsNull() {
			t.Fatalf("a failed read left %s = %s in the state", name, attrs[name])
		}
	}
}

// fzList returns the objects of a list attribute.
func fzList(t *testing.T, v tftypes.Value) []map[string]tftypes.Value {
	t.Helper()
	var elems []tftypes.Value
	if err := v.As(&elems); err != nil {
		t.Fatal(err)
	}
	out := make([]map[string]tftypes.Value, len(elems))
	for i, e := range elems {
		if err := e.As(&out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// fzJSONString is s as it comes back from JSON: invalid UTF-8 replaced.
func fzJSONString(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var out string
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// fzCheckString checks that attribute name of obj is want, or null when
// want is nil.
func fzCheckString(t *testing.T, obj map[string]tftypes.Value, name string, want *string) {
	t.Helper()
	v := obj[name]
	if want == nil {
		if !v.IsNull() {
			t.Fatalf("%s = %s, want null (absent in the answer)", name, v)
		}
		return
	}
	var got string
	if err := v.As(&got); err != nil || got != *want {
		t.Fatalf("%s = %s (%v), want %q", name, v, err, *want)
	}
}

// fzCheckNumber checks that attribute name of obj is the number want, or
// null when want is nil.
func fzCheckNumber(t *testing.T, obj map[string]tftypes.Value, name string, want *int64) {
	t.Helper()
	v := obj[name]
	if want == nil {
		if !v.IsNull() {
			t.Fatalf("%s = %s, want null (absent in the answer)", name, v)
		}
		return
	}
	var got big.Float
	if err := v.As(&got); err != nil || got.Cmp(new(big.Float).SetInt64(*want)) != 0 {
		t.Fatalf("%s = %s (%v), want %d", name, v, err, *want)
	}
}

// fzItems counts the items of a body the way the client decodes it: into
// a struct with the list under the API's key (encoding/json matches keys
// case-insensitively).
func fzItems[P any](t *testing.T, body []byte, items func(*P) []json.RawMessage) int {
	t.Helper()
	var page P
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatalf("the read succeeded on a body that does not decode: %v", err)
	}
	return len(items(&page))
}

type fzRecordsPage struct {
	Items []json.RawMessage `json:"script_records"`
}

type fzEventsPage struct {
	Items []json.RawMessage `json:"operations"`
}

func fzNumber(n int64) tftypes.Value {
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(n))
}

// FuzzScriptRecordsPage: any answer body for script execution records.
func FuzzScriptRecordsPage(f *testing.F) {
	f.Add([]byte(`{"count":2,"script_records":[{"id":"ser-000001","script_id":"script-01","script_name":"collect-logs",` +
		`"script_task_id":"task-00001-01","resource_id":"desktop-0001","resource_name":"desk 1","resource_type":"DESKTOP",` +
		`"start_time":"2026-11-20T11:00:00.000Z","end_time":"2026-11-20T11:00:05.000Z","status":"SUCCESS","execute_order":0,` +
		`"result_code":"","reason":""},{"id":"ser-000002","status":"FAILED","execute_order":2,"reason":"补丁 & \"x\"=1+2"}]}`))
	f.Add([]byte(`{"count":0,"script_records":[]}`))
	f.Add([]byte(`{"count":5,"script_records":[{"id":"a"},{"id":"a"},{}]}`))
	f.Add([]byte(`{"script_records":[{"id":"a"}]}`))
	f.Add([]byte(`{"count":1,"script_records":[null]}`))
	f.Add([]byte(`{"count":1,"script_records":[{"execute_order":1.5}]}`))
	f.Add([]byte(`{"count":1e400,"script_records":[]}`))
	f.Add([]byte(`{"count":2,"script_records":[{"id":"ser-000001","sta`))
	f.Add([]byte(`null`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, body []byte) {
		resp, typ := fzRead(t, NewScriptRecords(), body,
			map[string]tftypes.Value{"max_items": fzNumber(scriptRecordsPageSize)})
		if resp.Diagnostics.HasError() {
			fzFailed(t, resp, scriptRecordsSummary, "records")
			return
		}
		attrs := fzState(t, typ, resp.State.Raw)
		records := fzList(t, attrs["records"])
		if n := fzItems(t, body, func(p *fzRecordsPage) []json.RawMessage { return p.Items }); len(records) > n {
			t.Fatalf("%d records in state from a body of %d", len(records), n)
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
		for _, r := range records {
			if !r["status"].IsNull() {
				withStatus++
			}
		}
		if counted.Cmp(big.NewFloat(float64(withStatus))) != 0 {
			t.Fatalf("status_counts sum to %s for %d records with a status", counted.String(), withStatus)
		}
	})
}

// scriptRecordFields are the string fields of a record, in JSON.
var scriptRecordFields = []string{"id", "script_id", "script_name", "script_task_id", "resource_id", "resource_name",
	"resource_type", "start_time", "end_time", "status", "result_code", "reason"}

// FuzzScriptRecordValues: two records built from fuzzed values, each
// field present or absent by a bit of absent, reach the state unchanged,
// absent fields as null; the second is dropped only when it repeats the
// first one's id.
func FuzzScriptRecordValues(f *testing.F) {
	f.Add("ser-1", "ser-2", int64(2), uint32(0))
	f.Add("补丁 & \"x\"=1+2", "\xff\xfe", int64(-1<<63), uint32(0xffffffff))
	f.Add("same", "same", int64(1<<53+1), uint32(0))
	f.Add("", "", int64(0), uint32(1|1<<13))
	f.Fuzz(func(t *testing.T, s1, s2 string, order int64, absent uint32) {
		type rec struct {
			strs  map[string]*string
			order *int64
		}
		build := func(i int, s string) (map[string]any, rec) {
			m := map[string]any{}
			r := rec{strs: map[string]*string{}}
			for j, name := range scriptRecordFields {
				if absent&(1<<(j+13*i)) != 0 {
					r.strs[name] = nil
					continue
				}
				v := name + ":" + s
				if name == "id" {
					v = s
				}
				m[name] = v
				want := fzJSONString(t, v)
				r.strs[name] = &want
			}
			if absent&(1<<(12+13*i)) == 0 {
				m["execute_order"] = order
				r.order = &order
			}
			return m, r
		}
		m1, r1 := build(0, s1)
		m2, r2 := build(1, s2)
		body, err := json.Marshal(map[string]any{"count": 2, "script_records": []any{m1, m2}})
		if err != nil {
			t.Fatal(err)
		}
		want := []rec{r1, r2}
		if id1, id2 := r1.strs["id"], r2.strs["id"]; id1 != nil && id2 != nil && *id1 != "" && *id1 == *id2 {
			want = want[:1] // a repeated id is dropped; a record without one never is
		}
		resp, typ := fzRead(t, NewScriptRecords(), body, nil)
		if resp.Diagnostics.HasError() {
			t.Fatalf("a valid page failed: %v", resp.Diagnostics)
		}
		attrs := fzState(t, typ, resp.State.Raw)
		fzCheckNumber(t, attrs, "total_count", fzInt(2))
		got := fzList(t, attrs["records"])
		if len(got) != len(want) {
			t.Fatalf("%d records in state, want %d", len(got), len(want))
		}
		statuses := map[string]int64{}
		for i, w := range want {
			for _, name := range scriptRecordFields {
				fzCheckString(t, got[i], name, w.strs[name])
			}
			fzCheckNumber(t, got[i], "execute_order", w.order)
			if s := w.strs["status"]; s != nil {
				statuses[*s]++
			}
		}
		var counts map[string]tftypes.Value
		if err := attrs["status_counts"].As(&counts); err != nil {
			t.Fatal(err)
		}
		if len(counts) != len(statuses) {
			t.Fatalf("status_counts has %d statuses, want %d", len(counts), len(statuses))
		}
		for s, n := range statuses {
			fzCheckNumber(t, counts, s, &n)
		}
	})
}

// FuzzDesktopEventsPage: any answer body for key desktop events.
func FuzzDesktopEventsPage(f *testing.F) {
	f.Add([]byte(`{"total_count":2,"operations":[{"id":"ev-0001-00001","project_id":"p","desktop_id":"d-1",` +
		`"screen_record_id":"sr-0001","username":"alice","event_type":"APP","event_level":"INFO","event_id":"APP_START",` +
		`"event_data":"notepad.exe","operation_time":"2026-11-19 09:00:01","relative_start_time":12},` +
		`{"id":"ev-0001-00002","event_type":"FILE","event_id":"FILE_DELETE","relative_start_time":-3}]}`))
	f.Add([]byte(`{"total_count":0,"operations":[]}`))
	f.Add([]byte(`{"total_count":3,"operations":[{"id":"x"},{"id":"x"},{"relative_start_time":null}]}`))
	f.Add([]byte(`{"operations":[]}`))
	f.Add([]byte(`{"total_count":"1","operations":[]}`))
	f.Add([]byte(`{"total_count":1,"operations":{"id":"x"}}`))
	f.Add([]byte(`{"total_count":2,"operations":[{"id":"ev`))
	f.Fuzz(func(t *testing.T, body []byte) {
		resp, typ := fzRead(t, NewDesktopEvents(), body, map[string]tftypes.Value{
			"screen_record_id": tftypes.NewValue(tftypes.String, "sr-0001"),
			"max_items":        fzNumber(desktopEventsPageSize),
		})
		if resp.Diagnostics.HasError() {
			fzFailed(t, resp, desktopEventsSummary, "events")
			return
		}
		attrs := fzState(t, typ, resp.State.Raw)
		if n, got := fzItems(t, body, func(p *fzEventsPage) []json.RawMessage { return p.Items }), len(fzList(t, attrs["events"])); got > n {
			t.Fatalf("%d events in state from a body of %d", got, n)
		}
	})
}

// desktopEventFields are the string fields of an event, in JSON.
var desktopEventFields = []string{"id", "project_id", "desktop_id", "screen_record_id", "username", "event_type",
	"event_level", "event_id", "event_data", "operation_time"}

// FuzzDesktopEventValues: an event built from fuzzed values, each field
// present or absent by a bit of absent, reaches the state unchanged,
// absent fields as null.
func FuzzDesktopEventValues(f *testing.F) {
	f.Add("ev-0001-00001", int64(12), uint16(0))
	f.Add("补丁 & \"x\"=1+2 %/a?b#c", int64(-1<<63), uint16(0x7ff))
	f.Add("\x00\u2028", int64(1<<62), uint16(1))
	f.Fuzz(func(t *testing.T, s string, rel int64, absent uint16) {
		m := map[string]any{}
		want := map[string]*string{}
		for j, name := range desktopEventFields {
			if absent&(1<<j) != 0 {
				want[name] = nil
				continue
			}
			v := name + ":" + s
			m[name] = v
			w := fzJSONString(t, v)
			want[name] = &w
		}
		var wantRel *int64
		if absent&(1<<10) == 0 {
			m["relative_start_time"] = rel
			wantRel = &rel
		}
		body, err := json.Marshal(map[string]any{"total_count": 1, "operations": []any{m}})
		if err != nil {
			t.Fatal(err)
		}
		resp, typ := fzRead(t, NewDesktopEvents(), body,
			map[string]tftypes.Value{"screen_record_id": tftypes.NewValue(tftypes.String, "sr-0001")})
		if resp.Diagnostics.HasError() {
			t.Fatalf("a valid page failed: %v", resp.Diagnostics)
		}
		attrs := fzState(t, typ, resp.State.Raw)
		fzCheckNumber(t, attrs, "total_count", fzInt(1))
		got := fzList(t, attrs["events"])
		if len(got) != 1 {
			t.Fatalf("%d events in state, want 1", len(got))
		}
		for _, name := range desktopEventFields {
			fzCheckString(t, got[0], name, want[name])
		}
		fzCheckNumber(t, got[0], "relative_start_time", wantRel)
	})
}

func fzInt(n int64) *int64 { return &n }
