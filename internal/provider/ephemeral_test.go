package provider_test

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/provider"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/readserver"
)

// protocolOpen configures srv for the emulator at url and opens the
// ephemeral resource typeName with args.
func protocolOpen(t *testing.T, srv tfprotov6.ProviderServer, url, typeName string, args map[string]tftypes.Value) protocolResult {
	t.Helper()
	schemas := configure(t, srv, url)
	s, ok := schemas.EphemeralResourceSchemas[typeName]
	if !ok {
		t.Fatalf("no ephemeral resource %s", typeName)
	}
	typ := s.ValueType().(tftypes.Object)
	cfg := dynamicValue(t, typ, acctest.Object(typ, args))
	resp, err := srv.OpenEphemeralResource(context.Background(), &tfprotov6.OpenEphemeralResourceRequest{TypeName: typeName, Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Private) != 0 || !resp.RenewAt.IsZero() {
		t.Errorf("Open returned private data (%d bytes) or a renewal time (%v): there is nothing to renew or close", len(resp.Private), resp.RenewAt)
	}
	return result(t, typ, resp.Result, resp.Diagnostics)
}

// Every data source has an ephemeral twin with the same protocol schema:
// the same attributes, types, descriptions and flags.
func TestEphemeralSchemasAreTheDataSources(t *testing.T) {
	srv := provider.NewServer("test", provider.WithGetenv(func(string) string { return "" }))()
	schemas, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || acctest.DiagError(schemas.Diagnostics) != nil {
		t.Fatalf("GetProviderSchema: %v %v", err, acctest.DiagError(schemas.Diagnostics))
	}
	var names []string
	for name := range schemas.EphemeralResourceSchemas {
		names = append(names, name)
	}
	slices.Sort(names)
	all := catalog.TypeNames()
	slices.Sort(all)
	if !slices.Equal(names, all) {
		t.Fatalf("ephemeral resources %v, want one per data source %v", names, all)
	}
	for _, name := range all {
		ds, eph := schemas.DataSourceSchemas[name], schemas.EphemeralResourceSchemas[name]
		if len(eph.Block.Attributes) < 5 || !reflect.DeepEqual(ds, eph) {
			t.Errorf("%s: the ephemeral resource's schema differs from the data source's:\n got %+v\nwant %+v", name, eph.Block, ds.Block)
		}
	}
}

// Opening an ephemeral resource answers what reading its data source
// answers: the same result (id included), the same diagnostics, for
// results, filters, max_items and API errors; through the server main
// serves, which opens every one below the framework, and through the
// framework's own.
func TestEphemeralOpensLikeTheDataSourceReads(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{})
	noEnv := provider.WithGetenv(func(string) string { return "" })
	servers := map[string]tfprotov6.ProviderServer{
		"served":    provider.NewServer("test", noEnv)(),
		"framework": providerserver.NewProtocol6(provider.New("test", noEnv)())(),
	}
	all := catalog.TypeNames()
	slices.Sort(all)
	if got := readserver.DirectOpens(servers["served"]); !slices.Equal(got, all) {
		t.Fatalf("ephemeral resources opened below the framework: %v, want all of %v", got, all)
	}
	reads := provider.NewServer("test", noEnv)()
	for _, tc := range readCases() {
		want := protocolRead(t, reads, srv.URL(), tc.typeName, tc.args)
		if failed := acctest.DiagError(want.diags) != nil; failed != tc.fails {
			t.Fatalf("%s: read failed: %v, want %v: %v", tc.name, failed, tc.fails, acctest.DiagError(want.diags))
		}
		if !tc.fails && !hasItems(t, want.state) {
			t.Fatalf("%s: no items read: the comparison proves nothing", tc.name)
		}
		for server, eph := range servers {
			t.Run(tc.name+"/"+server, func(t *testing.T) {
				got := protocolOpen(t, eph, srv.URL(), tc.typeName, tc.args)
				if !tc.fails && !got.state.Equal(want.state) {
					diffs, _ := got.state.Diff(want.state)
					t.Errorf("the result differs from the data source's state: %d differences, first %v", len(diffs), diffs[:min(1, len(diffs))])
				}
				if !reflect.DeepEqual(got.diags, want.diags) {
					t.Errorf("diagnostics differ from the data source's:\n got %s\nwant %s", diagText(got.diags), diagText(want.diags))
				}
			})
		}
	}
}

// An ephemeral resource's configuration is validated as its data
// source's: for every catalog entry, max_items below 1, an empty value in
// each argument that refuses one, a time that is not RFC 3339, and start
// and end times in the wrong order give the same diagnostics, with the
// same attribute paths, from ValidateEphemeralResourceConfig as from
// ValidateDataResourceConfig.
func TestEphemeralValidatesLikeTheDataSource(t *testing.T) {
	ctx := context.Background()
	srv := provider.NewServer("test", provider.WithGetenv(func(string) string { return "" }))()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || acctest.DiagError(schemas.Diagnostics) != nil {
		t.Fatalf("GetProviderSchema: %v %v", err, acctest.DiagError(schemas.Diagnostics))
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	for _, d := range catalog.All() {
		name := d.Spec().TypeName
		typ := schemas.DataSourceSchemas[name].ValueType().(tftypes.Object)
		var bad []map[string]tftypes.Value
		var times []string
		required := map[string]tftypes.Value{}
		for _, a := range d.Attributes() {
			switch {
			case a.Computed:
			case a.Required:
				required[a.Name] = str("x")
			case a.Kind == listread.Int64 && len(a.Int64s) > 0:
				bad = append(bad, map[string]tftypes.Value{a.Name: tftypes.NewValue(tftypes.Number, 0)})
			case a.Kind == listread.String && len(a.Strings) > 0:
				bad = append(bad, map[string]tftypes.Value{a.Name: str("")})
			case a.Kind == listread.Time:
				bad = append(bad, map[string]tftypes.Value{a.Name: str("yesterday")})
				times = append(times, a.Name)
			}
		}
		if len(times) == 2 {
			bad = append(bad, map[string]tftypes.Value{times[0]: str("2026-11-20T00:00:00Z"), times[1]: str("2026-11-19T00:00:00Z")})
		}
		errors := 0
		for _, args := range bad {
			maps.Copy(args, required)
			cfg := dynamicValue(t, typ, acctest.Object(typ, args))
			dresp, err := srv.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: name, Config: &cfg})
			if err != nil {
				t.Fatal(err)
			}
			eresp, err := srv.ValidateEphemeralResourceConfig(ctx, &tfprotov6.ValidateEphemeralResourceConfigRequest{TypeName: name, Config: &cfg})
			if err != nil {
				t.Fatal(err)
			}
			if acctest.DiagError(dresp.Diagnostics) != nil {
				errors++
			}
			// The framework validates attributes in map order.
			if got, want := sortedDiags(eresp.Diagnostics), sortedDiags(dresp.Diagnostics); !slices.Equal(got, want) {
				t.Errorf("%s %v: the ephemeral resource's validation differs from the data source's:\n got %q\nwant %q",
					name, args, got, want)
			}
		}
		if errors < 2 || errors < len(bad)/2 {
			t.Errorf("%s: only %d of %d invalid configurations were refused: the comparison proves little", name, errors, len(bad))
		}
	}
}

// sortedDiags are diagnostics as text, sorted.
func sortedDiags(diags []*tfprotov6.Diagnostic) []string {
	out := make([]string, len(diags))
	for i, d := range diags {
		out[i] = diagText([]*tfprotov6.Diagnostic{d})
	}
	slices.Sort(out)
	return out
}
