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
# ways_out prints why no OpenTofu could be made ($1, then the lines of
# file $2 when it has any) and what to do instead, and fails.
ways_out() {
  {
    echo "$1"
    [ -s "${2:-}" ] && sed 's/^/    /' "$2"
    cat <<MSG
Ways out:
  - an OpenTofu you already have: TOFU_BIN=/path/to/tofu (or put tofu on PATH);
  - install OpenTofu 1.11 or later: https://opentofu.org/docs/intro/install/
  - or Terraform 1.10 or later on PATH (or TF_BIN) for every target but make testacc-tofu;
  - or fix what stopped the download (GOPROXY=$(go env GOPROXY 2>/dev/null || echo "?"), GOFLAGS, the network)
    and run again; another version: TOFU_VERSION=1.11.6.
MSG
  } >&2
  exit 1
}
command -v go >/dev/null 2>&1 || ways_out "go is not on PATH: OpenTofu cannot be built from its Go module."
# Outside any module, so this repository's go.mod plays no part. go mod
# download -json reports its failure in the JSON's "Error" field.
json=$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "github.com/opentofu/opentofu@v$version" 2>"$tmp/download.err") || true
field() { printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"'"$1"'": "\(.*\)",\{0,1\}$/\1/p'; }
dir=$(field Dir)
if [ -z "$dir" ] || [ ! -d "$dir/cmd/tofu" ]; then
  { field Error; cat "$tmp/download.err"; } >"$tmp/why"
  ways_out "could not download github.com/opentofu/opentofu@v$version through the Go module proxy:" "$tmp/why"
fi
mkdir -p "$(dirname "$out")"
# As OpenTofu's own release build: static, trimmed, not marked -dev.
if ! (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
  -ldflags "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'" -o "$tmp/tofu" ./cmd/tofu) >"$tmp/build.err" 2>&1; then
  ways_out "could not build OpenTofu v$version from $dir:" "$tmp/build.err"
fi
mv "$tmp/tofu" "$out"
echo "$out"
