#!/usr/bin/env bash
# Regenerates the committed published output of Matrix.AppHost (no container runtime is needed to publish). Run from
# anywhere; commit the result. Matrix.AppHost.Tests fails (DriftTests) whenever this folder differs from a fresh publish.
#
#   aspire-manifest.json   the Aspire manifest (manifest publisher), validated against
#                          ../shared/conformance/aspire-8.0.json by Matrix.AppHost.Tests
#   kubernetes/            the Kubernetes manifests and kustomization.yaml (publish-kubernetes step; docs/kubernetes.md)
#
# The `full` preset (every pool type, the multi-instance pools twice), as the tests use.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/aspire-manifest"
preset="${MATRIX_PRESET:-full}"

rm -f "$out/aspire-manifest.json"
dotnet run --project "$root/Matrix.AppHost" -- --Matrix:Preset="$preset" \
  --publisher manifest --output-path "$out/aspire-manifest.json"
rm -rf "$out/kubernetes"
dotnet run --project "$root/Matrix.AppHost" -- --Matrix:Preset="$preset" \
  --operation publish --step publish-kubernetes --output-path "$out"
test -f "$out/kubernetes/kustomization.yaml"
echo "regenerated $out (preset $preset)"
