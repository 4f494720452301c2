package faulttest_test

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/provider"
)

// Tests at the provider server (the protocol Terraform speaks), for what
// terraform-plugin-testing cannot observe: warning diagnostics, and the
// exact state a failed read returns.

// protoServer is a configured provider server pointed at an emulator.
type protoServer struct {
	s       tfprotov6.ProviderServer
	schemas map[string]tftypes.Type // data source type name -> config/state type
}

// newProtoServer configures a provider server for srv; extra are
// top-level provider settings (e.g. "max_parallel_requests": 1).
func newProtoServer(t *testing.T, srv *emulator.Server, extra map[string]any) *protoServer {
	t.Helper()
	return newProtoServerTimeout(t, srv, extra, 0)
}

// newProtoServerTimeout is newProtoServer with the per-attempt timeout of
// acctest.Factories.
func newProtoServerTimeout(t *testing.T, srv *emulator.Server, extra map[string]any, timeout time.Duration) *protoServer {
	t.Helper()
	s, err := acctest.Factories(timeout)[provider.TypeName]()
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	sch, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasError(sch.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %s", err, diagText(sch.Diagnostics))
	}
	cfg := map[string]any{
		"huaweicloud": map[string]any{
			"region": emulator.DemoRegionHuawei, "project_id": srv.Data().Projects[emulator.DemoRegionHuawei],
			"access_key": emulator.DemoHuaweiAccessKey, "secret_key": emulator.DemoHuaweiSecretKey,
			"endpoints": map[string]string{"iam": srv.URL(), "workspace": srv.URL(), "secmaster": srv.URL()},
		},
		"alicloud": map[string]any{
			"region": emulator.DemoRegionAli, "access_key": emulator.DemoAliAccessKey, "secret_key": emulator.DemoAliSecretKey,
			"endpoints": map[string]string{"oos": srv.URL()},
		},
	}
	for k, v := range extra {
		cfg[k] = v
	}
	ptyp := sch.Provider.ValueType()
	dv, err := tfprotov6.NewDynamicValue(ptyp, value(t, ptyp, cfg))
	if err != nil {
		t.Fatal(err)
	}
	conf, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &dv})
	if err != nil || hasError(conf.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %s", err, diagText(conf.Diagnostics))
	}
	p := &protoServer{s: s, schemas: map[string]tftypes.Type{}}
	for name, ds := range sch.DataSourceSchemas {
		p.schemas[name] = ds.ValueType()
	}
	return p
}

// read reads the data source typ with the given arguments; it returns the
// diagnostics and the state (nil when the response carries none).
func (p *protoServer) read(t *testing.T, typ string, args map[string]any) ([]*tfprotov6.Diagnostic, *tftypes.Value) {
	t.Helper()
	st := p.schemas[typ]
	dv, err := tfprotov6.NewDynamicValue(st, value(t, st, args))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.s.ReadDataSource(t.Context(), &tfprotov6.ReadDataSourceRequest{TypeName: typ, Config: &dv})
	if err != nil {
		t.Fatalf("ReadDataSource: %v", err)
	}
	if resp.State == nil {
		return resp.Diagnostics, nil
	}
	v, err := resp.State.Unmarshal(st)
	if err != nil {
		t.Fatalf("state: %v", err)
	}
	return resp.Diagnostics, &v
}

// value builds a value of typ from Go values: strings, ints, bools,
// map[string]string for maps and map[string]any for objects; anything
// missing is null.
func value(t *testing.T, typ tftypes.Type, v any) tftypes.Value {
	t.Helper()
	if v == nil {
		return tftypes.NewValue(typ, nil)
	}
	switch {
	case typ.Is(tftypes.String):
		return tftypes.NewValue(typ, v.(string))
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(typ, new(big.Float).SetInt64(int64(v.(int))))
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(typ, v.(bool))
	case typ.Is(tftypes.Map{}):
		elem := typ.(tftypes.Map).ElementType
		m := map[string]tftypes.Value{}
		for k, s := range v.(map[string]string) {
			m[k] = tftypes.NewValue(elem, s)
		}
		return tftypes.NewValue(typ, m)
	case typ.Is(tftypes.Object{}):
		ot := typ.(tftypes.Object)
		set := v.(map[string]any)
		for k := range set {
			if _, ok := ot.AttributeTypes[k]; !ok {
				t.Fatalf("no attribute %q in %s", k, typ)
			}
		}
		m := map[string]tftypes.Value{}
		for name, at := range ot.AttributeTypes {
			m[name] = value(t, at, set[name])
		}
		return tftypes.NewValue(typ, m)
	}
	t.Fatalf("unsupported type %s", typ)
	return tftypes.Value{}
}

// itemKeys returns attribute attr of every object in the list attribute
// list of a data source state.
func itemKeys(t *testing.T, state tftypes.Value, list, attr string) []string {
	t.Helper()
	var top map[string]tftypes.Value
	if err := state.As(&top); err != nil {
		t.Fatal(err)
	}
	var items []tftypes.Value
	if err := top[list].As(&items); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(items))
	for i, it := range items {
		var obj map[string]tftypes.Value
		if err := it.As(&obj); err != nil {
			t.Fatal(err)
		}
		if err := obj[attr].As(&out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "\n[%s] %s: %s", d.Severity, d.Summary, d.Detail)
	}
	return b.String()
}

// TestProtocol_countDriftWarning: a total that changes between pages is
// the decision of DESIGN.md ("Consistency when the total changes between
// pages"): the read succeeds with every item exactly once, pages beyond
// the first total are read when a later page reports more, and exactly
// one warning names the drift from the first total to the other one.
func TestProtocol_countDriftWarning(t *testing.T) {
	t.Parallel()
	for _, drift := range []int{150, -60} {
		for _, s := range sources {
			if !s.offset {
				continue // OOS pages by token and reports no total
			}
			t.Run(fmt.Sprintf("%s/%+d", s.name, drift), func(t *testing.T) {
				t.Parallel()
				// Totals that are multiples of the page size (200 items: 2
				// pages of 100 or 4 of 50): without drift the read ends with
				// the last full page of the plan.
				data := emulator.Generate(11, s.fixture.Sizes(200))
				srv := acctest.Emulator(t, emulator.Options{Data: data, Faults: emulator.Faults{CountDrift: drift}})
				p := newProtoServer(t, srv, nil)
				diags, state := p.read(t, s.typ, s.args())
				if hasError(diags) || state == nil {
					t.Fatalf("the read failed:%s", diagText(diags))
				}
				want := s.ids(data)
				if got := itemKeys(t, *state, s.list, s.idAttr); !slices.Equal(got, want) {
					t.Errorf("%d items, want the dataset's %d in order, each once", len(got), len(want))
				}
				first := len(want)
				if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
					diags[0].Summary != "Results changed while they were read" {
					t.Fatalf("diagnostics:%s\nwant one warning \"Results changed while they were read\"", diagText(diags))
				}
				detail := diags[0].Detail
				for _, part := range []string{
					fmt.Sprintf("changed from %d to %d between pages", first, first+drift),
					"Every page was read.", "Run again for a consistent snapshot.",
				} {
					if !strings.Contains(detail, part) {
						t.Errorf("warning %q does not say %q", detail, part)
					}
				}
				dedup := "No item appears twice"
				if s.idAttr != "id" { // items without an id (audit logs)
					dedup = "Items carry no id"
				}
				if !strings.Contains(detail, dedup) {
					t.Errorf("warning %q does not say %q", detail, dedup)
				}
				if drift > 0 {
					// The larger total announced pages beyond the first
					// total: they were asked for (and found empty), not
					// skipped.
					offsets := map[string]bool{}
					recs := srv.Recorded(s.api)
					for _, r := range recs {
						offsets[pageKey(t, r)] = true
					}
					// The page size the read asked for.
					limit, err := strconv.Atoi(acctest.Query(t, recs[0]).Get("limit"))
					if err != nil || limit <= 0 {
						t.Fatalf("the first request's limit %q: %v", acctest.Query(t, recs[0]).Get("limit"), err)
					}
					if first%limit != 0 {
						t.Fatalf("the dataset has %d items, not a multiple of the page size %d", first, limit)
					}
					beyond := fmt.Sprintf("offset=%d", first)
					if !offsets[beyond] {
						t.Errorf("no request at %s (requests at %v)", beyond, offsets)
					}
				}
			})
		}
	}
}

// TestProtocol_steadyTotalNoWarning: without drift there is no warning at
// all (the drift warning is not noise).
func TestProtocol_steadyTotalNoWarning(t *testing.T) {
	t.Parallel()
	srv := acctest.Emulator(t, emulator.Options{Data: smallData()})
	p := newProtoServer(t, srv, nil)
	for _, s := range sources {
		if diags, state := p.read(t, s.typ, s.args()); len(diags) != 0 || state == nil {
			t.Errorf("%s: diagnostics%s", s.name, diagText(diags))
		}
	}
}

// TestProtocol_truncatedBodyLeavesNoState: when a page is unreadable
// (a 200 whose body is cut), the response carries an error and no state
// at all: not the pages read before it.
func TestProtocol_truncatedBodyLeavesNoState(t *testing.T) {
	t.Parallel()
	for _, s := range sources {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			srv := acctest.Emulator(t, emulator.Options{Data: smallData(), Faults: emulator.Faults{TruncateEvery: 2}})
			p := newProtoServer(t, srv, map[string]any{"max_parallel_requests": 1})
			diags, state := p.read(t, s.typ, s.args())
			if !hasError(diags) {
				t.Fatalf("no error:%s", diagText(diags))
			}
			// The framework answers a failed read with the configuration
			// (computed attributes null); what matters is that no list,
			// total or id of the pages read before the error is in it.
			if state != nil && !state.IsNull() {
				var top map[string]tftypes.Value
				if err := state.As(&top); err != nil {
					t.Fatal(err)
				}
				for _, name := range []string{s.list, "id", "total_count"} {
					if v, ok := top[name]; ok && !v.IsNull() {
						t.Errorf("a failed read returned %s = %s", name, v)
					}
				}
			}
			if srv.Requests(s.api) != 2 {
				t.Errorf("%d requests, want 2", srv.Requests(s.api))
			}
		})
	}
}
