package listread

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// DataSource returns the constructor of the data source a declaration
// describes.
func DataSource(d Declaration) func() datasource.DataSource {
	return func() datasource.DataSource { return &dataSource{d: d} }
}

type dataSource struct {
	d Declaration
	p Provider
}

var (
	_ datasource.DataSourceWithConfigure        = (*dataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*dataSource)(nil)
)

func (ds *dataSource) Metadata(_ context.Context, _ datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = ds.d.Spec().TypeName
}

func (ds *dataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = DataSourceSchema(ds.d)
}

// Configure takes the provider's data.
func (ds *dataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if p := providerData(req.ProviderData, &resp.Diagnostics); p != nil {
		ds.p = p
	}
}

// providerData is the provider's data handed to Configure: nil before the
// provider is configured (validation), and an error for anything but a
// Provider.
func providerData(data any, diags *diag.Diagnostics) Provider {
	if data == nil {
		return nil // validation before the provider is configured
	}
	p, ok := data.(Provider)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected the provider's data (listread.Provider), got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return p
}

func (ds *dataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	checks := ds.d.Spec().Checks
	out := make([]datasource.ConfigValidator, len(checks))
	for i, c := range checks {
		out[i] = configCheck{c}
	}
	return out
}

// Read reads with the generic read of the declaration.
func (ds *dataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	state, diags := read(ctx, ds.d, ds.p, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.State.Raw = state
	}
}

// read is the read of a data source and of its ephemeral twin.
func read(ctx context.Context, d Declaration, p Provider, config tftypes.Value) (tftypes.Value, diag.Diagnostics) {
	if p == nil {
		var diags diag.Diagnostics
		diags.AddError(d.Spec().Summary(), "The provider is not configured.")
		return tftypes.Value{}, diags
	}
	return d.Read(ctx, p, config)
}

// configCheck is a Check as a data source's and an ephemeral resource's
// config validator.
type configCheck struct{ Check }

var (
	_ datasource.ConfigValidator = configCheck{}
	_ ephemeral.ConfigValidator  = configCheck{}
)

func (c configCheck) Description(context.Context) string         { return c.Check.Description }
func (c configCheck) MarkdownDescription(context.Context) string { return c.Check.Description }

func (c configCheck) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	resp.Diagnostics.Append(c.validate(ctx, req.Config)...)
}

func (c configCheck) ValidateEphemeralResource(ctx context.Context, req ephemeral.ValidateConfigRequest, resp *ephemeral.ValidateConfigResponse) {
	resp.Diagnostics.Append(c.validate(ctx, req.Config)...)
}

// validate runs the check on its own diagnostics: it stops at its own
// errors, not at those of checks before it.
func (c configCheck) validate(ctx context.Context, config tfsdk.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	c.Validate(&Config{ctx: ctx, config: config, diags: &diags})
	return diags
}
