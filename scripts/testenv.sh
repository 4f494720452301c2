#!/usr/bin/env bash
# testenv.sh CLI COMMAND...: runs COMMAND with the environment of the
# Terraform-driven tests for the CLI at CLI (Terraform or OpenTofu):
# TF_ACC=1, TF_ACC_TERRAFORM_PATH=CLI, CHECKPOINT_DISABLE=1,
# OPSAUDIT_LOOPBACK_ONLY=1, OPSAUDIT_PACING_DIR set to a temporary
# directory removed at the end. For OpenTofu
# also TF_ACC_PROVIDER_HOST=registry.opentofu.org (the address OpenTofu
# gives "opsaudit/opsaudit") and TF_CLI_CONFIG_FILE set to an empty file,
# so nothing of ~/.tofurc or ~/.terraformrc takes part.
# First prints which CLI it is.
set -euo pipefail
cli=$1
shift
# An absolute path: the tests run in their packages' directories.
case $cli in
*/*) cli="$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")" ;;
*) cli=$(command -v "$cli") ;;
esac
# The version line (a CLI may print warnings about its configuration first).
version=$("$cli" version 2>/dev/null | grep -m1 -E '^(Terraform|OpenTofu) v' || true)
[ -n "$version" ] || { echo "$cli: neither Terraform nor OpenTofu (\"$cli version\" names neither)" >&2; exit 1; }
# OPSAUDIT_LOOPBACK_ONLY: every HTTP client of the provider, in the test
# processes and in the provider processes Terraform starts, refuses any
# address but loopback (internal/transport/loopback.go).
export TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" CHECKPOINT_DISABLE=1 OPSAUDIT_LOOPBACK_ONLY=1
# OPSAUDIT_PACING_DIR: the pacers' state shared between provider
# processes (internal/transport/share.go) goes to a temporary directory,
# never to the user's cache directory.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/opsaudit-testenv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export OPSAUDIT_PACING_DIR="$tmp/pacing"
case $version in
OpenTofu*)
  : >"$tmp/tofurc"
  export TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_CLI_CONFIG_FILE="$tmp/tofurc"
  ;;
esac
echo "CLI: $cli ($version)"
"$@"
