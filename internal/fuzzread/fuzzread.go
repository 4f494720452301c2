// Package fuzzread is test support for the data sources' fuzz tests: it
// reads a data source with every HTTP request answered 200 with one
// fuzzed body, without any network traffic, and checks what the read left
// behind (a valid state or a clean failure) and the values in it.
//
// It is an ordinary package, not a _test.go file, so that the data source
// packages' internal tests can share it; nothing but tests imports it.
package fuzzread

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

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clouds"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// maxRequests bounds the requests of one read: a read that keeps asking
// fails instead of looping.
const maxRequests = 64

// fixedTransport answers every request with a 200 and body, without any
// network traffic.
type fixedTransport struct {
	body []byte
	n    atomic.Int64
}

func (f *fixedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.n.Add(1) > maxRequests {
		return nil, errors.New("fuzz: more than 64 requests for one read")
	}
	return &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(f.body)), ContentLength: int64(len(f.body)), Request: r,
	}, nil
}

// Read configures ds with meta's provider data over a transport that
// answers every request with body, and reads it; args are the set
// arguments (the rest null). It returns the response and the state type.
func Read(t testing.TB, ds datasource.DataSource, meta func(*transport.Client) *clouds.Meta, body []byte, args map[string]tftypes.Value) (*datasource.ReadResponse, tftypes.Object) {
	t.Helper()
	tr := transport.New(transport.Options{HTTPClient: &http.Client{Transport: &fixedTransport{body: body}}})
	return ReadWith(t, ds, meta(tr), args)
}

// ReadWith configures ds with the provider data meta and reads it; args
// are the set arguments (the rest null).
func ReadWith(t testing.TB, ds datasource.DataSource, meta *clouds.Meta, args map[string]tftypes.Value) (*datasource.ReadResponse, tftypes.Object) {
	t.Helper()
	ctx := context.Background()
	withConfigure, ok := ds.(datasource.DataSourceWithConfigure)
	if !ok {
		t.Fatalf("%T has no Configure", ds)
	}
	var cresp datasource.ConfigureResponse
	withConfigure.Configure(ctx, datasource.ConfigureRequest{ProviderData: meta}, &cresp)
	if cresp.Diagnostics.HasError() {
		t.Fatalf("configure: %v", cresp.Diagnostics)
	}
	var sresp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sresp)
	typ, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("schema type %s is not an object", sresp.Schema.Type().TerraformType(ctx))
	}
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

// ReadPage is Read followed by the checks every read must pass: a failed
// read is checked with Failed (the data source's error summary, and list,
// its list attribute), a successful one with State. It returns the state's
// attributes and the objects of list, or ok false after a failed read.
func ReadPage(t testing.TB, ds datasource.DataSource, meta func(*transport.Client) *clouds.Meta, body []byte, args map[string]tftypes.Value, summary, list string) (attrs map[string]tftypes.Value, objs []map[string]tftypes.Value, ok bool) {
	t.Helper()
	resp, typ := Read(t, ds, meta, body, args)
	if resp.Diagnostics.HasError() {
		Failed(t, resp, summary, list)
		return nil, nil, false
	}
	attrs = State(t, typ, resp.State.Raw)
	return attrs, List(t, attrs[list]), true
}

// ReadValid reads ds with the JSON encoding of page as every answer (see
// Read), a page the data source must accept: the read must succeed, with
// a state State accepts. It returns the state's attributes and the objects
// of list, the data source's list attribute.
func ReadValid(t testing.TB, ds datasource.DataSource, meta func(*transport.Client) *clouds.Meta, page any, args map[string]tftypes.Value, list string) (attrs map[string]tftypes.Value, objs []map[string]tftypes.Value) {
	t.Helper()
	body, err := json.Marshal(page)
	if err != nil {
		t.Fatal(err)
	}
	resp, typ := Read(t, ds, meta, body, args)
	if resp.Diagnostics.HasError() {
		t.Fatalf("a valid page failed: %v", resp.Diagnostics)
	}
	attrs = State(t, typ, resp.State.Raw)
	return attrs, List(t, attrs[list])
}

// idForm is the form of every data source id.
var idForm = regexp.MustCompile(`^[0-9a-f]{32}$`)

// State checks a successful read's state: of the schema's type, through
// the protocol's encoding unchanged, with a deterministic id (32 hex
// digits). It returns the attributes.
func State(t testing.TB, typ tftypes.Object, raw tftypes.Value) map[string]tftypes.Value {
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
	if err := attrs["id"].As(&id); err != nil || !idForm.MatchString(id) {
		t.Fatalf("id %q (%v), want 32 hex digits", id, err)
	}
	return attrs
}

// Failed checks a failed read: only error diagnostics with the data
// source's summary and a detail, and neither the list attribute nor the id
// in the state.
func Failed(t testing.TB, resp *datasource.ReadResponse, summary, list string) {
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

// List returns the objects of a list attribute.
func List(t testing.TB, v tftypes.Value) []map[string]tftypes.Value {
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

// Items counts the items of a body the way the client reads them: the
// list under the member named list, matched exactly, case included
// (strictjson.Decode); a body that repeats that member is refused by the
// client, so a successful read saw it once. A body that does not decode
// fails t: call it only after a successful read.
func Items(t testing.TB, body []byte, list string) int {
	t.Helper()
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		t.Fatalf("the read succeeded on a body that does not decode: %v", err)
	}
	var items []json.RawMessage
	if raw, ok := members[list]; ok {
		if err := json.Unmarshal(raw, &items); err != nil {
			t.Fatalf("the read succeeded on a body whose %s does not decode: %v", list, err)
		}
	}
	return len(items)
}

// Number is n as a Terraform number value.
func Number(n int64) tftypes.Value {
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(n))
}
