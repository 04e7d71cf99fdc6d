#!/usr/bin/env bash
# Takes docs/dashboard/resources.png: the Aspire dashboard's resource page with the monolith stack running on the locally
# built images (tests/images/build.sh), S3 = the model's s3rver resource (Matrix:LocalS3), LiveKit and the web clients off (no image for them here).
# Needs: podman (CONTAINERS_CONF, see .ci/run), Debian's chromium, s3rver in .tools (as .ci/run installs it); installs
# playwright-core (npm, no browser download) to drive Chromium through the dashboard's login.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$root/.ci/containers.conf}"
out="$root/docs/dashboard/resources.png"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

tests/images/build.sh
dotnet run --project Matrix.AppHost --launch-profile http -- \
  --Matrix:Settings:livekit.enabled=false --Matrix:Settings:elementWeb.enabled=false --Matrix:Settings:synapseAdmin.enabled=false \
  --Matrix:Settings:s3.synapseStorageProvider=false --Matrix:LocalS3:Enabled=true --Matrix:LocalS3:DataPath="$work/s3" \
  --Matrix:MediaStoreHostPath="$work/media" \
  --Matrix:Images:synapse=localhost/matrix-test/synapse:1.160 --Matrix:Images:postgres=localhost/matrix-test/postgres:18 \
  --Matrix:Images:redis=localhost/matrix-test/redis:8 --Matrix:Images:coturn=localhost/matrix-test/coturn:4.6 \
  --Matrix:Images:PullPolicy=Never > "$work/apphost.log" 2>&1 &
pids+=($!)

login=""
for _ in $(seq 1 180); do
  login=$(grep -o 'http://localhost:15180/login?t=[0-9a-f]*' "$work/apphost.log" | head -n 1 || true)
  [ -n "$login" ] && break
  sleep 1
done
[ -n "$login" ] || { cat "$work/apphost.log"; echo "the dashboard did not start" >&2; exit 1; }
# Containers start once PostgreSQL is up; Synapse's first start migrates its database: give the stack time to settle.
sleep 120
[ -d .tools/node_modules/playwright-core ] || npm install --silent --no-audit --no-fund --prefix .tools playwright-core@1.64.1
node docs/dashboard/capture.mjs "$login" "$out"
echo "wrote $out"
