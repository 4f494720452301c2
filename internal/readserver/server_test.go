package readserver

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/metaschema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/tfvalue"
)

// testProvider has one data source, "test_items". Its Configure hands the
// data source "framework"; DataSourceData says "direct" (or nil), so a
// read's state tells which of the two paths served it.
type testProvider struct {
	direct any
	ds     func() datasource.DataSource
}

func (p *testProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "test"
}
func (p *testProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (p *testProvider) Configure(_ context.Context, _ provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	resp.DataSourceData = "framework"
}
func (p *testProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{p.ds}
}
func (p *testProvider) Resources(context.Context) []func() resource.Resource { return nil }
func (p *testProvider) DataSourceData() any                                  { return p.direct }

// items is a data source with an RFC 3339 argument, computed items (with
// a string, a number, a bool and a nested object, null in one item) and a
// map, diagnostics with and without paths, and a way to wait for a stop.
type items struct {
	via     string
	started chan struct{}
}

func (d *items) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_items"
}

func (d *items) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"since": schema.StringAttribute{Optional: true, CustomType: timetypes.RFC3339Type{}},
		"mode":  schema.StringAttribute{Optional: true},
		"via":   schema.StringAttribute{Computed: true},
		"items": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"name": schema.StringAttribute{Computed: true},
				"n":    schema.Int64Attribute{Computed: true},
				"ok":   schema.BoolAttribute{Computed: true},
				"detail": schema.SingleNestedAttribute{Computed: true, Attributes: map[string]schema.Attribute{
					"code":  schema.StringAttribute{Computed: true},
					"retry": schema.BoolAttribute{Computed: true},
				}},
			},
		}},
		"counts": schema.MapAttribute{Computed: true, ElementType: types.Int64Type},
	}}
}

func (d *items) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	switch v := req.ProviderData.(type) {
	case nil:
	case string:
		d.via = v
	default:
		resp.Diagnostics.AddError("Unexpected provider data", "not a string")
	}
}

func (d *items) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var mode types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("mode"), &mode)...)
	switch mode.ValueString() {
	case "fail":
		resp.Diagnostics.AddAttributeError(path.Root("items").AtListIndex(2).AtName("name"), "Bad item", "item 2 is bad")
		resp.Diagnostics.AddError("Unable to list items", "the API said no")
		return
	case "defer":
		// A data source may defer only when Terraform allows it.
		if !req.ClientCapabilities.DeferralAllowed {
			resp.Diagnostics.AddError("Unable to list items", "would defer, but deferral is not allowed")
			return
		}
		resp.Deferred = &datasource.Deferred{Reason: datasource.DeferredReasonAbsentPrereq}
		return
	case "wait":
		close(d.started)
		select {
		case <-ctx.Done():
			resp.Diagnostics.AddError("Unable to list items", "stopped: "+ctx.Err().Error())
		case <-time.After(30 * time.Second):
			resp.Diagnostics.AddError("Unable to list items", "not stopped")
		}
		return
	}
	resp.Diagnostics.AddAttributeWarning(path.Root("since"), "Total changed", "from 2 to 3")
	resp.Diagnostics.AddWarning("No path", "a warning on the whole data source")
	itemType, ok := tfvalue.ElementType(req.Config.Raw.Type().(tftypes.Object), "items").(tftypes.Object)
	if !ok {
		resp.Diagnostics.AddError("type", "items are not objects")
		return
	}
	detailType := itemType.AttributeTypes["detail"].(tftypes.Object)
	var vals []tftypes.Value
	for i, name := range []string{"a", "b", "c"} {
		ok := i%2 == 0
		detail := tftypes.NewValue(detailType, nil) // null in the second item
		if i != 1 {
			detail = tftypes.NewValue(detailType, map[string]tftypes.Value{"code": tfvalue.String("E" + name), "retry": tfvalue.Bool(&ok)})
		}
		vals = append(vals, tftypes.NewValue(itemType, map[string]tftypes.Value{"name": tfvalue.String(name), "n": tfvalue.Int64(int64(i)),
			"ok": tfvalue.Bool(&ok), "detail": detail}))
	}
	state, err := tfvalue.State(req.Config.Raw, map[string]tftypes.Value{
		"via":    tfvalue.String(d.via),
		"items":  tfvalue.List(itemType, vals),
		"counts": tfvalue.CountMap(map[string]int64{"x": 2, "y": 1}),
	})
	if err != nil {
		resp.Diagnostics.AddError("state", err.Error())
		return
	}
	resp.State.Raw = state
}

type readResult struct {
	state    tftypes.Value
	diags    []*tfprotov6.Diagnostic
	deferred *tfprotov6.Deferred
}

// configured configures srv with an empty provider configuration and
// returns the configuration of test_items (the schema schemaOf picks:
// the data source's or the ephemeral resource's) with the given
// arguments, every other one null, and its type.
func configured(t *testing.T, srv tfprotov6.ProviderServer, schemaOf func(*tfprotov6.GetProviderSchemaResponse) *tfprotov6.Schema,
	since, mode any) (tftypes.Object, tfprotov6.DynamicValue) {
	t.Helper()
	ctx := context.Background()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(schemas.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %v", err, schemas.Diagnostics)
	}
	pcfg, err := tfprotov6.NewDynamicValue(schemas.Provider.ValueType(), tftypes.NewValue(schemas.Provider.ValueType(), map[string]tftypes.Value{}))
	if err != nil {
		t.Fatal(err)
	}
	if cr, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &pcfg}); err != nil || len(cr.Diagnostics) > 0 {
		t.Fatalf("ConfigureProvider: %v %v", err, cr.Diagnostics)
	}
	typ := schemaOf(schemas).ValueType().(tftypes.Object)
	args := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		args[name] = tftypes.NewValue(at, nil)
	}
	args["since"] = tftypes.NewValue(tftypes.String, since)
	args["mode"] = tftypes.NewValue(tftypes.String, mode)
	cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, args))
	if err != nil {
		t.Fatal(err)
	}
	return typ, cfg
}

// read configures srv and reads test_items with the given arguments.
func read(t *testing.T, srv tfprotov6.ProviderServer, since, mode any) readResult {
	t.Helper()
	return readWith(t, srv, since, mode, nil)
}

// readWith is read with the client capabilities Terraform announces.
func readWith(t *testing.T, srv tfprotov6.ProviderServer, since, mode any, caps *tfprotov6.ReadDataSourceClientCapabilities) readResult {
	t.Helper()
	typ, cfg := configured(t, srv, func(s *tfprotov6.GetProviderSchemaResponse) *tfprotov6.Schema {
		return s.DataSourceSchemas["test_items"]
	}, since, mode)
	resp, err := srv.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "test_items", Config: &cfg, ClientCapabilities: caps})
	if err != nil {
		t.Fatal(err)
	}
	res := readResult{diags: resp.Diagnostics, deferred: resp.Deferred}
	if resp.State != nil {
		if res.state, err = resp.State.Unmarshal(typ); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

// TestServerAnswersLikeTheFramework: a read answered directly gives the
// state, diagnostics (attribute paths included) and deferral the framework
// gives, with the client capabilities Terraform announced passed to Read.
func TestServerAnswersLikeTheFramework(t *testing.T) {
	deferralAllowed := &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: true}
	for _, tc := range []struct {
		name        string
		since, mode any
		caps        *tfprotov6.ReadDataSourceClientCapabilities
	}{
		{"items", "2024-12-25T07:10:49.357Z", nil, nil},
		{"items, no arguments", nil, nil, nil},
		{"items, deferral allowed", nil, nil, deferralAllowed},
		{"errors", nil, "fail", nil},
		{"deferred", nil, "defer", deferralAllowed},
		{"deferral not allowed", nil, "defer", &tfprotov6.ReadDataSourceClientCapabilities{}},
		{"deferral without capabilities", nil, "defer", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &testProvider{direct: "framework", ds: func() datasource.DataSource { return &items{} }}
			s := newServer(providerserver.NewProtocol6(p)(), p)
			if _, ok := s.direct["test_items"]; !ok {
				t.Fatal("test_items is not read directly")
			}
			got := readWith(t, s, tc.since, tc.mode, tc.caps)
			want := readWith(t, providerserver.NewProtocol6(p)(), tc.since, tc.mode, tc.caps)
			if !reflect.DeepEqual(got.deferred, want.deferred) {
				t.Errorf("deferred: got %+v, want %+v", got.deferred, want.deferred)
			}
			if tc.mode == "defer" && (want.deferred != nil) != (tc.caps != nil && tc.caps.DeferralAllowed) {
				t.Fatalf("the framework deferred: %+v; the test data source is wrong", want.deferred)
			}
			if !got.state.Equal(want.state) {
				t.Errorf("state:\n got %v\nwant %v", got.state, want.state)
			}
			if !reflect.DeepEqual(got.diags, want.diags) {
				t.Errorf("diagnostics:\n got %s\nwant %s", diagString(got.diags), diagString(want.diags))
			}
			if tc.mode == "fail" && (len(got.diags) != 2 || got.diags[0].Attribute.String() != `AttributeName("items").ElementKeyInt(2).AttributeName("name")`) {
				t.Errorf("the error's attribute path is lost: %s", diagString(got.diags))
			}
		})
	}
}

func diagString(diags []*tfprotov6.Diagnostic) string {
	var s string
	for _, d := range diags {
		s += d.Severity.String() + " " + d.Summary + ": " + d.Detail
		if d.Attribute != nil {
			s += " at " + d.Attribute.String()
		}
		s += "; "
	}
	return s
}

// servedBy returns the via attribute of a state or result: who answered.
func servedBy(t *testing.T, v tftypes.Value) string {
	t.Helper()
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var s string
	if err := attrs["via"].As(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestServerDelegates: the framework answers what is not read directly
// (a provider not configured, a configuration of the wrong type, an
// unknown data source), and a Configure error ends a direct read.
func TestServerDelegates(t *testing.T) {
	via := func(t *testing.T, direct any) string {
		p := &testProvider{direct: direct, ds: func() datasource.DataSource { return &items{} }}
		return servedBy(t, read(t, newServer(providerserver.NewProtocol6(p)(), p), nil, nil).state)
	}
	if got := via(t, "direct"); got != "direct" {
		t.Errorf("configured: served by %q, want direct", got)
	}
	if got := via(t, nil); got != "framework" {
		t.Errorf("DataSourceData nil: served by %q, want the framework", got)
	}

	p := &testProvider{direct: 42, ds: func() datasource.DataSource { return &items{} }}
	r := read(t, newServer(providerserver.NewProtocol6(p)(), p), nil, nil)
	if len(r.diags) != 1 || r.diags[0].Summary != "Unexpected provider data" || r.state.Type() != nil {
		t.Errorf("Configure error: %s, state %v", diagString(r.diags), r.state)
	}

	s := newServer(providerserver.NewProtocol6(p)(), p)
	ctx := context.Background()
	bad, err := tfprotov6.NewDynamicValue(tftypes.String, tftypes.NewValue(tftypes.String, "x"))
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range []*tfprotov6.ReadDataSourceRequest{
		{TypeName: "test_items", Config: &bad},
		{TypeName: "test_other", Config: &bad},
	} {
		resp, err := s.ReadDataSource(ctx, req)
		if err != nil || len(resp.Diagnostics) == 0 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError {
			t.Errorf("%s with a bad configuration: %v, %s; want the framework's error", req.TypeName, err, diagString(resp.Diagnostics))
		}
	}
}

// TestServerStopProviderCancelsDirectReads: StopProvider cancels the
// context of a read answered directly, as the framework cancels its own.
func TestServerStopProviderCancelsDirectReads(t *testing.T) {
	started := make(chan struct{})
	p := &testProvider{direct: "direct", ds: func() datasource.DataSource { return &items{started: started} }}
	s := newServer(providerserver.NewProtocol6(p)(), p)
	done := make(chan readResult, 1)
	go func() { done <- read(t, s, nil, "wait") }()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the read did not start")
	}
	if _, err := s.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-done:
		if len(r.diags) != 1 || r.diags[0].Detail != "stopped: context canceled" {
			t.Errorf("diagnostics after StopProvider: %s", diagString(r.diags))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the read was not cancelled by StopProvider")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.cancels) != 0 {
		t.Errorf("%d cancel functions kept after the read", len(s.cancels))
	}
}

// TestDirectSchemas: which schemas the framework's work after Read is a
// no-op for.
func TestDirectSchemas(t *testing.T) {
	rfc := timetypes.RFC3339Type{}
	obj := func(attrs map[string]schema.Attribute) schema.Schema { return schema.Schema{Attributes: attrs} }
	for _, tc := range []struct {
		name   string
		schema schema.Schema
		want   bool
	}{
		{"plain attributes, RFC 3339 argument", obj(map[string]schema.Attribute{
			"since": schema.StringAttribute{Optional: true, CustomType: rfc},
			"items": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{"n": schema.NumberAttribute{Computed: true}}}},
		}), true},
		{"a block", schema.Schema{Blocks: map[string]schema.Block{"b": schema.SingleNestedBlock{}}}, false},
		{"computed RFC 3339", obj(map[string]schema.Attribute{"at": schema.StringAttribute{Computed: true, CustomType: rfc}}), false},
		{"optional and computed RFC 3339", obj(map[string]schema.Attribute{"at": schema.StringAttribute{Optional: true, Computed: true, CustomType: rfc}}), false},
		{"computed float", obj(map[string]schema.Attribute{"f": schema.Float64Attribute{Computed: true}}), false},
		{"RFC 3339 inside computed items", obj(map[string]schema.Attribute{
			"items": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{"at": schema.StringAttribute{Computed: true, CustomType: rfc}}}},
		}), false},
		{"computed bool and nested object inside computed items", obj(map[string]schema.Attribute{
			"items": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{
					"ok": schema.BoolAttribute{Computed: true},
					"detail": schema.SingleNestedAttribute{Computed: true, Attributes: map[string]schema.Attribute{
						"code": schema.StringAttribute{Computed: true}, "retry": schema.BoolAttribute{Computed: true}}},
				}}},
		}), true},
		{"RFC 3339 inside a computed object inside items", obj(map[string]schema.Attribute{
			"items": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{
					"detail": schema.SingleNestedAttribute{Computed: true, Attributes: map[string]schema.Attribute{
						"at": schema.StringAttribute{Computed: true, CustomType: rfc}}},
				}}},
		}), false},
		{"RFC 3339 list argument", obj(map[string]schema.Attribute{"at": schema.ListAttribute{Optional: true, ElementType: rfc}}), true},
		{"RFC 3339 inside an optional object", obj(map[string]schema.Attribute{
			"o": schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{"at": schema.StringAttribute{Optional: true, CustomType: rfc}}},
		}), false},
	} {
		if got := direct(context.Background(), tc.schema); got != tc.want {
			t.Errorf("%s: direct = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// providerWithMeta has a provider_meta schema: its reads stay the
// framework's.
type providerWithMeta struct{ testProvider }

func (p *providerWithMeta) MetaSchema(_ context.Context, _ provider.MetaSchemaRequest, resp *provider.MetaSchemaResponse) {
	resp.Schema = metaschema.Schema{}
}

func TestServerLeavesProviderMetaToTheFramework(t *testing.T) {
	p := &providerWithMeta{testProvider{direct: "direct", ds: func() datasource.DataSource { return &items{} }}}
	if s := newServer(providerserver.NewProtocol6(p)(), p); len(s.direct) != 0 {
		t.Errorf("%d data sources read directly despite provider_meta", len(s.direct))
	}
}
