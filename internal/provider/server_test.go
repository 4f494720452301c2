package provider_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/oos"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/provider"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/readserver"
)

// TestServerReadsLikeTheFramework: the server main serves answers every
// data source's read below the framework (readserver.NewProtocol6), and
// its answers are the framework's own: the same state, the same
// diagnostics, for results, filters, max_items and API errors.
func TestServerReadsLikeTheFramework(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{})
	noEnv := provider.WithGetenv(func(string) string { return "" })
	ours := provider.NewServer("test", noEnv)()
	theirs := providerserver.NewProtocol6(provider.New("test", noEnv)())()

	all := catalog.TypeNames()
	slices.Sort(all)
	if got := readserver.DirectReads(ours); !slices.Equal(got, all) {
		t.Fatalf("data sources read below the framework: %v, want all of %v", got, all)
	}

	cases := readCases()
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.typeName] = true
	}
	for _, name := range all {
		if !covered[name] {
			t.Errorf("no case reads %s: add one", name)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := protocolRead(t, ours, srv.URL(), tc.typeName, tc.args)
			want := protocolRead(t, theirs, srv.URL(), tc.typeName, tc.args)
			if failed := acctest.DiagError(got.diags) != nil; failed != tc.fails {
				t.Fatalf("read failed: %v, want %v: %v", failed, tc.fails, acctest.DiagError(got.diags))
			}
			if !got.state.Equal(want.state) {
				diffs, _ := got.state.Diff(want.state)
				t.Errorf("the state differs from the framework's: %d differences, first %v", len(diffs), diffs[:min(1, len(diffs))])
			}
			if !reflect.DeepEqual(got.diags, want.diags) {
				t.Errorf("diagnostics differ from the framework's:\n got %s\nwant %s", diagText(got.diags), diagText(want.diags))
			}
			if !tc.fails && !hasItems(t, got.state) {
				t.Error("no items read: the comparison proves nothing")
			}
		})
	}
}

type protocolResult struct {
	state tftypes.Value
	diags []*tfprotov6.Diagnostic
}

var requestID = regexp.MustCompile(`(Request ID: |request id: )[^,)\s]+`)

// protocolRead configures srv for the emulator at url and reads typeName
// with args. Request ids in diagnostics are blanked: each request has its
// own.
func protocolRead(t *testing.T, srv tfprotov6.ProviderServer, url, typeName string, args map[string]tftypes.Value) protocolResult {
	t.Helper()
	schemas := configure(t, srv, url)
	typ := schemas.DataSourceSchemas[typeName].ValueType().(tftypes.Object)
	cfg := dynamicValue(t, typ, acctest.Object(typ, args))
	resp, err := srv.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	return result(t, typ, resp.State, resp.Diagnostics)
}

// configure configures srv for the emulator at url and returns its
// schemas.
func configure(t *testing.T, srv tfprotov6.ProviderServer, url string) *tfprotov6.GetProviderSchemaResponse {
	t.Helper()
	ctx := context.Background()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || acctest.DiagError(schemas.Diagnostics) != nil {
		t.Fatalf("GetProviderSchema: %v %v", err, acctest.DiagError(schemas.Diagnostics))
	}
	ptyp := schemas.Provider.ValueType().(tftypes.Object)
	pcfg := dynamicValue(t, ptyp, acctest.ProtocolProviderConfig(ptyp, url, 0))
	cresp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &pcfg})
	if err != nil || acctest.DiagError(cresp.Diagnostics) != nil {
		t.Fatalf("ConfigureProvider: %v %v", err, acctest.DiagError(cresp.Diagnostics))
	}
	return schemas
}

func dynamicValue(t *testing.T, typ tftypes.Type, v tftypes.Value) tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return dv
}

// result decodes an answer; request ids in diagnostics are blanked.
func result(t *testing.T, typ tftypes.Type, state *tfprotov6.DynamicValue, diags []*tfprotov6.Diagnostic) protocolResult {
	t.Helper()
	res := protocolResult{diags: diags}
	for _, d := range res.diags {
		d.Detail = requestID.ReplaceAllString(d.Detail, "${1}(blanked)")
	}
	if state != nil {
		var err error
		if res.state, err = state.Unmarshal(typ); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

// hasItems reports whether the state's list of items is not empty.
func hasItems(t *testing.T, state tftypes.Value) bool {
	t.Helper()
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		t.Fatal(err)
	}
	for _, d := range catalog.All() {
		if v, ok := attrs[d.Spec().List]; ok {
			var items []tftypes.Value
			if err := v.As(&items); err != nil {
				t.Fatal(err)
			}
			return len(items) > 0
		}
	}
	return false
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var s string
	for _, d := range diags {
		s += fmt.Sprintf("[%s %q %q at %v] ", d.Severity, d.Summary, d.Detail, d.Attribute)
	}
	return s
}

// readCase is a read of one data source, to compare two ways of answering.
type readCase struct {
	name     string
	typeName string
	args     map[string]tftypes.Value
	fails    bool
}

// readCases read every data source (the emulator's fixture of its API,
// acctest.Fixtures): its items, with filters and max_items, with
// timeouts, and from a parent that does not exist (an API error).
func readCases() []readCase {
	timeouts := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"read": tftypes.String}},
		map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, "5m")})
	var out []readCase
	for _, f := range acctest.Fixtures() {
		filtered := acctest.StringValues(f.Args, f.Filter)
		filtered["max_items"] = tftypes.NewValue(tftypes.Number, 3)
		withTimeouts := acctest.StringValues(f.Args)
		withTimeouts["timeouts"] = timeouts
		out = append(out,
			readCase{f.Name, f.TypeName, acctest.StringValues(f.Args), false},
			readCase{f.Name + ", filtered, max_items", f.TypeName, filtered, false},
			readCase{f.Name + ", timeouts", f.TypeName, withTimeouts, false},
		)
		// An API without a parent that can be unknown has no such case.
		if f.UnknownParent != nil {
			out = append(out, readCase{f.Name + ", unknown parent", f.TypeName, acctest.StringValues(f.UnknownParent), true})
		}
	}
	return out
}

// TestFrameworkReadsSwitch: OPSAUDIT_FRAMEWORK_READS=1 (or
// WithFrameworkReads) serves every read through the framework alone, with
// the same answers.
func TestFrameworkReadsSwitch(t *testing.T) {
	srv := acctest.Emulator(t, emulator.Options{})
	env := func(v string) provider.Option {
		return provider.WithGetenv(func(name string) string {
			if name == provider.FrameworkReadsEnv {
				return v
			}
			return ""
		})
	}
	args := map[string]tftypes.Value{"execution_id": tftypes.NewValue(tftypes.String, emulator.ExecutionID(1))}
	direct := provider.NewServer("test", env(""))()
	if len(readserver.DirectReads(direct)) != len(catalog.All()) {
		t.Fatalf("by default every read is direct: %v", readserver.DirectReads(direct))
	}
	want := protocolRead(t, direct, srv.URL(), oos.ExecutionLogsTypeName, args)
	for name, opts := range map[string][]provider.Option{
		"OPSAUDIT_FRAMEWORK_READS=1":    {env("1")},
		"OPSAUDIT_FRAMEWORK_READS=true": {env("TRUE")},
		"WithFrameworkReads":            {env(""), provider.WithFrameworkReads()},
	} {
		t.Run(name, func(t *testing.T) {
			s := provider.NewServer("test", opts...)()
			if got := readserver.DirectReads(s); len(got) != 0 {
				t.Fatalf("reads answered below the framework: %v, want none", got)
			}
			got := protocolRead(t, s, srv.URL(), oos.ExecutionLogsTypeName, args)
			if !got.state.Equal(want.state) || !hasItems(t, got.state) || len(got.diags) != 0 {
				t.Fatalf("the framework's read differs: %s", diagText(got.diags))
			}
		})
	}
}
