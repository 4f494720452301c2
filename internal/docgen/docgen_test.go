package docgen

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/catalog"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/paginate"
)

// root is the repository's root, from this package's directory.
const root = "../.."

// TestTemplatesAreGenerated: every template is what make generate writes:
// the index lists every data source of the catalog, and each data
// source's table of arguments is its declaration's. A row missing,
// added or changed by hand fails here (and make docs-check, which runs
// make generate, shows the difference).
func TestTemplatesAreGenerated(t *testing.T) {
	all, err := Render(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(catalog.All())+2 {
		t.Fatalf("%d files rendered for %d data sources, the index and the README", len(all), len(catalog.All()))
	}
	for path, want := range all {
		got, err := os.ReadFile(filepath.Join(root, path))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s is not what make generate writes (run it): %s", path, firstDifference(string(got), string(want)))
		}
	}
	index, readme := string(all[IndexTemplate]), string(all[Readme])
	for _, d := range catalog.All() {
		if !strings.Contains(index, "| [`"+d.Spec().TypeName+"`](data-sources/"+Page(d.Spec().TypeName)+".md) |") {
			t.Errorf("the index does not list %s", d.Spec().TypeName)
		}
		if !strings.Contains(readme, "\n| [`"+d.Spec().TypeName+"`](docs/data-sources/"+Page(d.Spec().TypeName)+".md) |") {
			t.Errorf("README.md does not list %s", d.Spec().TypeName)
		}
	}
}

func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d: has %q, want %q", i+1, g[i], w[i])
		}
	}
	return "a different number of lines"
}

type item struct {
	N *string `json:"n"`
}

// documented is a fetch that documents itself.
type documented struct{}

func (documented) Fetch(context.Context, struct{}, *listread.Request, int, int) (paginate.Page[item], error) {
	return paginate.Page[item]{}, nil
}

func (documented) FetchDoc(pageSize int) listread.FetchDoc {
	return listread.FetchDoc{Paging: fmt.Sprintf("`o`, `l` = %d", pageSize), Total: "t", List: "l"}
}

// TestArgumentTable: each way an argument reaches the API gives its row;
// the sent ones come first, in the schema's order, then the others, then
// the paging parameters with the page size and its note.
func TestArgumentTable(t *testing.T) {
	d := &listread.Offset[item, struct{}]{
		API: listread.API{TypeName: "opsaudit_test_items", What: "test items", Items: "items", List: "items",
			Args: []listread.Attribute{
				{Name: "cap", Kind: listread.Int64, Sends: "none: a cap"},
				{Name: "ids", Kind: listread.StringList, Query: "id"},
				{Name: "flag", Kind: listread.Bool, Query: "flag"},
				{Name: "parent", Required: true, Path: "parent_id"},
				{Name: "text", Body: "text"},
				{Name: "region", Sends: "`Region`; also the endpoint", SendsIn: "query"},
			}},
		Scope: listread.Scope[struct{}]{Cloud: "Test Cloud"}, Fields: listread.Fields[item]{
			listread.Text("n", "(`n`)", func(i *item) *string { return i.N })},
		PageSize: 25, PageSizeNote: "the largest", Fetch: documented{},
	}
	got, err := ArgumentTable(d)
	if err != nil {
		t.Fatal(err)
	}
	want := `| argument | API parameter | in |
| --- | --- | --- |
| ` + "`ids` | `id`, one key per element | query |\n" +
		"| `flag` | `flag` (`true` or `false`) | query |\n" +
		"| `parent` | `parent_id` | path |\n" +
		"| `text` | `text` | body |\n" +
		"| `region` | `Region`; also the endpoint | query |\n" +
		"| `cap` | none: a cap | |\n" +
		"| `max_items` | none: stops the read | |\n" +
		"| (paging) | `o`, `l` = 25 (the largest) | query |\n"
	if got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
	if rows := DataSourceTable([]listread.Declaration{d}, ""); !strings.Contains(rows,
		"| [`opsaudit_test_items`](data-sources/test_items.md) | Test Cloud test items |") {
		t.Errorf("index rows:\n%s", rows)
	}

	d.Args = append(d.Args, listread.Attribute{Name: "silent"})
	if _, err := ArgumentTable(d); err == nil || !strings.Contains(err.Error(), "silent") {
		t.Errorf("an argument that says nothing of itself: %v", err)
	}
	d.Args = d.Args[:len(d.Args)-1]
	d.Fetch = listread.OffsetFunc[item, struct{}](documented{}.Fetch)
	if _, err := ArgumentTable(d); err == nil || !strings.Contains(err.Error(), "document") {
		t.Errorf("a fetch that does not document itself: %v", err)
	}
}

// TestFill: the generated section replaces what stood between the
// markers and nothing else; a template without them is refused.
func TestFill(t *testing.T) {
	dir := t.TempDir()
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "t.tmpl"), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("a\n\n{{/* generated by make generate (internal/docgen) from old */ -}}\n| old |\n" + endMarker + "\nb\n")
	read := func() string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, "t.tmpl"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	got, err := fill(templateMarkers, "t.tmpl", read(), "src", "| new |\n")
	want := "a\n\n{{/* generated by make generate (internal/docgen) from src: edit that, not this */ -}}\n| new |\n" + endMarker + "\nb\n"
	if err != nil || string(got) != want {
		t.Errorf("fill: %q (%v), want %q", got, err, want)
	}
	for _, text := range []string{"a\n| old |\n", "{{/* generated by make generate (internal/docgen) x */ -}}\n| old |\n"} {
		write(text)
		if _, err := fill(templateMarkers, "t.tmpl", read(), "src", "| new |\n"); err == nil {
			t.Errorf("%q: no error", text)
		}
	}
	md := "# x\n\n<!-- generated by make generate (internal/docgen) from old -->\n| old |\n" + markdownMarkers.end + "\nmore\n"
	got, err = fill(markdownMarkers, "README.md", md, "src", "| new |\n")
	if want := "# x\n\n<!-- generated by make generate (internal/docgen) from src: edit that, not this -->\n| new |\n" +
		markdownMarkers.end + "\nmore\n"; err != nil || string(got) != want {
		t.Errorf("fill README: %q (%v), want %q", got, err, want)
	}
}

// TestAttributeTables: each data source's page maps its results to the
// answer's members its fetch reads: total_count to the total, the list to
// the items, and status_counts (where it has them) to the items' status;
// a data source without a total has no total_count row.
func TestAttributeTables(t *testing.T) {
	for _, d := range catalog.All() {
		spec, doc := d.Spec(), d.Doc()
		b, err := os.ReadFile(filepath.Join(root, Template(spec.TypeName)))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		rows := map[string]bool{
			"| `" + spec.List + "` | `" + doc.List + "`": true,
			"| `total_count` | `" + doc.Total + "` |":    doc.Total != "" && spec.TotalCount != "",
			"| `status_counts` | computed from":          spec.StatusCounts != "",
		}
		for row, want := range rows {
			if strings.Contains(text, row) != want {
				t.Errorf("%s: has the row %q: %v, want %v", Template(spec.TypeName), row, !want, want)
			}
		}
		if doc.List == "" || (doc.Total == "") != (spec.TotalCount == "") {
			t.Errorf("%s: its fetch documents list %q and total %q; total_count is %q", spec.TypeName, doc.List, doc.Total, spec.TotalCount)
		}
	}
}

// TestWhole: a data source without a template gets one written whole
// from its declaration, which make generate writes again while its first
// line says so; without that line it is a template written by hand, of
// which only the table of arguments is kept current. Its results table is
// the one the hand-written OOS page has.
func TestWhole(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{IndexTemplate, Readme, PolicyCheckExample("opsaudit_alicloud_oos_execution_logs")} {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	written, err := Write(dir)
	if err != nil || len(written) != len(catalog.All()) {
		t.Fatalf("Write wrote %v (%v), want the %d data sources' templates", written, err, len(catalog.All()))
	}
	d := catalog.ByTypeName("opsaudit_alicloud_oos_execution_logs")
	path := filepath.Join(dir, Template(d.Spec().TypeName))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	table, err := ArgumentTable(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		wholeMarkerPrefix + " from the declaration of opsaudit_alicloud_oos_execution_logs",
		"*/ -}}\n---\npage_title:", `subcategory: "Alibaba Cloud OOS"`,
		// The description indented by prefixlines alone: two spaces, as
		// the pages tfplugindocs writes.
		"description: |-\n{{ .Description | plainmarkdown | trimspace | prefixlines \"  \" }}\n",
		"A page is the RPC API `ListExecutionLogs`, version `2019-06-01`, on `https://oos.{region}.aliyuncs.com`",
		"(../ephemeral-resources/alicloud_oos_execution_logs.md)",
		`{{ tffile "examples/data-sources/opsaudit_alicloud_oos_execution_logs/data-source.tf" }}`,
		"### Policy check", // OOS has a policy-check example
		table, "{{ .SchemaMarkdown | trimspace }}",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the whole template lacks %q:\n%s", want, text)
		}
	}
	hand, err := os.ReadFile(filepath.Join(root, Template(d.Spec().TypeName)))
	if err != nil {
		t.Fatal(err)
	}
	row := strings.Split(AttributeTable(d), "\n")[2]
	if !strings.Contains(string(hand), row+"\n") {
		t.Errorf("the derived row %q is not the hand-written page's", row)
	}
	if err := os.WriteFile(path, []byte(text+"an edit\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if written, err := Write(dir); err != nil || len(written) != 1 {
		t.Fatalf("a whole template edited: Write wrote %v (%v), want it written again", written, err)
	}
	if b, _ := os.ReadFile(path); string(b) != text {
		t.Error("a whole template edited is not written back whole")
	}
	byHand := strings.SplitN(text, "\n", 2)[1] + "an edit\n"
	if err := os.WriteFile(path, []byte(byHand), 0o600); err != nil {
		t.Fatal(err)
	}
	if written, err := Write(dir); err != nil || len(written) != 0 {
		t.Fatalf("a template by hand: Write wrote %v (%v), want nothing", written, err)
	}
	if b, _ := os.ReadFile(path); string(b) != byHand {
		t.Error("a template written by hand was not kept")
	}
}
