package readserver

import (
	"context"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/tfvalue"
)

// ConfiguredEphemeralProvider is a ConfiguredProvider with ephemeral
// resources that tells what its last Configure handed to them
// (resp.EphemeralResourceData), or nil before it was configured. The
// server answers their Open below the framework too.
type ConfiguredEphemeralProvider interface {
	ConfiguredProvider
	provider.ProviderWithEphemeralResources
	EphemeralResourceData() any
}

// DirectOpens lists, sorted, the ephemeral resources whose Open srv
// answers below the framework. Empty for any other server.
func DirectOpens(srv tfprotov6.ProviderServer) []string {
	s, ok := srv.(*server)
	if !ok {
		return nil
	}
	return slices.Sorted(maps.Keys(s.opens))
}

type directEphemeral struct {
	factory func() ephemeral.EphemeralResource
	schema  eschema.Schema
	typ     tftypes.Type
}

// addEphemeral fills the table of ephemeral resources whose Open is
// answered here: those of p for which directOpen holds.
func (s *server) addEphemeral(ctx context.Context, typeName string) {
	p, ok := s.p.(ConfiguredEphemeralProvider)
	if !ok {
		return
	}
	for _, factory := range p.EphemeralResources(ctx) {
		r := factory()
		var md ephemeral.MetadataResponse
		r.Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: typeName}, &md)
		var sr ephemeral.SchemaResponse
		r.Schema(ctx, ephemeral.SchemaRequest{}, &sr)
		if sr.Diagnostics.HasError() || !directOpen(r, sr.Schema) {
			continue // the framework reports the schema's errors
		}
		s.opens[md.TypeName] = directEphemeral{factory: factory, schema: sr.Schema, typ: sr.Schema.Type().TerraformType(ctx)}
	}
}

// directOpen reports whether the framework's work around Open is a no-op
// for r. After Open the framework turns null blocks of the result into
// empty ones (nothing to do without blocks; it applies no semantic
// equality to a result), and it hands Open an empty private state and
// returns what Open put there, which only Renew and Close can read: a
// resource with neither has no use for it, so Open is answered without
// one.
func directOpen(r ephemeral.EphemeralResource, schema eschema.Schema) bool {
	_, renew := r.(ephemeral.EphemeralResourceWithRenew)
	_, closes := r.(ephemeral.EphemeralResourceWithClose)
	return len(schema.Blocks) == 0 && !renew && !closes
}

// OpenEphemeralResource opens an ephemeral resource in the table
// directly, as the framework would: decode the configuration, Configure
// the resource with the provider's data, Open with the result preset to
// the configuration, encode the result. Anything unusual (a type name not
// in the table, a provider not configured yet, a configuration that does
// not decode) goes to the framework, which answers it with its own
// diagnostics.
func (s *server) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	e, ok := s.opens[req.TypeName]
	var data any
	if p, ep := s.p.(ConfiguredEphemeralProvider); ep {
		data = p.EphemeralResourceData()
	}
	if !ok || data == nil || req.Config == nil {
		return s.ProviderServer.OpenEphemeralResource(ctx, req)
	}
	config, err := req.Config.Unmarshal(e.typ)
	if err != nil {
		return s.ProviderServer.OpenEphemeralResource(ctx, req)
	}
	ctx, done := s.register(ctx)
	defer done()

	r := e.factory()
	var diags diag.Diagnostics
	if c, ok := r.(ephemeral.EphemeralResourceWithConfigure); ok {
		var cr ephemeral.ConfigureResponse
		c.Configure(ctx, ephemeral.ConfigureRequest{ProviderData: data}, &cr)
		diags.Append(cr.Diagnostics...)
		if diags.HasError() {
			return &tfprotov6.OpenEphemeralResourceResponse{Diagnostics: protoDiagnostics(diags)}, nil
		}
	}
	oreq := ephemeral.OpenRequest{Config: tfsdk.Config{Schema: e.schema, Raw: config}}
	if req.ClientCapabilities != nil {
		oreq.ClientCapabilities.DeferralAllowed = req.ClientCapabilities.DeferralAllowed
	}
	oresp := ephemeral.OpenResponse{Result: tfsdk.EphemeralResultData{Schema: e.schema, Raw: config.Copy()}}
	r.Open(ctx, oreq, &oresp)
	diags.Append(oresp.Diagnostics...)

	resp := &tfprotov6.OpenEphemeralResourceResponse{RenewAt: oresp.RenewAt}
	if oresp.Deferred != nil {
		resp.Deferred = &tfprotov6.Deferred{Reason: tfprotov6.DeferredReason(oresp.Deferred.Reason)}
	}
	// Like the framework, the result is returned with errors too.
	result, err := tfvalue.DynamicValue(e.typ, oresp.Result.Raw)
	if err != nil {
		diags.AddError("Unable to Convert Ephemeral Result Data",
			"An unexpected error was encountered when converting the ephemeral result data to the protocol type. "+
				"This is a bug in the provider; please report it.\n\n"+err.Error())
	} else {
		resp.Result = &result
	}
	resp.Diagnostics = protoDiagnostics(diags)
	return resp, nil
}
