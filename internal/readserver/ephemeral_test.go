package readserver

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ephemeralProvider is testProvider with the ephemeral twin of test_items:
// its Configure hands the resource "framework"; EphemeralResourceData says
// "direct" (or nil), so a result tells which path served it.
type ephemeralProvider struct {
	testProvider
	eph func() ephemeral.EphemeralResource
}

func (p *ephemeralProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	p.testProvider.Configure(ctx, req, resp)
	resp.EphemeralResourceData = "framework"
}
func (p *ephemeralProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{p.eph}
}
func (p *ephemeralProvider) EphemeralResourceData() any { return p.direct }

// itemsTwin opens as items reads, and defers when asked to and allowed.
type itemsTwin struct{ items }

func (e *itemsTwin) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_items"
}

func (e *itemsTwin) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = eschema.Schema{Attributes: map[string]eschema.Attribute{
		"since": eschema.StringAttribute{Optional: true},
		"mode":  eschema.StringAttribute{Optional: true},
		"via":   eschema.StringAttribute{Computed: true},
		"items": eschema.ListNestedAttribute{Computed: true, NestedObject: eschema.NestedAttributeObject{
			Attributes: map[string]eschema.Attribute{
				"name": eschema.StringAttribute{Computed: true},
				"n":    eschema.Int64Attribute{Computed: true},
				"ok":   eschema.BoolAttribute{Computed: true},
				"detail": eschema.SingleNestedAttribute{Computed: true, Attributes: map[string]eschema.Attribute{
					"code":  eschema.StringAttribute{Computed: true},
					"retry": eschema.BoolAttribute{Computed: true},
				}},
			},
		}},
		"counts": eschema.MapAttribute{Computed: true, ElementType: types.Int64Type},
	}}
}

func (e *itemsTwin) Configure(ctx context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	var cr datasource.ConfigureResponse
	e.items.Configure(ctx, datasource.ConfigureRequest{ProviderData: req.ProviderData}, &cr)
	resp.Diagnostics.Append(cr.Diagnostics...)
}

func (e *itemsTwin) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var mode types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("mode"), &mode)...)
	if mode.ValueString() == "defer" && req.ClientCapabilities.DeferralAllowed {
		resp.Deferred = &ephemeral.Deferred{Reason: ephemeral.DeferredReasonAbsentPrereq}
		return
	}
	var sr datasource.SchemaResponse
	e.items.Schema(ctx, datasource.SchemaRequest{}, &sr)
	rresp := datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: req.Config.Raw.Copy()}}
	e.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: req.Config.Raw}}, &rresp)
	resp.Diagnostics.Append(rresp.Diagnostics...)
	resp.Result.Raw = rresp.State.Raw
}

// withRenew and withClose have something to renew or close: their Open
// stays the framework's.
type withRenew struct{ itemsTwin }

func (*withRenew) Renew(context.Context, ephemeral.RenewRequest, *ephemeral.RenewResponse) {}

type withClose struct{ itemsTwin }

func (*withClose) Close(context.Context, ephemeral.CloseRequest, *ephemeral.CloseResponse) {}

type openResult struct {
	result   tftypes.Value
	diags    []*tfprotov6.Diagnostic
	deferred *tfprotov6.Deferred
	private  []byte
	renewAt  time.Time
}

// open configures srv and opens test_items with the given arguments.
func open(t *testing.T, srv tfprotov6.ProviderServer, since, mode any, caps *tfprotov6.OpenEphemeralResourceClientCapabilities) openResult {
	t.Helper()
	typ, cfg := configured(t, srv, func(s *tfprotov6.GetProviderSchemaResponse) *tfprotov6.Schema {
		return s.EphemeralResourceSchemas["test_items"]
	}, since, mode)
	resp, err := srv.OpenEphemeralResource(context.Background(), &tfprotov6.OpenEphemeralResourceRequest{TypeName: "test_items", Config: &cfg, ClientCapabilities: caps})
	if err != nil {
		t.Fatal(err)
	}
	res := openResult{diags: resp.Diagnostics, deferred: resp.Deferred, private: resp.Private, renewAt: resp.RenewAt}
	if resp.Result != nil {
		if res.result, err = resp.Result.Unmarshal(typ); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

func newEphemeralProvider(direct any, eph func() ephemeral.EphemeralResource) *ephemeralProvider {
	return &ephemeralProvider{testProvider: testProvider{direct: direct, ds: func() datasource.DataSource { return &items{} }}, eph: eph}
}

// TestServerOpensLikeTheFramework: an Open answered directly gives the
// result, diagnostics (attribute paths included), deferral, private data
// and renewal time the framework gives, client capabilities passed on.
func TestServerOpensLikeTheFramework(t *testing.T) {
	allowed := &tfprotov6.OpenEphemeralResourceClientCapabilities{DeferralAllowed: true}
	for _, tc := range []struct {
		name        string
		since, mode any
		caps        *tfprotov6.OpenEphemeralResourceClientCapabilities
	}{
		{"items", "2024-12-25T07:10:49.357Z", nil, nil},
		{"items, no arguments", nil, nil, allowed},
		{"errors", nil, "fail", nil},
		{"deferral allowed", nil, "defer", allowed},
		{"deferral not allowed", nil, "defer", &tfprotov6.OpenEphemeralResourceClientCapabilities{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newEphemeralProvider("framework", func() ephemeral.EphemeralResource { return &itemsTwin{} })
			s := newServer(providerserver.NewProtocol6(p)(), p)
			if _, ok := s.opens["test_items"]; !ok {
				t.Fatal("test_items is not opened directly")
			}
			got := open(t, s, tc.since, tc.mode, tc.caps)
			want := open(t, providerserver.NewProtocol6(p)(), tc.since, tc.mode, tc.caps)
			if !got.result.Equal(want.result) {
				t.Errorf("result:\n got %v\nwant %v", got.result, want.result)
			}
			if !reflect.DeepEqual(got.diags, want.diags) {
				t.Errorf("diagnostics:\n got %s\nwant %s", diagString(got.diags), diagString(want.diags))
			}
			if !reflect.DeepEqual(got.deferred, want.deferred) || !reflect.DeepEqual(got.private, want.private) || !got.renewAt.Equal(want.renewAt) {
				t.Errorf("deferred, private, renew at: got %v %q %v, want %v %q %v",
					got.deferred, got.private, got.renewAt, want.deferred, want.private, want.renewAt)
			}
			if tc.caps == allowed && tc.mode == "defer" && got.deferred == nil {
				t.Error("the deferral allowed by the client was not passed on")
			}
			if tc.mode == "fail" && (len(got.diags) != 2 || got.diags[0].Attribute.String() != `AttributeName("items").ElementKeyInt(2).AttributeName("name")`) {
				t.Errorf("the error's attribute path is lost: %s", diagString(got.diags))
			}
		})
	}
}

// TestServerDelegatesOpens: the framework answers what is not opened
// directly (a provider not configured, a configuration of the wrong type,
// an unknown resource, a provider that does not tell its ephemeral
// resource data), and a Configure error ends a direct Open.
func TestServerDelegatesOpens(t *testing.T) {
	via := func(t *testing.T, direct any) string {
		p := newEphemeralProvider(direct, func() ephemeral.EphemeralResource { return &itemsTwin{} })
		return servedBy(t, open(t, newServer(providerserver.NewProtocol6(p)(), p), nil, nil, nil).result)
	}
	if got := via(t, "direct"); got != "direct" {
		t.Errorf("configured: served by %q, want direct", got)
	}
	if got := via(t, nil); got != "framework" {
		t.Errorf("EphemeralResourceData nil: served by %q, want the framework", got)
	}

	p := newEphemeralProvider(42, func() ephemeral.EphemeralResource { return &itemsTwin{} })
	r := open(t, newServer(providerserver.NewProtocol6(p)(), p), nil, nil, nil)
	if len(r.diags) != 1 || r.diags[0].Summary != "Unexpected provider data" || r.result.Type() != nil {
		t.Errorf("Configure error: %s, result %v", diagString(r.diags), r.result)
	}

	s := newServer(providerserver.NewProtocol6(p)(), p)
	bad, err := tfprotov6.NewDynamicValue(tftypes.String, tftypes.NewValue(tftypes.String, "x"))
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range []*tfprotov6.OpenEphemeralResourceRequest{
		{TypeName: "test_items", Config: &bad},
		{TypeName: "test_other", Config: &bad},
	} {
		resp, err := s.OpenEphemeralResource(context.Background(), req)
		if err != nil || len(resp.Diagnostics) == 0 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError {
			t.Errorf("%s with a bad configuration: %v, %s; want the framework's error", req.TypeName, err, diagString(resp.Diagnostics))
		}
	}

	// A provider with data sources only: no table, nothing opened here.
	tp := &testProvider{direct: "direct", ds: func() datasource.DataSource { return &items{} }}
	if got := DirectOpens(newServer(providerserver.NewProtocol6(tp)(), tp)); len(got) != 0 {
		t.Errorf("opened directly without ephemeral resources: %v", got)
	}
}

// TestServerStopProviderCancelsDirectOpens: StopProvider cancels the
// context of an Open answered directly.
func TestServerStopProviderCancelsDirectOpens(t *testing.T) {
	started := make(chan struct{})
	p := newEphemeralProvider("direct", func() ephemeral.EphemeralResource { return &itemsTwin{items{started: started}} })
	s := newServer(providerserver.NewProtocol6(p)(), p)
	done := make(chan openResult, 1)
	go func() { done <- open(t, s, nil, "wait", nil) }()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the open did not start")
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
		t.Fatal("the open was not cancelled by StopProvider")
	}
}

// TestDirectOpens: which ephemeral resources the framework's work around
// Open is a no-op for: not those with a block, nor those with something
// to renew or close (their private data is the framework's to keep).
func TestDirectOpens(t *testing.T) {
	for _, tc := range []struct {
		name string
		eph  func() ephemeral.EphemeralResource
		want bool
	}{
		{"attributes only", func() ephemeral.EphemeralResource { return &itemsTwin{} }, true},
		{"renews", func() ephemeral.EphemeralResource { return &withRenew{} }, false},
		{"closes", func() ephemeral.EphemeralResource { return &withClose{} }, false},
	} {
		p := newEphemeralProvider("direct", tc.eph)
		s := newServer(providerserver.NewProtocol6(p)(), p)
		if got := len(DirectOpens(s)) == 1; got != tc.want {
			t.Errorf("%s: opened directly %v, want %v", tc.name, got, tc.want)
		}
	}
	block := eschema.Schema{Blocks: map[string]eschema.Block{"b": eschema.SingleNestedBlock{}}}
	if directOpen(&itemsTwin{}, block) {
		t.Error("a schema with a block: opened directly")
	}
}
