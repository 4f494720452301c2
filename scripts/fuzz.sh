#!/usr/bin/env bash
# make fuzz: scripts/fuzz.sh FUZZTIME PKG:TARGET... runs each fuzz target
# in turn for FUZZTIME ($GO, default go) and stops at the first failure.
#
# Go's fuzz coordinator up to Go 1.26 can fail a target as its -fuzztime
# runs out, with a bare "context deadline exceeded" and no failing input:
# a race between the time limit and a worker's last input, not a finding
# (https://go.dev/issue/75804, fixed in Go 1.27). A run that fails that way
# is shown indented, so no line of it reads as a test result, and run once
# more; a second failure of any kind, a failing input written to
# testdata/fuzz, a panic or any other failure fails at once.
set -uo pipefail
go=${GO:-go}
fuzztime=$1
shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# deadline_race: the run in $log failed only as the coordinator's race does.
deadline_race() {
  grep -q '^    context deadline exceeded$' "$log" &&
    ! grep -q -e 'Failing input written' -e '^panic:' -e '_test\.go:[0-9]' "$log"
}

for t in "$@"; do
  pkg=${t%%:*}
  name=${t##*:}
  for attempt in 1 2; do
    echo "== $name ($pkg, $fuzztime)"
    "$go" test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1
    rc=$?
    if [ $rc -ne 0 ] && [ $attempt = 1 ] && deadline_race; then
      sed 's/^/    | /' "$log"
      echo "== $name: stopped by Go's fuzz deadline race (go.dev/issue/75804), no failing input: once more"
      continue
    fi
    cat "$log"
    [ $rc -eq 0 ] || exit $rc
    break
  done
done
