#!/usr/bin/env bash
# make demo: the provider on the local cloud emulator, end to end.
#
# Builds the provider and the emulator, starts the emulator on a free
# loopback port, writes a Terraform CLI configuration with a dev_overrides
# entry in a temporary directory (your ~/.terraformrc is never touched),
# runs Terraform on examples/demo, prints the outputs and the policy
# check's verdict, and stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

# Terraform, else OpenTofu (built once from its Go module when neither is
# installed): scripts/find-terraform.sh.
find_tf

make_work demo

echo "==> Building the provider and the emulator"
go build -o "$work/bin/terraform-provider-opsaudit" .
go build -o "$work/emulator" ./cmd/opsaudit-emulator

echo "==> Starting the local cloud emulator"
# examples/demo audits a fixed window ending 2026-11-20T12:00:00Z: pin the
# end of the emulator's data there (by default it ends when it starts).
start_emulator -now 2026-11-20T12:00:00Z
echo "    emulator at $url"

# Terraform resolves "opsaudit/opsaudit" on registry.terraform.io, OpenTofu
# on registry.opentofu.org: one entry for each.
cli_config "registry.terraform.io/opsaudit/opsaudit=$work/bin" "registry.opentofu.org/opsaudit/opsaudit=$work/bin" >"$work/terraformrc"
mkdir -p "$work/config"
cp examples/demo/*.tf "$work/config/"

# The emulator's public demo credentials, given the way a user gives real
# ones: through the provider's environment variables.
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export HW_REGION_NAME=cn-north-4 HW_ACCESS_KEY=OPSAUDITDEMOHWAK0001 HW_SECRET_KEY=opsaudit-demo-huawei-secret-key-0001
export ALIBABA_CLOUD_REGION=cn-hangzhou ALIBABA_CLOUD_ACCESS_KEY_ID=OPSAUDITDEMOALIAK001 ALIBABA_CLOUD_ACCESS_KEY_SECRET=opsaudit-demo-alicloud-secret-key-001
export TF_VAR_emulator_url="$url"

echo "==> apply (examples/demo) with $tf ($("$tf" version | grep -m1 -E '^(Terraform|OpenTofu) v'))"
"$tf" -chdir="$work/config" apply -auto-approve -input=false -no-color 2>&1 | tee "$work/apply.log"

echo
echo "==> Policy check"
verdict=$("$tf" -chdir="$work/config" output -raw policy_verdict)
echo "    $verdict"
if grep -q 'Check block assertion failed' "$work/apply.log"; then
  echo "    The CLI reported the failed check as a warning (check blocks never stop an apply);"
  echo "    a pipeline would fail on it with a postcondition or by testing the output, see examples/policy-checks."
fi
echo
echo "Demo finished: the emulator is stopped and $work is removed."
