package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/acctest"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/bench/floor"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/provider"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/tfvalue"
)

// readCase is one data source read against a generated dataset of n items.
type readCase struct {
	name     string
	typeName string
	// list is the computed list attribute holding the items.
	list string
	// counted: the data source has total_count.
	counted bool
	sizes   func(n int) emulator.Sizes
	args    map[string]tftypes.Value
	// api is the emulator's name of the API (its request counts).
	api string
	// most is the most items one read is served (0: no limit).
	most int
}

// readSizes are the item counts of a read in BenchmarkRead.
var readSizes = []int{1000, 10000, 100000}

// served is sizes as a read of c is served them: those below the most
// items one read is served, then that most in place of the rest.
func (c readCase) served(sizes []int) []int {
	if c.most == 0 {
		return sizes
	}
	var out []int
	for _, n := range sizes {
		if n >= c.most {
			return append(out, c.most)
		}
		out = append(out, n)
	}
	return out
}

// readCases are the reads of every data source in the catalog, in its
// order; the list attribute and whether there is a total come from the
// catalog, the dataset sizes, the arguments and the most items a read is
// served from the emulator's fixture of its API (acctest.Fixtures).
var readCases = func() []readCase {
	var out []readCase
	for _, f := range acctest.Fixtures() {
		spec := catalog.ByTypeName(f.TypeName).Spec()
		out = append(out, readCase{name: f.Name, typeName: f.TypeName, list: spec.List, counted: spec.TotalCount != "",
			sizes: f.Sizes, args: acctest.StringValues(f.Args), api: f.API, most: f.MaxItems})
	}
	return out
}()

// BenchmarkRead reads each data source at 1k, 10k and 100k items (audit
// logs at 1k and 9,950, below the 10,000 window of a SecMaster query), four
// ways:
//
//   - protocol: through the provider's protocol 6 server, the one main
//     serves (provider.NewServer: data source reads answered below the
//     framework, readserver.NewProtocol6), as Terraform drives it
//     (ConfigureProvider once, then ReadDataSource with the configuration
//     as a msgpack DynamicValue; the state comes back as msgpack). This is
//     the whole cost of a read in the provider process.
//   - framework: the same through the plugin framework's own server
//     (providerserver.NewProtocol6), which after Read applies semantic
//     equality over the whole state and reifies null blocks: what the
//     provider would cost without readserver.NewProtocol6.
//   - direct: the data source's own Read method, called directly (the
//     requests with their signing and HTTP, the JSON decoding, the state
//     built by the fast path), then the state encoded to msgpack: the
//     least any server answering ReadDataSource has to do. protocol should
//     be close to it.
//   - datasource: the data source's Read alone, without the msgpack
//     encoding. The difference from direct is the encoding (tfvalue.DynamicValue,
//     the same bytes as tftypes' marshaller); the difference from BenchmarkFlatten
//     (flatten_test.go) is the requests and the JSON decoding.
//
// The answers come from the emulator: the first read of each size goes to
// it and records its answers, byte for byte; the timed reads are served
// those recordings, so the emulator's own JSON encoding, filtering and
// request log are not counted in the process's allocations (it runs in
// the same process). OPSAUDIT_BENCH_LIVE=1 sends every request to the
// emulator instead.
func BenchmarkRead(b *testing.B) {
	for _, c := range readCases {
		for _, n := range c.served(readSizes) {
			b.Run(fmt.Sprintf("%s/n=%d/protocol", c.name, n), func(b *testing.B) {
				r := newReader(b, c, n, 0)
				r.read(b, true) // the recording read, checked
				PerItem(b, n, func() { r.read(b, false) })
			})
			b.Run(fmt.Sprintf("%s/n=%d/framework", c.name, n), func(b *testing.B) {
				r := newReaderWith(b, c, n, 0, providerserver.NewProtocol6(provider.New("bench", provider.WithGetenv(func(string) string { return "" }))())())
				r.read(b, true) // the recording read, checked
				PerItem(b, n, func() { r.read(b, false) })
			})
			b.Run(fmt.Sprintf("%s/n=%d/direct", c.name, n), func(b *testing.B) {
				r := newReader(b, c, n, 0)
				r.read(b, true) // the recording read, checked
				d := r.direct(b)
				PerItem(b, n, func() { d.read(b) })
			})
			b.Run(fmt.Sprintf("%s/n=%d/datasource", c.name, n), func(b *testing.B) {
				r := newReader(b, c, n, 0)
				r.read(b, true) // the recording read, checked
				d := r.direct(b)
				d.encode = false
				PerItem(b, n, func() { d.read(b) })
			})
		}
	}
}

// TestServedSizes: the benchmarks read no more items than one read is
// served. BenchmarkOpen once opened 10,000 audit logs, which SecMaster
// refuses (offset + limit < 10000), and make bench failed on it.
func TestServedSizes(t *testing.T) {
	var audit readCase
	for _, c := range readCases {
		if c.name == "audit_logs" {
			audit = c
		}
		for _, sizes := range [][]int{readSizes, openSizes} {
			for _, n := range c.served(sizes) {
				if c.most > 0 && n > c.most {
					t.Errorf("%s: a benchmark reads %d items; one read is served at most %d", c.name, n, c.most)
				}
			}
		}
	}
	if audit.most != 9950 {
		t.Fatalf("audit logs: most items one read is served = %d, want 9950 (the emulator's fixture)", audit.most)
	}
	for _, tc := range []struct{ sizes, want []int }{
		{[]int{1000, 10000, 100000}, []int{1000, 9950}},
		{[]int{1000, 10000}, []int{1000, 9950}},
		{[]int{1000, 9950}, []int{1000, 9950}},
		{[]int{400}, []int{400}},
	} {
		if got := audit.served(tc.sizes); !slices.Equal(got, tc.want) {
			t.Errorf("audit logs served(%v) = %v, want %v", tc.sizes, got, tc.want)
		}
	}
	if got := (readCase{}).served(readSizes); !slices.Equal(got, readSizes) {
		t.Errorf("no limit: served(%v) = %v, want them all", readSizes, got)
	}
}

// TestReadHarness: the benchmark's harness reads every data source
// through the protocol server and finds every generated item, live and
// from the recording (small sizes: this runs with go test).
func TestReadHarness(t *testing.T) {
	for _, c := range readCases {
		t.Run(c.name, func(t *testing.T) {
			r := newReader(t, c, 400, 0)
			r.read(t, true)
			before := r.replay.forwarded
			r.read(t, true)
			if r.replay.forwarded != before && !live() {
				t.Fatalf("the second read sent %d requests to the emulator; want all from the recording", r.replay.forwarded-before)
			}
			r.direct(t).read(t)
			if r.replay.forwarded != before && !live() {
				t.Fatalf("the direct read sent %d requests to the emulator; want all from the recording", r.replay.forwarded-before)
			}
		})
	}
}

// TestFloorMatchesProvider: the floor provider answers with the state the
// provider reads from the emulator, the id aside, with and without
// bypass_framework.
func TestFloorMatchesProvider(t *testing.T) {
	ctx := context.Background()
	const n = 400
	r := newReader(t, caseNamed(t, "audit_logs"), n, 0) // floor_audit_logs's API
	resp, err := r.srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: r.c.typeName, Config: &r.config})
	if err != nil || acctest.DiagError(resp.Diagnostics) != nil {
		t.Fatalf("ReadDataSource: %v %v", err, acctest.DiagError(resp.Diagnostics))
	}
	want := attributes(t, resp.State, r.typ)

	for _, bypass := range []bool{false, true} {
		srv := floor.Server()()
		schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil || acctest.DiagError(schemas.Diagnostics) != nil {
			t.Fatalf("GetProviderSchema: %v %v", err, acctest.DiagError(schemas.Diagnostics))
		}
		ptyp := schemas.Provider.ValueType().(tftypes.Object)
		pcfg, err := tfprotov6.NewDynamicValue(ptyp, acctest.Object(ptyp, map[string]tftypes.Value{
			"audit_logs":       tftypes.NewValue(tftypes.Number, n),
			"bypass_framework": tftypes.NewValue(tftypes.Bool, bypass),
		}))
		if err != nil {
			t.Fatal(err)
		}
		cresp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &pcfg})
		if err != nil || acctest.DiagError(cresp.Diagnostics) != nil {
			t.Fatalf("ConfigureProvider: %v %v", err, acctest.DiagError(cresp.Diagnostics))
		}
		if !schemas.DataSourceSchemas["floor_audit_logs"].ValueType().Equal(r.typ) {
			t.Fatal("the floor's data source type differs from the provider's")
		}
		fresp, err := srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "floor_audit_logs", Config: &r.config})
		if err != nil || acctest.DiagError(fresp.Diagnostics) != nil {
			t.Fatalf("floor ReadDataSource (bypass %v): %v %v", bypass, err, acctest.DiagError(fresp.Diagnostics))
		}
		got := attributes(t, fresp.State, r.typ)
		for name, v := range want {
			if name == "id" {
				continue
			}
			if !got[name].Equal(v) {
				diffs, _ := got[name].Diff(v)
				t.Errorf("bypass %v: %s differs from the provider's: %d differences, first %v", bypass, name, len(diffs), diffs[:min(1, len(diffs))])
			}
		}
	}
}

func attributes(t *testing.T, dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]tftypes.Value
	if err := v.As(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func live() bool { return os.Getenv("OPSAUDIT_BENCH_LIVE") == "1" }

// reader is a configured provider server and a data source configuration.
type reader struct {
	c      readCase
	n      int
	srv    tfprotov6.ProviderServer
	typ    tftypes.Object
	config tfprotov6.DynamicValue
	replay *replayServer
	// providerConfig and args are the provider and data source
	// configurations as values, for direct.
	providerConfig tftypes.Value
	args           tftypes.Value
}

// caseNamed is the read case of that name.
func caseNamed(tb testing.TB, name string) readCase {
	tb.Helper()
	i := slices.IndexFunc(readCases, func(c readCase) bool { return c.name == name })
	if i < 0 {
		tb.Fatalf("no read case %s", name)
	}
	return readCases[i]
}

func newReader(tb testing.TB, c readCase, n, parallel int) *reader {
	tb.Helper()
	return newReaderWith(tb, c, n, parallel, provider.NewServer("bench", provider.WithGetenv(func(string) string { return "" }))())
}

// newReaderWith is newReader with the given server (the framework's own,
// for the framework benchmarks).
func newReaderWith(tb testing.TB, c readCase, n, parallel int, srv tfprotov6.ProviderServer) *reader {
	tb.Helper()
	emu, err := emulator.New(emulator.Options{Data: emulator.Generate(emulator.DefaultSeed, c.sizes(n))})
	if err != nil {
		tb.Fatal(err)
	}
	rs := &replayServer{emu: emu.Handler(), answers: map[string]*answer{}, live: live()}
	hs := httptest.NewServer(rs)
	tb.Cleanup(hs.Close)
	rs.url = hs.URL
	typ, pval, cfg := configure(tb, srv, c, hs.URL, parallel)
	return &reader{c: c, n: n, srv: srv, typ: typ, config: cfg, providerConfig: pval, args: acctest.Object(typ, c.args), replay: rs}
}

// configure configures srv the way Terraform does (GetProviderSchema,
// then ConfigureProvider) with every endpoint at url, and returns c's data
// source type, the provider configuration and c's data source
// configuration.
func configure(tb testing.TB, srv tfprotov6.ProviderServer, c readCase, url string, parallel int) (tftypes.Object, tftypes.Value, tfprotov6.DynamicValue) {
	tb.Helper()
	ctx := context.Background()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || acctest.DiagError(schemas.Diagnostics) != nil {
		tb.Fatalf("GetProviderSchema: %v %v", err, acctest.DiagError(schemas.Diagnostics))
	}
	pval := acctest.ProtocolProviderConfig(schemas.Provider.ValueType().(tftypes.Object), url, parallel)
	pcfg, err := tfprotov6.NewDynamicValue(pval.Type(), pval)
	if err != nil {
		tb.Fatal(err)
	}
	cresp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &pcfg})
	if err != nil || acctest.DiagError(cresp.Diagnostics) != nil {
		tb.Fatalf("ConfigureProvider: %v %v", err, acctest.DiagError(cresp.Diagnostics))
	}
	ds, ok := schemas.DataSourceSchemas[c.typeName]
	if !ok {
		tb.Fatalf("no data source %s", c.typeName)
	}
	typ := ds.ValueType().(tftypes.Object)
	cfg, err := tfprotov6.NewDynamicValue(typ, acctest.Object(typ, c.args))
	if err != nil {
		tb.Fatal(err)
	}
	return typ, pval, cfg
}

// directReader calls a configured data source's Read method itself and
// encodes the state it sets.
type directReader struct {
	ds     datasource.DataSource
	schema dsschema.Schema
	typ    tftypes.Type
	config tftypes.Value
	// encode: encode the state to msgpack after Read.
	encode bool
}

// direct configures the provider and the data source the way the framework
// does, without its server.
func (r *reader) direct(tb testing.TB) *directReader {
	tb.Helper()
	ctx := context.Background()
	p := provider.New("bench", provider.WithGetenv(func(string) string { return "" }))()
	var ps fwprovider.SchemaResponse
	p.Schema(ctx, fwprovider.SchemaRequest{}, &ps)
	var pc fwprovider.ConfigureResponse
	p.Configure(ctx, fwprovider.ConfigureRequest{Config: tfsdk.Config{Schema: ps.Schema, Raw: r.providerConfig}}, &pc)
	if pc.Diagnostics.HasError() {
		tb.Fatalf("provider Configure: %v", pc.Diagnostics)
	}
	for _, newDS := range p.DataSources(ctx) {
		ds := newDS()
		var md datasource.MetadataResponse
		ds.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: provider.TypeName}, &md)
		if md.TypeName != r.c.typeName {
			continue
		}
		var cr datasource.ConfigureResponse
		ds.(datasource.DataSourceWithConfigure).Configure(ctx, datasource.ConfigureRequest{ProviderData: pc.DataSourceData}, &cr)
		if cr.Diagnostics.HasError() {
			tb.Fatalf("data source Configure: %v", cr.Diagnostics)
		}
		var sr datasource.SchemaResponse
		ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
		d := &directReader{ds: ds, schema: sr.Schema, typ: sr.Schema.Type().TerraformType(ctx), config: r.args, encode: true}
		d.read(tb)
		return d
	}
	tb.Fatalf("no data source %s", r.c.typeName)
	return nil
}

func (d *directReader) read(tb testing.TB) {
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: d.schema, Raw: d.config.Copy()}}
	d.ds.Read(context.Background(), datasource.ReadRequest{Config: tfsdk.Config{Schema: d.schema, Raw: d.config}}, &resp)
	if resp.Diagnostics.HasError() {
		tb.Fatalf("Read: %v", resp.Diagnostics)
	}
	if !d.encode {
		return
	}
	if _, err := tfvalue.DynamicValue(d.typ, resp.State.Raw); err != nil {
		tb.Fatal(err)
	}
}

// read reads the data source once; with check, it decodes the state and
// checks that every item is there.
func (r *reader) read(tb testing.TB, check bool) {
	resp, err := r.srv.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{
		TypeName: r.c.typeName, Config: &r.config,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := acctest.DiagError(resp.Diagnostics); err != nil {
		tb.Fatal(err)
	}
	if check {
		r.check(tb, resp.State)
	}
}

// check decodes a state (or an ephemeral result) and checks that every
// item is there.
func (r *reader) check(tb testing.TB, dv *tfprotov6.DynamicValue) {
	tb.Helper()
	state, err := dv.Unmarshal(r.typ)
	if err != nil {
		tb.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	var items []tftypes.Value
	if err := state.As(&attrs); err != nil {
		tb.Fatal(err)
	}
	if err := attrs[r.c.list].As(&items); err != nil {
		tb.Fatal(err)
	}
	if len(items) != r.n {
		tb.Fatalf("%s: %d items in state, want %d", r.c.name, len(items), r.n)
	}
	if r.c.counted {
		var total big.Float
		if err := attrs["total_count"].As(&total); err != nil || total.Cmp(big.NewFloat(float64(r.n))) != 0 {
			tb.Fatalf("%s: total_count %s (%v), want %d", r.c.name, total.String(), err, r.n)
		}
	}
}

// replayServer answers a request it has seen before with the emulator's
// recorded answer, and sends any other to the emulator (recording the
// answer). A request is the same when its method, path, query, OOS action
// and body are: signatures and dates, in headers, differ on every attempt
// and are checked by the emulator on the recording read only.
type replayServer struct {
	emu  http.Handler
	url  string
	live bool

	mu        sync.Mutex
	answers   map[string]*answer
	forwarded int
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (s *replayServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	key := r.Method + " " + r.URL.RequestURI() + " " + r.Header.Get("x-acs-action") + " " + string(body)
	s.mu.Lock()
	a, ok := s.answers[key]
	s.mu.Unlock()
	if !ok || s.live {
		rec := httptest.NewRecorder()
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.emu.ServeHTTP(rec, r)
		res := rec.Result()
		a = &answer{status: res.StatusCode, header: res.Header, body: rec.Body.Bytes()}
		s.mu.Lock()
		s.forwarded++
		if a.status == http.StatusOK {
			s.answers[key] = a
		}
		s.mu.Unlock()
	}
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}
