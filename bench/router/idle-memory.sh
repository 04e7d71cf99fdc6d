#!/usr/bin/env bash
# What one idle /sync long-poll costs Matrix.Router: resident memory and, with dotnet-gcdump, the managed objects it
# holds. Usage: bench/router/idle-memory.sh [CONNECTIONS]   (default 1000)
#
# Starts the Kestrel stand-in (bench/router/LongPollBackend: holds every /sync for its timeout) on a main and two
# synchrotron ports, Matrix.Router in front of them, then wrk holding CONNECTIONS idle long-polls (idle-sync.lua).
# Takes a gcdump with none and one while they are held, and prints the RSS difference per long-poll and the type
# statistics of both dumps (dotnet-gcdump report). Needs wrk, ss and `dotnet tool install -g dotnet-gcdump`.
#
# BENCH_SETTLE_SECONDS=N waits N seconds (default 10) once all long-polls are held, before measuring.
# BENCH_WARM_SECONDS=N puts the router under full load for N seconds (wrk, 64 connections) before the first
# measurement, as run.sh's throughput phases do before its idle phase: the runtime's one-time growth under load
# (compiled code, the GC's budgets, the pools) then falls outside the per-long-poll figure, as it does there.
# BENCH_ROUTER_BUILD=DIR uses an already published router; BENCH_ROUTER_ENV="NAME=value ..." adds environment
# variables to the router (e.g. runtime GC knobs); BENCH_HOLD_SECONDS=N keeps everything running N seconds after the
# dumps (for dotnet-dump and gcroot); BENCH_WORK (default /tmp/matrix-router-idle-memory) keeps the dumps.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${BENCH_WORK:-/tmp/matrix-router-idle-memory}"
connections="${1:-1000}"
router_port=19080 backend_ports=(19100 19101 19102)
gcdump="$(command -v dotnet-gcdump || echo "$HOME/.dotnet/tools/dotnet-gcdump")"
[ -x "$gcdump" ] || { echo "missing: dotnet-gcdump (dotnet tool install -g dotnet-gcdump)" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

rm -rf "$work"; mkdir -p "$work"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

if [ -n "${BENCH_ROUTER_BUILD:-}" ]; then
  cp -r "$BENCH_ROUTER_BUILD" "$work/router"
else
  dotnet publish "$root/Matrix.Router" -c Release -o "$work/router" --nologo -v q >/dev/null
fi
dotnet build "$here/LongPollBackend" -c Release -o "$work/longpoll" --nologo -v q >/dev/null

wait_port() { for _ in $(seq 1 300); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; exit 1; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# Resident memory by kind: anonymous (heaps, stacks), file-backed (mapped assemblies and the runtime), shared.
rss_kinds() { awk '/^Rss(Anon|File|Shmem)/ {printf "%s %s KiB  ", $1, $2}' "/proc/$1/status"; }

dotnet "$work/longpoll/LongPollBackend.dll" "${backend_ports[@]}" >"$work/longpoll.log" 2>&1 &
pids+=($!)
read -r -a extra_env <<< "${BENCH_ROUTER_ENV:-}"
env Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production DOTNET_CLI_TELEMETRY_OPTOUT=1 "${extra_env[@]}" \
  Router__Pools__main__0="http://127.0.0.1:${backend_ports[0]}" \
  Router__Pools__synchrotron__0="http://127.0.0.1:${backend_ports[1]}" \
  Router__Pools__synchrotron__1="http://127.0.0.1:${backend_ports[2]}" \
  dotnet "$work/router/Matrix.Router.dll" --urls "http://127.0.0.1:$router_port" >"$work/router.log" 2>&1 &
router_pid=$!; pids+=("$router_pid")
for port in "${backend_ports[@]}" $router_port; do wait_port "$port"; done

# Warm the router up (JIT, connection pool) with a few answered requests, then let it settle.
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$router_port/_matrix/client/versions"; done
if [ "${BENCH_WARM_SECONDS:-0}" -gt 0 ]; then
  wrk -t1 -c64 -d"${BENCH_WARM_SECONDS}s" "http://127.0.0.1:$router_port/_matrix/client/v3/pushers" >/dev/null 2>&1
fi
sleep 5
"$gcdump" collect -p "$router_pid" -o "$work/none.gcdump" >/dev/null
rss_none=$(rss_kb "$router_pid"); kinds_none=$(rss_kinds "$router_pid")

wrk -t1 -c"$connections" -d600s --timeout 300s -s "$here/idle-sync.lua" "http://127.0.0.1:$router_port" >/dev/null 2>&1 &
wrk_pid=$!; pids+=("$wrk_pid")
for _ in $(seq 1 120); do
  held=$(ss -Htn state established "( sport = :$router_port )" | wc -l)
  [ "$held" -ge "$connections" ] && break
  sleep 1
done
sleep "${BENCH_SETTLE_SECONDS:-10}"
held=$(ss -Htn state established "( sport = :$router_port )" | wc -l)
upstream=$(ss -Htn state established "( dport >= :${backend_ports[0]} and dport <= :${backend_ports[2]} )" | wc -l)
rss_held=$(rss_kb "$router_pid"); kinds_held=$(rss_kinds "$router_pid")
"$gcdump" collect -p "$router_pid" -o "$work/held.gcdump" >/dev/null
rss_after_dump=$(rss_kb "$router_pid")

"$gcdump" report "$work/none.gcdump" > "$work/none.txt"
"$gcdump" report "$work/held.gcdump" > "$work/held.txt"
echo "router RSS: ${rss_none} KiB with none, ${rss_held} KiB holding $held client / $upstream backend connections (${rss_after_dump} KiB after the second dump's GC)"
awk -v a="$rss_none" -v b="$rss_held" -v n="$held" 'BEGIN { printf "RSS per held long-poll: %.1f KiB\n", (b - a) / n }'
echo "by kind, with none: $kinds_none"
echo "by kind, holding:   $kinds_held"
echo "managed heap (live objects): $(head -n 1 "$work/none.txt" | tr -s " ") with none, $(head -n 1 "$work/held.txt" | tr -s " ") holding them"
echo "dumps and type reports: $work/{none,held}.{gcdump,txt}"
if [ -n "${BENCH_HOLD_SECONDS:-}" ]; then
  # Time to look at the live process (e.g. dotnet-dump collect -p PID; gcroot) before everything stops.
  echo "holding for ${BENCH_HOLD_SECONDS}s: router pid $router_pid"
  sleep "$BENCH_HOLD_SECONDS"
fi
