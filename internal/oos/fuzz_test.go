package oos

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

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/framework"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// Fuzz tests of the response path of the data source: an HTTP 200 body
// goes through Read (the client, the JSON decoding into the page struct,
// the token pager, the converter, the state) with every request answered
// by the fuzzer's body. A read must never panic; it either fails with the
// data source's error diagnostic and no result in the state, or returns a
// state that is a valid value of the schema's type (it survives the
// protocol's msgpack encoding) holding no more items than the body. The
// *Values fuzzer builds valid pages from fuzzed field values and checks
// that every value reaches the state unchanged, absent fields null.

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
	meta := &framework.Meta{MaxParallel: 4, Ali: alicloud.NewClient(alicloud.Config{
		Region: "cn-hangzhou", AccessKey: "AK", SecretKey: "SK",
		Endpoints: map[string]string{"oos": "https://oos.fuzz.invalid"},
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

func fzNumber(n int64) tftypes.Value {
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(n))
}

type fzLogsPage struct {
	Items []json.RawMessage `json:"ExecutionLogs"`
}

// FuzzExecutionLogsPage: any answer body for ListExecutionLogs.
func FuzzExecutionLogsPage(f *testing.F) {
	f.Add([]byte(`{"RequestId":"A-B","MaxResults":50,"IsTruncated":false,"ExecutionLogs":[{"TaskExecutionId":"exec-0001.t0001",` +
		`"Message":"started","LogType":"System","Timestamp":"2026-11-19T09:00:00Z"},{"Message":"补丁 & \"x\"=1+2"}]}`))
	f.Add([]byte(`{"NextToken":"tok","ExecutionLogs":[{"Message":"a"}]}`))
	f.Add([]byte(`{"NextToken":"","ExecutionLogs":null}`))
	f.Add([]byte(`{"ExecutionLogs":[null,{}]}`))
	f.Add([]byte(`{"NextToken":7,"ExecutionLogs":[]}`))
	f.Add([]byte(`{"ExecutionLogs":[{"Message":"a"`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		resp, typ := fzRead(t, NewExecutionLogs(), body, map[string]tftypes.Value{
			"execution_id": tftypes.NewValue(tftypes.String, "exec-0001"),
			"max_items":    fzNumber(executionLogsPageSize),
		})
		if resp.Diagnostics.HasError() {
			fzFailed(t, resp, executionLogsSummary, "execution_logs")
			return
		}
		attrs := fzState(t, typ, resp.State.Raw)
		// The same body answers every page: with a NextToken the read
		// either stops at max_items or fails on the repeated token.
		if n, got := fzItems(t, body, func(p *fzLogsPage) []json.RawMessage { return p.Items }), len(fzList(t, attrs["execution_logs"])); got > max(n, executionLogsPageSize) {
			t.Fatalf("%d logs in state from a body of %d", got, n)
		}
	})
}

// executionLogFields are the fields of a log entry: JSON key and attribute.
var executionLogFields = [][2]string{
	{"TaskExecutionId", "task_execution_id"}, {"Message", "message"}, {"LogType", "log_type"}, {"Timestamp", "timestamp"},
}

// FuzzExecutionLogValues: two log entries built from fuzzed values, each
// field present or absent by a bit of absent, reach the state unchanged
// and in order, absent fields as null; identical entries are both kept.
func FuzzExecutionLogValues(f *testing.F) {
	f.Add("started", "finished", uint8(0))
	f.Add("same", "same", uint8(0))
	f.Add("补丁 & \"x\"=1+2 %/a?b#c", "\xff\x00", uint8(0xa5))
	f.Fuzz(func(t *testing.T, s1, s2 string, absent uint8) {
		build := func(i int, s string) (map[string]any, map[string]*string) {
			m := map[string]any{}
			want := map[string]*string{}
			for j, kv := range executionLogFields {
				if absent&(1<<(j+4*i)) != 0 {
					continue
				}
				v := kv[1] + ":" + s
				m[kv[0]] = v
				w := fzJSONString(t, v)
				want[kv[1]] = &w
			}
			return m, want
		}
		m1, w1 := build(0, s1)
		m2, w2 := build(1, s2)
		body, err := json.Marshal(map[string]any{"RequestId": "r", "ExecutionLogs": []any{m1, m2}})
		if err != nil {
			t.Fatal(err)
		}
		resp, typ := fzRead(t, NewExecutionLogs(), body,
			map[string]tftypes.Value{"execution_id": tftypes.NewValue(tftypes.String, "exec-0001")})
		if resp.Diagnostics.HasError() {
			t.Fatalf("a valid page failed: %v", resp.Diagnostics)
		}
		got := fzList(t, fzState(t, typ, resp.State.Raw)["execution_logs"])
		if len(got) != 2 {
			t.Fatalf("%d logs in state, want 2 (never de-duplicated)", len(got))
		}
		for i, w := range []map[string]*string{w1, w2} {
			for _, kv := range executionLogFields {
				fzCheckString(t, got[i], kv[1], w[kv[1]])
			}
		}
	})
}
