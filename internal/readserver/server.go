// Package readserver is the provider's protocol 6 server: the plugin
// framework's server, with data source reads and ephemeral resource opens
// answered directly (below the framework) where the framework's work after
// Read or Open is provably a no-op. It knows no cloud and no data source
// in particular.
package readserver

import (
	"context"
	"maps"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/tfvalue"
)

// CheckedFrameworkVersion is the terraform-plugin-framework version this
// server's ReadDataSource was checked against; a test fails when go.mod
// requires another. On an upgrade, re-read the framework's data source
// read path and compare it with ReadDataSource and direct below:
// internal/proto6server/server_readdatasource.go (what is looked up
// before the read), internal/fromproto6/readdatasource.go (decoding the
// configuration and the client capabilities),
// internal/fwserver/server_readdatasource.go (provider-level deferral,
// Configure, the ReadRequest and ReadResponse fields, and the work after
// Read: semantic equality, null blocks), internal/toproto6/readdatasource.go
// and diagnostics.go (the answer, deferral and diagnostic paths), and
// internal/proto6server/serve.go (StopProvider and the cancellation of
// running requests); for OpenEphemeralResource (ephemeral.go) the same
// files' openephemeralresource counterparts. Then run the equivalence tests here and in
// internal/provider and set the new version.
const CheckedFrameworkVersion = "v1.19.0"

// ConfiguredProvider is a framework provider that tells what its last
// Configure handed to its data sources (resp.DataSourceData), or nil
// before it was configured.
type ConfiguredProvider interface {
	provider.Provider
	DataSourceData() any
}

// NewProtocol6 returns a factory of the provider's protocol 6 server: the
// plugin framework's server, except that ReadDataSource is answered
// directly for every data source whose schema makes the framework's work
// after Read a no-op (see direct).
//
// Why: after a data source's Read the framework converts the configuration
// and the whole new state into attr.Values to apply semantic equality, and
// rebuilds the state to turn null blocks into empty ones. For a data
// source returning 10,000 items that is more work than the read itself
// (BENCHMARKS.md, "Where the time goes"), and it changes nothing when no
// computed attribute has a type with semantic equality and there is no
// block. Everything else (schemas, validation, configuration of the
// provider, any other data source) is the framework's.
//
// OpenEphemeralResource is answered the same way when p is a
// ConfiguredEphemeralProvider (see directOpen).
//
// Each call of the factory makes a server of its own around p; p's
// DataSourceData is read at every ReadDataSource, its
// EphemeralResourceData at every OpenEphemeralResource.
func NewProtocol6(p ConfiguredProvider) func() tfprotov6.ProviderServer {
	fw := providerserver.NewProtocol6(p)
	return func() tfprotov6.ProviderServer { return newServer(fw(), p) }
}

// DirectReads lists, sorted, the data sources whose reads srv answers
// below the framework: for tests, which hold the provider's own data
// sources to it. Empty for any other server.
func DirectReads(srv tfprotov6.ProviderServer) []string {
	s, ok := srv.(*server)
	if !ok {
		return nil
	}
	return slices.Sorted(maps.Keys(s.direct))
}

// server is the framework's server with ReadDataSource,
// OpenEphemeralResource (ephemeral.go) and StopProvider wrapped. It embeds tfprotov6.ProviderServer only: list resources,
// actions and state stores, which the provider has none of, are not
// served.
type server struct {
	tfprotov6.ProviderServer
	p ConfiguredProvider

	// direct holds the data sources whose reads are answered here, by
	// type name; it is written once, by newServer.
	direct map[string]directDataSource
	// opens holds the ephemeral resources whose Open is answered here, by
	// type name (ephemeral.go); written once, by newServer.
	opens map[string]directEphemeral

	mu      sync.Mutex
	cancels map[*int]context.CancelFunc
}

type directDataSource struct {
	factory func() datasource.DataSource
	schema  dsschema.Schema
	typ     tftypes.Type
}

func newServer(fw tfprotov6.ProviderServer, p ConfiguredProvider) *server {
	s := &server{ProviderServer: fw, p: p, direct: map[string]directDataSource{}, opens: map[string]directEphemeral{},
		cancels: map[*int]context.CancelFunc{}}
	ctx := context.Background()
	if _, meta := p.(provider.ProviderWithMetaSchema); meta {
		return s // provider_meta is the framework's to decode
	}
	var pm provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &pm)
	for _, factory := range p.DataSources(ctx) {
		ds := factory()
		var md datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: pm.TypeName}, &md)
		var sr datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
		if sr.Diagnostics.HasError() || !direct(ctx, sr.Schema) {
			continue // the framework reports the schema's errors
		}
		s.direct[md.TypeName] = directDataSource{factory: factory, schema: sr.Schema, typ: sr.Schema.Type().TerraformType(ctx)}
	}
	s.addEphemeral(ctx, pm.TypeName)
	return s
}

// direct reports whether the framework's work after Read is a no-op for
// every state a Read can produce under schema: there is no block (nothing
// to turn from null into empty), and semantic equality, which compares the
// state with the configuration, has nothing to do. That holds when every
// attribute whose type has semantic equality is an argument the state
// takes unchanged from the configuration (SetState copies arguments): not
// computed and not nested.
func direct(ctx context.Context, schema dsschema.Schema) bool {
	if len(schema.Blocks) > 0 {
		return false
	}
	for _, a := range schema.Attributes {
		if !semanticEquality(ctx, a.GetType()) {
			continue
		}
		_, nested := a.(dsschema.NestedAttribute)
		if a.IsComputed() || nested {
			return false
		}
	}
	return true
}

// semanticEquality reports whether values of t, or of any type inside it,
// have semantic equality (the framework's basetypes.*WithSemanticEquals).
func semanticEquality(ctx context.Context, t attr.Type) bool {
	switch t.ValueType(ctx).(type) {
	case basetypes.BoolValuableWithSemanticEquals, basetypes.DynamicValuableWithSemanticEquals,
		basetypes.Float32ValuableWithSemanticEquals, basetypes.Float64ValuableWithSemanticEquals,
		basetypes.Int32ValuableWithSemanticEquals, basetypes.Int64ValuableWithSemanticEquals,
		basetypes.NumberValuableWithSemanticEquals, basetypes.StringValuableWithSemanticEquals,
		basetypes.ListValuableWithSemanticEquals, basetypes.MapValuableWithSemanticEquals,
		basetypes.SetValuableWithSemanticEquals, basetypes.ObjectValuableWithSemanticEquals:
		return true
	}
	if et, ok := t.(attr.TypeWithElementType); ok && semanticEquality(ctx, et.ElementType()) {
		return true
	}
	if ot, ok := t.(attr.TypeWithAttributeTypes); ok {
		for _, at := range ot.AttributeTypes() {
			if semanticEquality(ctx, at) {
				return true
			}
		}
	}
	if tt, ok := t.(attr.TypeWithElementTypes); ok {
		for _, et := range tt.ElementTypes() {
			if semanticEquality(ctx, et) {
				return true
			}
		}
	}
	return false
}

// ReadDataSource reads a data source in the table directly, as the
// framework would: decode the configuration, Configure the data source
// with the provider's data, Read with the state preset to the
// configuration, encode the state. Anything unusual (a type name not in
// the table, a provider not configured yet, a configuration that does not
// decode) goes to the framework, which answers it with its own
// diagnostics.
func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	d, ok := s.direct[req.TypeName]
	data := s.p.DataSourceData()
	if !ok || data == nil || req.Config == nil {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	config, err := req.Config.Unmarshal(d.typ)
	if err != nil {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	ctx, done := s.register(ctx)
	defer done()

	ds := d.factory()
	var diags diag.Diagnostics
	if c, ok := ds.(datasource.DataSourceWithConfigure); ok {
		var cr datasource.ConfigureResponse
		c.Configure(ctx, datasource.ConfigureRequest{ProviderData: data}, &cr)
		diags.Append(cr.Diagnostics...)
		if diags.HasError() {
			return &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(diags)}, nil
		}
	}
	rreq := datasource.ReadRequest{Config: tfsdk.Config{Schema: d.schema, Raw: config}}
	if req.ClientCapabilities != nil {
		rreq.ClientCapabilities.DeferralAllowed = req.ClientCapabilities.DeferralAllowed
	}
	rresp := datasource.ReadResponse{State: tfsdk.State{Schema: d.schema, Raw: config.Copy()}}
	ds.Read(ctx, rreq, &rresp)
	diags.Append(rresp.Diagnostics...)

	resp := &tfprotov6.ReadDataSourceResponse{}
	if rresp.Deferred != nil {
		resp.Deferred = &tfprotov6.Deferred{Reason: tfprotov6.DeferredReason(rresp.Deferred.Reason)}
	}
	// Like the framework, the state is returned with errors too
	// (Terraform discards it then).
	state, err := tfvalue.DynamicValue(d.typ, rresp.State.Raw)
	if err != nil {
		diags.AddError("Unable to Convert State",
			"An unexpected error was encountered when converting the state to the protocol type. "+
				"This is a bug in the provider; please report it.\n\n"+err.Error())
	} else {
		resp.State = &state
	}
	resp.Diagnostics = protoDiagnostics(diags)
	return resp, nil
}

// register returns ctx made cancellable by StopProvider, and the function
// that forgets it when the read is over.
func (s *server) register(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	key := new(int)
	s.mu.Lock()
	s.cancels[key] = cancel
	s.mu.Unlock()
	return ctx, func() {
		s.mu.Lock()
		delete(s.cancels, key)
		s.mu.Unlock()
		cancel()
	}
}

// StopProvider cancels the reads answered here, then the framework's.
func (s *server) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	s.mu.Lock()
	for key, cancel := range s.cancels {
		cancel()
		delete(s.cancels, key)
	}
	s.mu.Unlock()
	return s.ProviderServer.StopProvider(ctx, req)
}

// protoDiagnostics converts diagnostics as the framework does, attribute
// paths included.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Summary: d.Summary(), Detail: d.Detail()}
		switch d.Severity() {
		case diag.SeverityError:
			pd.Severity = tfprotov6.DiagnosticSeverityError
		case diag.SeverityWarning:
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		default:
			pd.Severity = tfprotov6.DiagnosticSeverityInvalid
		}
		if dp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = attributePath(dp.Path())
		}
		out = append(out, pd)
	}
	return out
}

// attributePath is p as a protocol attribute path, as the framework
// builds it (an empty path for a diagnostic on the whole data source).
// A step it cannot express (an element key whose value does not convert)
// gives nil: the diagnostic still reaches the user, without a path.
func attributePath(p path.Path) *tftypes.AttributePath {
	var steps []tftypes.AttributePathStep
	for _, step := range p.Steps() {
		switch st := step.(type) {
		case path.PathStepAttributeName:
			steps = append(steps, tftypes.AttributeName(st))
		case path.PathStepElementKeyInt:
			steps = append(steps, tftypes.ElementKeyInt(st))
		case path.PathStepElementKeyString:
			steps = append(steps, tftypes.ElementKeyString(st))
		case path.PathStepElementKeyValue:
			v, err := st.ToTerraformValue(context.Background())
			if err != nil {
				return nil
			}
			steps = append(steps, tftypes.ElementKeyValue(v))
		default:
			return nil
		}
	}
	return tftypes.NewAttributePathWithSteps(steps)
}
