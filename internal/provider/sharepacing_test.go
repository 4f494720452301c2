package provider_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/provider"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// TestSharePacingSetting: share_pacing (default true) gives the transport
// the directory of the pacers' shared state, OPSAUDIT_PACING_DIR when it
// is set; false gives none, and so does the default in a test binary
// without the variable (no test writes to the user's cache directory).
func TestSharePacingSetting(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		share tftypes.Value // null: unset
		env   string
		want  string
	}{
		{"default", tftypes.NewValue(tftypes.Bool, nil), dir, dir},
		{"true", tftypes.NewValue(tftypes.Bool, true), dir, dir},
		{"false", tftypes.NewValue(tftypes.Bool, false), dir, ""},
		{"default, no variable, in a test", tftypes.NewValue(tftypes.Bool, nil), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := "unset"
			srv := provider.NewServer("test",
				provider.WithGetenv(func(k string) string {
					if k == transport.PacingDirEnv {
						return tc.env
					}
					return ""
				}),
				provider.WithTransport(func(o *transport.Options) { got = o.PacingDir }))()
			ctx := context.Background()
			schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
			if err != nil || acctest.DiagError(schemas.Diagnostics) != nil {
				t.Fatal(err, acctest.DiagError(schemas.Diagnostics))
			}
			typ := schemas.Provider.ValueType().(tftypes.Object)
			var attrs map[string]tftypes.Value
			if err := acctest.ProtocolProviderConfig(typ, "http://127.0.0.1:1", 0).As(&attrs); err != nil {
				t.Fatal(err)
			}
			attrs["share_pacing"] = tc.share
			cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &cfg})
			if err != nil || acctest.DiagError(resp.Diagnostics) != nil {
				t.Fatal(err, acctest.DiagError(resp.Diagnostics))
			}
			if got != tc.want {
				t.Fatalf("pacing directory %q, want %q", got, tc.want)
			}
		})
	}
}
