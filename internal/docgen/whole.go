package docgen

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/listread"
)

// A data source whose page nobody wrote by hand gets a page template
// written whole from its declaration (Whole), and written again at every
// make generate, so it follows the declaration. Its first line says so;
// deleting that line makes it a template written by hand, of which make
// generate then keeps only the table of arguments current (notes on the
// API's quirks, a policy check, go there).

// wholeMarkerPrefix starts the first line of a template written whole.
const wholeMarkerPrefix = "{{/* written whole by make generate (internal/docgen)"

// Example is the data source's first example, which its page shows.
func Example(typeName string) string {
	return "examples/data-sources/" + typeName + "/data-source.tf"
}

// PolicyCheckExample is the data source's policy-check example, which
// its page shows when there is one.
func PolicyCheckExample(typeName string) string {
	return "examples/data-sources/" + typeName + "/policy-check.tf"
}

// Whole is the page template of d written from its declaration: its
// description, the call a page is, its ephemeral twin, its example (and
// policy check when it has one), its arguments with their API parameters
// (the generated section, filled as in every template), its results with
// the answer's members, and its schema.
func Whole(d listread.Declaration, policyCheck bool) ([]byte, error) {
	spec, doc := d.Spec(), d.Doc()
	if doc.Call == "" || doc.List == "" {
		return nil, fmt.Errorf("%s: its fetch does not document itself (listread.DocumentedFetch)", spec.TypeName)
	}
	service, _, _ := strings.Cut(spec.What, " ")
	page := Page(spec.TypeName)
	var b strings.Builder
	fmt.Fprintf(&b, "%s from the declaration of %s: delete this line to write the page by hand (make generate then keeps only its table of arguments current) */ -}}\n",
		wholeMarkerPrefix, spec.TypeName)
	fmt.Fprintf(&b, `---
page_title: "{{ .Name }} {{ .Type }} - {{ .ProviderName }}"
subcategory: "%s %s"
description: |-
{{ .Description | plainmarkdown | trimspace | prefixlines "  " }}
---

# {{ .Name }} ({{ .Type }})

{{ .Description | trimspace }}

A page is %s.

Its ephemeral twin, [`+"`%s`"+`](../ephemeral-resources/%s.md)
(Terraform 1.10 or later, OpenTofu 1.11 or later), takes the same
arguments and returns the same attributes, but Terraform never writes
its result to the state or to a saved plan: for policy checks over large
or sensitive records.

## Example Usage

{{ tffile %q }}
`, doc.Cloud, service, doc.Call, spec.TypeName, page, Example(spec.TypeName))
	if policyCheck {
		fmt.Fprintf(&b, "\n### Policy check\n\n{{ tffile %q }}\n", PolicyCheckExample(spec.TypeName))
	}
	fmt.Fprintf(&b, "\n## Arguments and API parameters\n\nUnset arguments are not sent.\n\n"+templateMarkers.begin+templateMarkers.end, "")
	b.WriteString("\n" + AttributeTable(d) + "\n{{ .SchemaMarkdown | trimspace }}\n")
	return []byte(b.String()), nil
}

// AttributeTable is a data source's table of results and the answer's
// members they come from: the total where the API reports one, the list
// with each item attribute's member (the one its description names), and
// the status counts where it counts them.
func AttributeTable(d listread.Declaration) string {
	spec, doc := d.Spec(), d.Doc()
	var b strings.Builder
	b.WriteString("| attribute | API field |\n| --- | --- |\n")
	if doc.Total != "" && spec.TotalCount != "" {
		fmt.Fprintf(&b, "| `total_count` | `%s` |\n", doc.Total)
	}
	var fields []string
	for _, a := range d.Attributes() {
		if a.Name != spec.List {
			continue
		}
		for i, n := range a.Nested {
			is := " "
			if i == 0 {
				is = " is "
			}
			fields = append(fields, fmt.Sprintf("`%s`%s`%s`", n.Name, is, member(n)))
		}
	}
	fmt.Fprintf(&b, "| `%s` | `%s`: %s |\n", spec.List, doc.List, strings.Join(fields, ", "))
	if spec.StatusCounts != "" {
		fmt.Fprintf(&b, "| `status_counts` | computed from the returned %s' `status` |\n", spec.Items)
	}
	return b.String()
}

// codeSpan is a Markdown code span.
var codeSpan = regexp.MustCompile("`([^`]+)`")

// member is the answer's member an item attribute is read from: the code
// span of its description that names it, compared without case and
// underscores (task_execution_id is the API's TaskExecutionId), else its
// own name.
func member(a listread.Attribute) string {
	fold := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
	for _, m := range codeSpan.FindAllStringSubmatch(a.Description, -1) {
		if fold(m[1]) == fold(a.Name) {
			return m[1]
		}
	}
	return a.Name
}
