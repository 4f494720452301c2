package catalog_test

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/clouds"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/fuzzread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

const project = "0123456789abcdef0123456789abcdef"

// meta has both clouds' clients, every endpoint on a fake host.
func meta(tr *transport.Client) *clouds.Meta {
	return &clouds.Meta{Settings: listread.Settings{Parallel: 2},
		Huawei: huaweicloud.NewClient(huaweicloud.Config{Region: "cn-north-4", ProjectID: project, Credentials: huaweicloud.Settings.Keys("AK", "SK", ""),
			Endpoints: invalidHosts(huaweicloud.EndpointKeys)}, tr),
		Ali: alicloud.NewClient(alicloud.Config{Region: "cn-hangzhou", Credentials: alicloud.Settings.Keys("AK", "SK", ""),
			Endpoints: invalidHosts(alicloud.EndpointKeys)}, tr),
	}
}

// invalidHosts are endpoints for every key on hosts that do not exist.
func invalidHosts(keys []string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		out[k] = "https://" + k + ".invalid"
	}
	return out
}

// sample is a value for an argument other than null. region and
// project_id take the provider's own, so the read still resolves.
func sample(a listread.Attribute) tftypes.Value {
	switch a.Name {
	case "region":
		return tftypes.NewValue(tftypes.String, "cn-north-4")
	case "project_id":
		return tftypes.NewValue(tftypes.String, project)
	}
	switch a.Kind {
	case listread.Bool:
		return tftypes.NewValue(tftypes.Bool, false)
	case listread.Int64, listread.Count:
		return fuzzread.Number(7)
	case listread.StringList:
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "x")})
	case listread.Time:
		return tftypes.NewValue(tftypes.String, "2026-11-20T00:00:00Z")
	case listread.Timeouts:
		return readTimeout("5m")
	}
	return tftypes.NewValue(tftypes.String, "x")
}

// TestIDCountsEveryArgument reads every data source of the catalog once
// with its required arguments only and once more per optional argument
// set: every argument, whatever it is, gives the read another id. The id
// is derived from the whole configuration, so no list of arguments can
// leave one out.
func TestIDCountsEveryArgument(t *testing.T) {
	for _, d := range catalog.All() {
		body := page(t, d, []byte(`[]`)) // an empty page: its total and its list
		t.Run(d.Spec().TypeName, func(t *testing.T) {
			base := map[string]tftypes.Value{}
			var optional []listread.Attribute
			for _, a := range d.Attributes() {
				switch {
				case a.Computed:
				case a.Required:
					base[a.Name] = sample(a)
				default:
					optional = append(optional, a)
				}
			}
			if len(optional) < 2 {
				t.Fatalf("only %d optional arguments: the test proves little", len(optional))
			}
			id := func(args map[string]tftypes.Value) string {
				t.Helper()
				attrs, _, ok := fuzzread.ReadPage(t, listread.DataSource(d)(), meta, body, args, d.Spec().Summary(), d.Spec().List)
				if !ok {
					t.Fatalf("read with %v failed", args)
				}
				var s string
				if err := attrs["id"].As(&s); err != nil || s == "" {
					t.Fatalf("id %v: %v", attrs["id"], err)
				}
				return s
			}
			seen := map[string]string{id(base): "required arguments only"}
			if again := id(base); seen[again] == "" {
				t.Fatal("the same configuration gave another id")
			}
			for _, a := range optional {
				args := maps.Clone(base)
				args[a.Name] = sample(a)
				got := id(args)
				if prev, dup := seen[got]; dup {
					t.Errorf("setting %s gives the same id as %s", a.Name, prev)
				}
				seen[got] = a.Name
			}
			for _, a := range d.Attributes() {
				if a.Required {
					args := maps.Clone(base)
					args[a.Name] = tftypes.NewValue(tftypes.String, "y")
					if got := id(args); seen[got] != "" {
						t.Errorf("changing %s gives the same id as %s", a.Name, seen[got])
					}
				}
			}
		})
	}
}

// TestCatalog: type names are unique, every declaration renders a schema
// whose type the generic read's state matches, and each API sits in
// exactly one line.
func TestCatalog(t *testing.T) {
	names := catalog.TypeNames()
	apis := len(emulator.Fixtures())
	if len(names) == 0 || len(names) != apis || len(slices.Compact(slices.Sorted(slices.Values(names)))) != len(names) {
		t.Fatalf("type names %v: want one per list API the emulator serves (%d), unique", names, apis)
	}
	for _, n := range names {
		if catalog.ByTypeName(n) == nil || catalog.ByTypeName(n).Spec().TypeName != n {
			t.Errorf("ByTypeName(%q)", n)
		}
	}
	if catalog.ByTypeName("opsaudit_nothing") != nil {
		t.Error("ByTypeName of an unknown name must be nil")
	}
	for _, d := range catalog.All() {
		s := listread.DataSourceSchema(d)
		if _, ok := s.Type().TerraformType(context.Background()).(tftypes.Object); !ok {
			t.Errorf("%s: schema type is not an object", d.Spec().TypeName)
		}
	}
}

// readTimeout is a timeouts value with read set.
func readTimeout(d string) tftypes.Value {
	return tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"read": tftypes.String}},
		map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, d)})
}

// hang answers no request: it waits until the request's context ends.
type hang struct{}

func (hang) RoundTrip(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

// TestReadStopsAtItsTimeout: a read that would wait for ever stops at
// timeouts.read and fails with an error naming that timeout, for every
// data source; without timeouts the budget is 20 minutes.
func TestReadStopsAtItsTimeout(t *testing.T) {
	for _, d := range catalog.All() {
		t.Run(d.Spec().TypeName, func(t *testing.T) {
			args := map[string]tftypes.Value{"timeouts": readTimeout("200ms")}
			for _, a := range d.Attributes() {
				if a.Required {
					args[a.Name] = sample(a)
				}
			}
			tr := transport.New(transport.Options{HTTPClient: &http.Client{Transport: hang{}}})
			resp, _ := fuzzread.ReadWith(t, listread.DataSource(d)(), meta(tr), args)
			if !resp.Diagnostics.HasError() {
				t.Fatal("a read that gets no answer must fail")
			}
			detail := resp.Diagnostics.Errors()[0].Detail()
			if !strings.Contains(detail, "time budget of 200ms (timeouts.read)") {
				t.Fatalf("the error must name the timeout: %s", detail)
			}
		})
	}
}

// TestDescription: the provider's description names every declared API
// after its cloud, each cloud once, in catalog order.
func TestDescription(t *testing.T) {
	got := catalog.Description()
	if !strings.HasPrefix(got, "Reads operations records from ") || !strings.HasSuffix(got, ", for policy checks in Terraform configurations.") {
		t.Fatalf("description %q", got)
	}
	for i, d := range catalog.All() {
		cloud := strings.Index(got, d.Doc().Cloud+" (")
		what := strings.Index(got, d.Spec().What)
		if cloud < 0 || what < cloud || strings.Count(got, d.Doc().Cloud+" (") != 1 {
			t.Errorf("%q: %s is not named once after %s", got, d.Spec().What, d.Doc().Cloud)
		}
		if i > 0 && catalog.All()[i-1].Doc().Cloud == d.Doc().Cloud && strings.Index(got, catalog.All()[i-1].Spec().What) > what {
			t.Errorf("%q: %s is out of catalog order", got, d.Spec().What)
		}
	}
}
