#!/usr/bin/env bash
# Regenerates the committed published output of Matrix.AppHost (no container runtime is needed to publish). Run from
# anywhere; commit the result. Matrix.AppHost.Tests fails (DriftTests) whenever this folder differs from a fresh publish.
#
#   aspire-manifest.json   the Aspire manifest (manifest publisher), validated against
#                          ../shared/conformance/aspire-8.0.json by Matrix.AppHost.Tests
#   kubernetes/            the Kubernetes manifests and kustomization.yaml (publish-kubernetes step; docs/kubernetes.md)
#
# The `full` preset (every pool type, the multi-instance pools twice) for the server name example.org, as the tests use
# (publishing refuses to run without a server name). No secret is given or needed: the output only refers to the
# operator's Secrets, and standard input is closed so that a publish asking for input fails instead of waiting.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/aspire-manifest"
preset="${MATRIX_PRESET:-full}"
server_name="${MATRIX_SERVER_NAME:-example.org}"

# dotnet run starts the AppHost itself rather than handing over to the Aspire CLI (docs/apphost.md).
export ASPIRE_SUPPRESS_CLI_RUN_HOOK=true

rm -f "$out/aspire-manifest.json"
dotnet run --project "$root/Matrix.AppHost" -- --Matrix:Preset="$preset" --Matrix:Settings:serverName="$server_name" \
  --publisher manifest --output-path "$out/aspire-manifest.json" </dev/null
rm -rf "$out/kubernetes"
dotnet run --project "$root/Matrix.AppHost" -- --Matrix:Preset="$preset" --Matrix:Settings:serverName="$server_name" \
  --operation publish --step publish-kubernetes --output-path "$out" </dev/null
test -f "$out/kubernetes/kustomization.yaml"
echo "regenerated $out (preset $preset, server name $server_name)"
