# What the demo, benchmark and docs scripts share. Source it from the
# repository root, after `set -euo pipefail`:
#
#   . scripts/lib.sh
#
# find_tf sets tf; make_work sets work, the temporary directory the other
# functions use; the emulator functions set url, emu_pid and project.

# find_tf: sets tf to Terraform (TF_BIN, else PATH), else OpenTofu, built
# once from its Go module when neither is installed
# (scripts/find-terraform.sh); explains and fails when none can be had.
find_tf() {
  tf=$(scripts/find-terraform.sh)
  [ -n "$tf" ] || scripts/find-terraform.sh --explain
}

emu_pid=""

# make_work NAME: sets work to a new temporary directory
# ($TMPDIR/opsaudit-NAME.*), removed when the script ends, after the
# emulator (if one was started) is stopped.
make_work() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/opsaudit-$1.XXXXXX")
  trap 'stop_emulator; rm -rf "$work"' EXIT INT TERM
}

# start_emulator ARGS...: starts $work/emulator (go build ./cmd/opsaudit-emulator)
# on a free port of 127.0.0.1 with ARGS, its output in $work/emulator.log,
# and waits for its URL; sets url and emu_pid. A running one is stopped
# first.
start_emulator() {
  stop_emulator
  rm -f "$work/url"
  "$work/emulator" -addr 127.0.0.1:0 -url-file "$work/url" "$@" >"$work/emulator.log" 2>&1 &
  emu_pid=$!
  for _ in $(seq 1 300); do
    [ -s "$work/url" ] && break
    kill -0 "$emu_pid" 2>/dev/null || { cat "$work/emulator.log"; echo "the emulator did not start" >&2; exit 1; }
    sleep 0.1
  done
  [ -s "$work/url" ] || { cat "$work/emulator.log"; echo "the emulator did not report its URL" >&2; exit 1; }
  url=$(cat "$work/url")
}

# stop_emulator: stops the emulator start_emulator started, if any.
stop_emulator() {
  if [ -n "$emu_pid" ]; then
    kill "$emu_pid" 2>/dev/null || true
    wait "$emu_pid" 2>/dev/null || true
    emu_pid=""
  fi
}

# emulator_project: sets project to the project id of region cn-north-4
# from the running emulator's banner.
emulator_project() {
  project=$(sed -n -e 's/.*region cn-north-4  project \([0-9a-f]*\).*/\1/p' -e 's/.*HW_PROJECT_ID=\([0-9a-f]*\).*/\1/p' \
    "$work/emulator.log" | head -n1)
  [ -n "$project" ] || { cat "$work/emulator.log"; echo "no project id in the emulator's banner" >&2; exit 1; }
}

# cli_config ADDRESS=DIR...: prints a Terraform CLI configuration whose
# dev_overrides install each provider ADDRESS (e.g.
# registry.terraform.io/opsaudit/opsaudit) from the build in DIR; others
# install as usual. Scripts write it into $work and point
# TF_CLI_CONFIG_FILE at it: ~/.terraformrc is never touched.
cli_config() {
  echo "provider_installation {"
  echo "  dev_overrides {"
  local o
  for o in "$@"; do
    printf '    "%s" = "%s"\n' "${o%%=*}" "${o#*=}"
  done
  echo "  }"
  echo "  direct {}"
  echo "}"
}

# huawei_header EXTRA: prints a terraform block requiring opsaudit/opsaudit and
# a provider "opsaudit" block for the running
# emulator's Huawei Cloud (its public demo credentials, region cn-north-4,
# $project, every endpoint at $url), with the lines EXTRA inside.
huawei_header() {
  cat <<TF
terraform {
  required_providers {
    opsaudit = { source = "opsaudit/opsaudit" }
  }
}
provider "opsaudit" {
  huaweicloud {
    region     = "cn-north-4"
    project_id = "$project"
    access_key = "OPSAUDITDEMOHWAK0001"
    secret_key = "opsaudit-demo-huawei-secret-key-0001"
    endpoints  = { iam = "$url", workspace = "$url", secmaster = "$url" }
  }
  $1
}
TF
}
