//go:build generate

// Package tools pins the code generators of the project (see GNUmakefile:
// make generate). It is a module of its own so their dependencies stay out
// of the provider's.
package tools

import (
	// Documentation generation.
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)

// Format the examples, write the templates' sections generated from the
// declarations (internal/docgen), then render docs/ from templates/ and
// examples/ with the provider's schema as the Terraform CLI reports it
// (offline; the CLI is $TF_BIN or terraform on PATH).
//go:generate bash ../scripts/generate-docs.sh
