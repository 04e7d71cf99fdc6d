#!/usr/bin/env bash
# The test command of this repository (README.md "Test"). Tier 1 always runs; Tier 2 (the Aspire
# AppHost) runs only where its Aspire packages restore, and says in one line when it is skipped.
set -uo pipefail
cd "$(dirname "$0")"

results="$PWD/TestResults"
rm -rf "$results"
status=0

dotnet test Matrix.Tests/Matrix.Tests.csproj -c Release --logger "trx;LogFileName=tier1.trx" --results-directory "$results" || status=1

if dotnet restore Matrix.AppHost.Tests/Matrix.AppHost.Tests.csproj >/dev/null 2>&1; then
  dotnet test Matrix.AppHost.Tests/Matrix.AppHost.Tests.csproj -c Release --logger "trx;LogFileName=tier2.trx" --results-directory "$results" || status=1
else
  echo "Tier 2 skipped: the Aspire 13.5.2 packages (Aspire.Hosting.*) cannot be restored from this machine's NuGet sources."
fi

# One closing line over every result file: "N passed, N failed, N skipped".
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed))); skipped=$((skipped + $(get notExecuted)))
done
if [ "$passed" = 0 ] && [ "$failed" = 0 ]; then status=1; fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $status
