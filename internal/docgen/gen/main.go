// Command gen writes the generated sections of the documentation's
// templates (internal/docgen) in the repository whose root is its
// argument (default: the working directory). make generate runs it
// before tfplugindocs.
package main

import (
	"fmt"
	"os"
	"slices"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/docgen"
)

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	written, err := docgen.Write(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
	slices.Sort(written)
	for _, p := range written {
		fmt.Println("docgen: wrote", p)
	}
}
