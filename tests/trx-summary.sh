#!/usr/bin/env bash
# Sums TRX result files into the one line ./test.sh ends with: "Tests: N passed, N failed, N skipped".
#
#   tests/trx-summary.sh FILE.trx...
#
# Counted per test result (<UnitTestResult outcome="...">), not from <Counters>: xunit v3's VSTest adapter reports a
# skipped test as outcome="NotExecuted" but leaves the notExecuted counter at 0. Each file's results must add up to
# its <Counters total>; a file where they do not is named and the exit code is 1.
set -uo pipefail
passed=0 failed=0 skipped=0 status=0
for trx in "$@"; do
  [ -f "$trx" ] || { echo "trx-summary: $trx does not exist" >&2; status=1; continue; }
  outcomes=$(grep -o '<UnitTestResult [^>]*>' "$trx" | grep -o ' outcome="[A-Za-z]*"' | cut -d'"' -f2)
  count() { [ -z "$outcomes" ] && { echo 0; return; }; grep -cx "$1" <<<"$outcomes"; }
  p=$(count Passed); f=$(( $(count Failed) + $(count Error) + $(count Timeout) + $(count Aborted) )); s=$(count NotExecuted)
  total=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 | grep -o ' total="[0-9]*"' | grep -o '[0-9]*')
  if [ "$((p + f + s))" != "${total:-0}" ]; then
    echo "trx-summary: $trx: $p passed + $f failed + $s skipped is not its total of ${total:-?} results" >&2
    status=1
  fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $status
