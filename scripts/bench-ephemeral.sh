#!/usr/bin/env bash
# make bench, ephemeral part: `terraform plan`, the way pipelines run policy
# gates, over $BENCH_EPHEMERAL_LOGS (9,900) SecMaster playbook audit logs
# served by the emulator without latency, read two ways with the same
# postcondition:
#
#   data source  data "opsaudit_huaweicloud_secmaster_playbook_audit_logs"
#   ephemeral    ephemeral "opsaudit_huaweicloud_secmaster_playbook_audit_logs"
#
# The postcondition holds when every log was read (length(self.audit_logs)
# is the number served), so every timed plan also checks the result; a plan
# that fails stops the script. One warm-up plan, then $BENCH_RUNS timed
# plans each (alternating, so that a slow spell of the machine hits both),
# median. Target: the ephemeral plan takes at most 0.7x the data source's.
#
# Builds the provider and the emulator into a temporary directory and
# points Terraform at the build with a dev_overrides CLI configuration
# there (~/.terraformrc is never touched). Settings (environment):
# BENCH_RUNS (5), BENCH_EPHEMERAL_LOGS (9900), TF_BIN (else terraform on
# PATH; ephemeral resources need Terraform 1.10 or later).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

runs=${BENCH_RUNS:-5}
logs=${BENCH_EPHEMERAL_LOGS:-9900}

find_tf

make_work bench-ephemeral

echo "==> Building the provider and the emulator"
go build -trimpath -o "$work/bin/terraform-provider-opsaudit" .
go build -trimpath -o "$work/emulator" ./cmd/opsaudit-emulator

start_emulator -workspaces 1 -audit-logs "$logs" -script-records 0 -screen-records 0 -executions 0
emulator_project

cli_config "registry.terraform.io/opsaudit/opsaudit=$work/bin" >"$work/terraformrc"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE="$work/terraformrc"
# Every endpoint is the emulator's; the provider refuses any other address
# (internal/transport/loopback.go), so no run can reach a cloud.
export OPSAUDIT_LOOPBACK_ONLY=1
# The pacers' shared state (share_pacing) in the work directory, never in
# the user's cache directory.
export OPSAUDIT_PACING_DIR="$work/pacing"

# config DIR KIND: a configuration reading every audit log of ws-0001 as
# KIND (data or ephemeral), with a postcondition that every log was read.
config() {
  mkdir -p "$1"
  { huawei_header ""; cat <<TF; } >"$1/main.tf"
$2 "opsaudit_huaweicloud_secmaster_playbook_audit_logs" "all" {
  workspace_id = "ws-0001"
  lifecycle {
    postcondition {
      condition     = length(self.audit_logs) == $logs && self.total_count == $logs
      error_message = "Not every audit log was read."
    }
  }
}
TF
}
config "$work/data" data
config "$work/ephemeral" ephemeral

# plan DIR: one terraform plan (no state); prints its wall time in seconds.
plan() {
  local start end
  start=$(date +%s%N)
  if ! "$tf" -chdir="$1" plan -input=false -no-color >"$1/plan.log" 2>&1; then
    cat "$1/plan.log" >&2
    echo "terraform plan failed in $1" >&2
    return 1
  fi
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }'
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "==> Terraform: $tf ($("$tf" version | head -n1)); $(nproc) CPUs"
echo "==> terraform plan over $logs audit logs at 0 ms, same postcondition: 1 warm-up + $runs timed runs each, alternating"
plan "$work/data" >/dev/null
plan "$work/ephemeral" >/dev/null
d=() e=()
for _ in $(seq 1 "$runs"); do
  d+=("$(plan "$work/data")")
  e+=("$(plan "$work/ephemeral")")
done
md=$(median "${d[@]}")
me=$(median "${e[@]}")
r=$(awk -v a="$me" -v b="$md" 'BEGIN { printf "%.2f", a / b }')
ok=$(awk -v r="$r" 'BEGIN { print (r <= 0.7) ? "met" : "MISSED" }')
printf '    %-12s median %7.3f s   runs: %s\n' "data source" "$md" "${d[*]}"
printf '    %-12s median %7.3f s   runs: %s\n' "ephemeral" "$me" "${e[*]}"
echo "    ephemeral vs data source: ${r}x (target <= 0.7x): $ok"

# What each leaves on disk: the saved plan (terraform plan -out), and the
# state after terraform apply.
size() { stat -c %s "$1"; }
for kind in data ephemeral; do
  "$tf" -chdir="$work/$kind" plan -input=false -no-color -out=tfplan >/dev/null
  "$tf" -chdir="$work/$kind" apply -input=false -no-color -auto-approve >/dev/null
  printf '    %-12s saved plan %9s bytes, state after apply %9s bytes\n' \
    "$([ "$kind" = data ] && echo "data source" || echo ephemeral)" "$(size "$work/$kind/tfplan")" "$(size "$work/$kind/terraform.tfstate")"
done
