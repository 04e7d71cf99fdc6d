#!/usr/bin/env bash
# Regenerates the committed published output of Matrix.AppHost (Tier 2: needs the Aspire 13.5.2 packages from nuget.org;
# no container runtime is needed to publish). Run from anywhere; commit the result. Matrix.AppHost.Tests fails
# (DriftTests) whenever this folder differs from a fresh publish.
#
#   chart/                 the Helm chart: what `aspire publish -o aspire-manifest/chart` writes (pipeline step `publish`)
#   aspire-manifest.json   the Aspire manifest (pipeline step `publish-manifest`), validated against
#                          ../shared/conformance/aspire-8.0.json by Matrix.AppHost.Tests
#
# Both use the `full` preset (every pool type, the multi-instance pools twice), as the tests do.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/aspire-manifest"
preset="${MATRIX_PRESET:-full}"

rm -rf "$out/chart" "$out/aspire-manifest.json"
dotnet run --project "$root/Matrix.AppHost" -- --Matrix:Preset="$preset" \
  --operation publish --step publish --output-path "$out/chart"
dotnet run --project "$root/Matrix.AppHost" -- --Matrix:Preset="$preset" \
  --publisher manifest --output-path "$out/aspire-manifest.json"
echo "regenerated $out (preset $preset)"
