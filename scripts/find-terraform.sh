#!/usr/bin/env bash
# Prints the path of the Terraform CLI to use: $TF_BIN, else terraform on PATH.
# With --explain, says how to get one (and exits 1).
set -euo pipefail
if [ "${1:-}" = "--explain" ]; then
  cat >&2 <<'MSG'
Terraform CLI not found. This target needs Terraform >= 1.5 (tested with 1.11).
  - install it from https://developer.hashicorp.com/terraform/install (or your package manager), or
  - point TF_BIN at a terraform binary: make demo TF_BIN=/path/to/terraform
  - OpenTofu works too for the tests: make testacc-tofu (see README).
MSG
  exit 1
fi
if [ -n "${TF_BIN:-}" ]; then
  if [ -x "$TF_BIN" ]; then echo "$TF_BIN"; exit 0; fi
  command -v "$TF_BIN" 2>/dev/null && exit 0
  exit 0
fi
command -v terraform 2>/dev/null || true
