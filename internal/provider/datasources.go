package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"

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
