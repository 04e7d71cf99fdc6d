#!/usr/bin/env bash
# The test command of this repository (README.md "Test"): builds Matrix.sln once (warnings are errors), then runs every
# test project, and ends with one line "Tests: N passed, N failed, N skipped" over all of them.
set -uo pipefail
cd "$(dirname "$0")"

results="$PWD/TestResults"
rm -rf "$results"

if ! dotnet build Matrix.sln -c Release; then
  echo "Tests: 0 passed, 1 failed, 0 skipped (the build failed)"
  exit 1
fi

status=0
for project in Matrix.Tests Matrix.AppHost.Tests; do
  dotnet test "$project/$project.csproj" -c Release --no-build \
    --logger "trx;LogFileName=$project.trx" \
    --results-directory "$results" || status=1
done

# One closing line over every result file, counted per test result (tests/trx-summary.sh says why).
summary=$(tests/trx-summary.sh "$results"/*.trx) || status=1
passed=$(echo "$summary" | sed -n 's/^Tests: \([0-9]*\) passed.*/\1/p')
failed=$(echo "$summary" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
if [ "${passed:-0}" = 0 ] && [ "${failed:-0}" = 0 ]; then status=1; fi
echo "$summary"
exit $status
