package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The documentation (docs/, rendered by tfplugindocs from the schema) and
// editors show each attribute's description: every schema, block and
// attribute, nested ones included, must have a Markdown description. The
// schemas are walked as Terraform receives them (GetProviderSchema of the
// protocol server), so nothing the framework drops or defaults passes.
func TestSchemaDescriptions(t *testing.T) {
	srv := NewServer("test")()
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("GetProviderSchema: %s: %s", d.Summary, d.Detail)
	}
	if resp.Provider == nil {
		t.Fatal("no provider schema")
	}

	var missing []string
	checkBlock(&missing, "provider", resp.Provider.Block)
	names := make([]string, 0, len(resp.DataSourceSchemas))
	for name, s := range resp.DataSourceSchemas {
		names = append(names, name)
		checkBlock(&missing, "data."+name, s.Block)
	}
	slices.Sort(names)
	want := dataSourceNames()
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("data sources: got %v, want %v", names, want)
	}
	for _, m := range missing {
		t.Error(m)
	}
}

// checkBlock appends to missing a line for every element of b (b itself,
// its attributes, nested attributes and nested blocks) without a Markdown
// description.
func checkBlock(missing *[]string, path string, b *tfprotov6.SchemaBlock) {
	if b == nil {
		*missing = append(*missing, path+": no schema block")
		return
	}
	checkDescription(missing, path, b.Description, b.DescriptionKind)
	for _, a := range b.Attributes {
		checkAttribute(missing, path+"."+a.Name, a)
	}
	for _, nb := range b.BlockTypes {
		checkBlock(missing, path+"."+nb.TypeName, nb.Block)
	}
}

func checkAttribute(missing *[]string, path string, a *tfprotov6.SchemaAttribute) {
	checkDescription(missing, path, a.Description, a.DescriptionKind)
	if a.NestedType != nil {
		for _, na := range a.NestedType.Attributes {
			checkAttribute(missing, path+"."+na.Name, na)
		}
	}
}

func checkDescription(missing *[]string, path, desc string, kind tfprotov6.StringKind) {
	switch {
	case strings.TrimSpace(desc) == "":
		*missing = append(*missing, path+": empty description (set MarkdownDescription)")
	case kind != tfprotov6.StringKindMarkdown:
		*missing = append(*missing, path+": description is not Markdown (set MarkdownDescription, not Description)")
	}
}

// The walk above must see what it checks: a schema element without a
// description is reported, nested ones included.
func TestCheckBlockReportsMissingDescriptions(t *testing.T) {
	b := &tfprotov6.SchemaBlock{
		Description: "ok", DescriptionKind: tfprotov6.StringKindMarkdown,
		Attributes: []*tfprotov6.SchemaAttribute{
			{Name: "plain", Description: "plain text", DescriptionKind: tfprotov6.StringKindPlain},
			{Name: "list", Description: "ok", DescriptionKind: tfprotov6.StringKindMarkdown,
				NestedType: &tfprotov6.SchemaObject{Attributes: []*tfprotov6.SchemaAttribute{
					{Name: "field", DescriptionKind: tfprotov6.StringKindMarkdown},
				}}},
		},
		BlockTypes: []*tfprotov6.SchemaNestedBlock{
			{TypeName: "inner", Block: &tfprotov6.SchemaBlock{Description: " "}},
		},
	}
	var missing []string
	checkBlock(&missing, "x", b)
	want := []string{
		"x.plain: description is not Markdown (set MarkdownDescription, not Description)",
		"x.list.field: empty description (set MarkdownDescription)",
		"x.inner: empty description (set MarkdownDescription)",
	}
	if !slices.Equal(missing, want) {
		t.Errorf("got %q\nwant %q", missing, want)
	}
}
