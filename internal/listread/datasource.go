package listread

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	if req.ProviderData == nil {
		return // validation before the provider is configured
	}
	p, ok := req.ProviderData.(Provider)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected the provider's data (listread.Provider), got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	ds.p = p
}

func (ds *dataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	checks := ds.d.Spec().Checks
	out := make([]datasource.ConfigValidator, len(checks))
	for i, c := range checks {
		out[i] = dataSourceCheck{c}
	}
	return out
}

// Read reads with the generic read of the declaration.
func (ds *dataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if ds.p == nil {
		resp.Diagnostics.AddError(ds.d.Spec().Summary, "The provider is not configured.")
		return
	}
	state, diags := ds.d.Read(ctx, ds.p, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.State.Raw = state
	}
}

// dataSourceCheck is a Check as a data source's config validator.
type dataSourceCheck struct{ Check }

func (c dataSourceCheck) Description(context.Context) string         { return c.Check.Description }
func (c dataSourceCheck) MarkdownDescription(context.Context) string { return c.Check.Description }

func (c dataSourceCheck) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var diags diag.Diagnostics
	c.Check.Validate(ctx, req.Config, &diags)
	resp.Diagnostics.Append(diags...)
}
