package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// dataSources lists every data source of the provider: one per declared
// list API (internal/catalog).
func dataSources() []func() datasource.DataSource {
	all := catalog.All()
	out := make([]func() datasource.DataSource, len(all))
	for i, d := range all {
		out[i] = listread.DataSource(d)
	}
	return out
}

// ephemeralResources lists every ephemeral resource of the provider: the
// twin of each data source, from the same declaration.
func ephemeralResources() []func() ephemeral.EphemeralResource {
	all := catalog.All()
	out := make([]func() ephemeral.EphemeralResource, len(all))
	for i, d := range all {
		out[i] = listread.EphemeralResource(d)
	}
	return out
}
