#!/usr/bin/env bash
# make generate: formats examples/, writes the templates' generated
# sections from the declarations (internal/docgen), and renders docs/ from
# templates/ and examples/ with tfplugindocs, offline: the schema comes from this source
# tree through the local CLI (scripts/find-terraform.sh: Terraform, else
# OpenTofu; with a dev_overrides CLI configuration in a temporary
# directory), so no provider is downloaded. Running it twice gives the same docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
find_tf

# The examples are included in the docs as they are: format them first.
"$tf" fmt -recursive examples/

# What the templates and README.md say of the declared APIs (the lists of
# data sources, each data source's arguments and API parameters, the whole
# page template of a data source without one written by hand) comes from
# the catalog and the declarations: write it (internal/docgen).
go run ./internal/docgen/gen .

make_work docs
go build -o "$work/bin/terraform-provider-opsaudit" .
cli_config "registry.terraform.io/opsaudit/opsaudit=$work/bin" "registry.opentofu.org/opsaudit/opsaudit=$work/bin" >"$work/terraformrc"
mkdir -p "$work/config"
cat >"$work/config/main.tf" <<'TF'
terraform {
  required_providers {
    opsaudit = { source = "opsaudit/opsaudit" }
  }
}
TF
TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 \
  "$tf" -chdir="$work/config" providers schema -json >"$work/schema.json" 2>"$work/schema.err" \
  || { cat "$work/schema.err" >&2; exit 1; }
# tfplugindocs looks the schema up by the provider's short name (or under
# registry.terraform.io/hashicorp/): key it by "opsaudit" (OpenTofu answers
# under registry.opentofu.org).
sed -i.bak -E 's#"registry\.(terraform\.io|opentofu\.org)/opsaudit/opsaudit":#"opsaudit":#' "$work/schema.json"
grep -q '"opsaudit":' "$work/schema.json" || { echo "no schema for opsaudit/opsaudit in the CLI's answer" >&2; exit 1; }

(cd tools && go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate \
  --provider-dir .. --provider-name opsaudit --rendered-provider-name "opsaudit" \
  --providers-schema "$work/schema.json")
