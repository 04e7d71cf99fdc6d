#!/usr/bin/env bash
# Benchmarks the route decision (Matrix.Stack RouteMatcher) over a realistic request mix, against a
# regex-scan baseline. Results: BenchmarkDotNet.Artifacts/results/*.md; recorded in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")"
dotnet run -c Release --project Matrix.Bench.Routing.csproj -- --filter '*RouteDecisionBenchmark*' "$@"
