#!/usr/bin/env bash
# Prints the path of the OpenTofu CLI to use for make testacc-tofu (and for
# every target when there is no terraform, see scripts/find-terraform.sh):
#   1. $TOFU_BIN, when set;
#   2. else tofu on PATH;
#   3. else .cache/tofu/$TOFU_VERSION/tofu, built once from OpenTofu's Go
#      module (github.com/opentofu/opentofu@v$TOFU_VERSION, through the Go
#      module proxy; `go install` refuses it because of its replace
#      directives, so it is downloaded and built in place).
# Progress goes to stderr; only the path goes to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
# 1.11 is the first OpenTofu with ephemeral resources.
version=${TOFU_VERSION:-1.12.6}

if [ -n "${TOFU_BIN:-}" ]; then
  if [ -x "$TOFU_BIN" ]; then echo "$TOFU_BIN"; exit 0; fi
  command -v "$TOFU_BIN" 2>/dev/null && exit 0
  echo "TOFU_BIN=$TOFU_BIN is not an executable" >&2
  exit 1
fi
if command -v tofu 2>/dev/null; then exit 0; fi

out="$PWD/.cache/tofu/$version/tofu"
if [ -x "$out" ]; then echo "$out"; exit 0; fi

echo "==> OpenTofu not on PATH: building v$version from its Go module into .cache/tofu/$version (once)" >&2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/opsaudit-tofu.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Outside any module, so this repository's go.mod plays no part.
dir=$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "github.com/opentofu/opentofu@v$version" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
if [ -z "$dir" ] || [ ! -d "$dir/cmd/tofu" ]; then
  echo "could not download github.com/opentofu/opentofu@v$version; install OpenTofu (https://opentofu.org/docs/intro/install/) or set TOFU_BIN" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
# As OpenTofu's own release build: static, trimmed, not marked -dev.
(cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
  -ldflags "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'" -o "$tmp/tofu" ./cmd/tofu) >&2
mv "$tmp/tofu" "$out"
echo "$out"
