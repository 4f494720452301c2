#!/usr/bin/env bash
# Prints the path of the Terraform (or OpenTofu) CLI to use:
#   1. $TF_BIN, when set;
#   2. else terraform on PATH;
#   3. else OpenTofu, as scripts/find-tofu.sh finds it: $TOFU_BIN, tofu on
#      PATH, or built once from its Go module into .cache/tofu/<version>
#      (so a machine with Go alone can run make demo and make test).
# Progress goes to stderr; only the path goes to stdout. With --explain,
# says how to get a CLI (and exits 1).
set -euo pipefail
if [ "${1:-}" = "--explain" ]; then
  cat >&2 <<'MSG'
No usable Terraform or OpenTofu CLI (TF_BIN, terraform or tofu on PATH, or OpenTofu built from its Go module).
  - install Terraform (>= 1.10, tested with 1.11): https://developer.hashicorp.com/terraform/install, or
  - install OpenTofu (>= 1.11): https://opentofu.org/docs/intro/install/, or
  - point TF_BIN (or TOFU_BIN) at one: make demo TF_BIN=/path/to/terraform
MSG
  exit 1
fi
if [ -n "${TF_BIN:-}" ]; then
  if [ -x "$TF_BIN" ]; then echo "$TF_BIN"; exit 0; fi
  command -v "$TF_BIN" 2>/dev/null && exit 0
  echo "TF_BIN=$TF_BIN is not an executable" >&2
  exit 0
fi
command -v terraform 2>/dev/null && exit 0
echo "==> terraform not found (TF_BIN, PATH): using OpenTofu" >&2
"$(dirname "$0")/find-tofu.sh" || true
