package listread

import (
	"context"
	"fmt"

	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
)

// EphemeralResource returns the constructor of the ephemeral twin of the
// data source a declaration describes: the same type name, schema,
// validation and read, but Terraform keeps its result for the run only and
// never writes it to state or to a saved plan
// (https://developer.hashicorp.com/terraform/language/resources/ephemeral).
// Open is the data source's read; there is nothing to renew or close.
func EphemeralResource(d Declaration) func() ephemeral.EphemeralResource {
	return func() ephemeral.EphemeralResource { return &ephemeralResource{d: d} }
}

type ephemeralResource struct {
	d Declaration
	p Provider
}

var (
	_ ephemeral.EphemeralResourceWithConfigure        = (*ephemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigValidators = (*ephemeralResource)(nil)
)

func (er *ephemeralResource) Metadata(_ context.Context, _ ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = er.d.Spec().TypeName
}

func (er *ephemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = EphemeralSchema(er.d)
}

// Configure takes the provider's data.
func (er *ephemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	if p := providerData(req.ProviderData, &resp.Diagnostics); p != nil {
		er.p = p
	}
}

func (er *ephemeralResource) ConfigValidators(context.Context) []ephemeral.ConfigValidator {
	checks := er.d.Spec().Checks
	out := make([]ephemeral.ConfigValidator, len(checks))
	for i, c := range checks {
		out[i] = configCheck{c}
	}
	return out
}

// Open reads with the generic read of the declaration, as the data source
// does.
func (er *ephemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	result, diags := read(ctx, er.d, er.p, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Result.Raw = result
	}
}

// EphemeralSchema renders a declaration as an ephemeral resource schema:
// its data source schema (DataSourceSchema), converted. The framework
// declares each kind of attribute for both with the same fields, so each
// converts as a whole; only a nested object, whose attributes have the
// other package's types, is converted attribute by attribute. The two
// schemas cannot drift apart: there is one renderer.
func EphemeralSchema(d Declaration) schema.Schema {
	ds := DataSourceSchema(d)
	return schema.Schema{MarkdownDescription: ds.MarkdownDescription, Attributes: ephemeralAttributes(ds.Attributes)}
}

func ephemeralAttributes(attrs map[string]dsschema.Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(attrs))
	for name, a := range attrs {
		out[name] = ephemeralAttribute(name, a)
	}
	return out
}

// ephemeralAttribute converts every kind DataSourceSchema renders.
func ephemeralAttribute(name string, a dsschema.Attribute) schema.Attribute {
	switch a := a.(type) {
	case dsschema.StringAttribute:
		return schema.StringAttribute(a)
	case dsschema.BoolAttribute:
		return schema.BoolAttribute(a)
	case dsschema.Int64Attribute:
		return schema.Int64Attribute(a)
	case dsschema.NumberAttribute:
		return schema.NumberAttribute(a)
	case dsschema.ListAttribute:
		return schema.ListAttribute(a)
	case dsschema.MapAttribute:
		return schema.MapAttribute(a)
	case dsschema.SingleNestedAttribute:
		return schema.SingleNestedAttribute{Attributes: ephemeralAttributes(a.Attributes), CustomType: a.CustomType,
			Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription,
			DeprecationMessage: a.DeprecationMessage, Validators: a.Validators}
	case dsschema.ListNestedAttribute:
		return schema.ListNestedAttribute{
			NestedObject: schema.NestedAttributeObject{Attributes: ephemeralAttributes(a.NestedObject.Attributes),
				CustomType: a.NestedObject.CustomType, Validators: a.NestedObject.Validators},
			CustomType: a.CustomType, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, Description: a.Description, MarkdownDescription: a.MarkdownDescription,
			DeprecationMessage: a.DeprecationMessage, Validators: a.Validators}
	}
	panic(fmt.Sprintf("attribute %q: no ephemeral form of %T", name, a))
}
