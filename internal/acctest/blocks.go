package acctest

import (
	"fmt"
	"strings"
)

// Arg is one argument of a block: its name and its value as an HCL
// expression, written as it is.
type Arg struct {
	Name, HCL string
}

// StringArg is the argument name set to the string v (quoted with
// HCLString).
func StringArg(name, v string) Arg { return Arg{Name: name, HCL: HCLString(v)} }

// ExprArg is the argument name set to the HCL expression hcl, written as
// it is (e.g. "60", `["a", "b"]`, or a deliberately malformed value).
func ExprArg(name, hcl string) Arg { return Arg{Name: name, HCL: hcl} }

// DataSource is the type name of a data source, for writing its blocks
// and addresses in test configurations.
type DataSource string

// Block renders a data block of the data source named name, with args one
// per line, in order.
func (d DataSource) Block(name string, args ...Arg) string {
	var b strings.Builder
	fmt.Fprintf(&b, "data %q %q {\n", string(d), name)
	for _, a := range args {
		fmt.Fprintf(&b, "  %s = %s\n", a.Name, a.HCL)
	}
	b.WriteString("}\n")
	return b.String()
}

// Address is the address of the data source's block named name:
// "data.TYPE.NAME".
func (d DataSource) Address(name string) string { return "data." + string(d) + "." + name }
