#!/usr/bin/env bash
# Matrix.Router against HAProxy 2.6 and nginx, on loopback, with wrk. Usage: bench/router/run.sh
#
#   direct    wrk -> backend                 (the limit: no proxy at all)
#   router    wrk -> Matrix.Router -> backends
#   haproxy   wrk -> HAProxy -> backends     (configured like Element's Helm chart: map_reg path map, token hash)
#   nginx     wrk -> nginx -> backends       (configured like Synapse's docs: regex locations, hash ... consistent)
#
# All three proxies route the same full route table (generated from Matrix.Stack's WorkerCatalog) to the same
# backends: one nginx process serving one port per Synapse instance of the "full" layout. Each proxy runs pinned to
# the same CPU (BENCH_PROXY_CPU); wrk and the backend share the other (BENCH_LOAD_CPU). Phases:
#   1. agreement: the conformance rows (../shared/conformance/worker-routes.tsv) through each proxy
#   2. throughput: the request mix (mix.lua) at full speed: requests/s, p50/p99, CPU time per request
#      (for "direct" that is the backend's CPU time)
#   3. latency at half of Matrix.Router's maximum: p50/p99 per target and what each proxy adds over direct
#   4. 10,000 idle /sync long-polls held by a Kestrel stand-in: each proxy's resident memory
# Results go to $BENCH_WORK/results.md (and are printed). Total time about 7-9 minutes.
#
# Quick mode, for A/B-testing router changes: BENCH_QUICK=1 measures only Matrix.Router's CPU time per request
# (throughput phase, BENCH_ROUNDS rounds, default 3) and stops. BENCH_ROUTER_BUILD=DIR uses an already published
# router instead of publishing the worktree's, so two builds can be compared back to back with the same command.
# BENCH_ALLOC=1 (quick mode) also prints the bytes the router allocated per request in each round, with dotnet-counters
# (`dotnet tool install -g dotnet-counters`; its session costs the router some CPU, so it is off by default): the sum of the System.Runtime meter's dotnet.gc.heap.total_allocated over
# the round (sampled every second) over wrk's request count. Unlike CPU time, it hardly depends on the machine's load.
# BENCH_QUICK_DELAY_MS=N paces each connection (N ms between requests) to compare at a fixed rate instead of flat out.
# BENCH_ROUTER_ENV="NAME=value ..." adds environment variables to the router only (e.g. runtime GC knobs).
# BENCH_THROUGHPUT_ONLY=1 runs only the throughput phase, BENCH_ROUNDS rounds (default 2) of direct, the routers and
# HAProxy interleaved, and prints each round's CPU time per request of the router against HAProxy's: on a shared host
# whose speed drifts, the ratio within a round is the figure to take, and its median over rounds.
# BENCH_COMPARE_ENV="NAME=value ..." runs a second router of the same build with these variables added, as target
# "router-b" in every phase (interleaved with the others): an A/B of two settings in one run, e.g.
# BENCH_COMPARE_ENV=Router__Transport=SocketsHttpHandler compares the router's two transports.
# BENCH_COMPARE_BUILD=DIR runs router-b from another published build (an earlier commit), with BENCH_COMPARE_ENV's
# variables if given: an A/B of two builds in one run.
# BENCH_ROUTER_OMIT_POOLS="pool ..." leaves pools out of the router's settings (they fall back to main), so a build from
# before a pool existed can be compared with the same settings (the request mix reaches neither sliding-sync nor main
# through such a pool).
# BENCH_NEW_TOKENS=1 gives every request a token never seen before (same users): the worst case for the
# access-token-user balance (Router__Balance__synchrotron=access-token-user in BENCH_ROUTER_ENV), one whoami per new
# token; quick mode prints the whoami requests the backends answered in each round.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${BENCH_WORK:-/tmp/matrix-router-bench}"
duration="${BENCH_DURATION:-15}"
warmup="${BENCH_WARMUP:-5}"
connections="${BENCH_CONNECTIONS:-64}"
idle_connections="${BENCH_IDLE_CONNECTIONS:-10000}"
proxy_cpu="${BENCH_PROXY_CPU:-1}"
load_cpu="${BENCH_LOAD_CPU:-0}"
router_port=18080 haproxy_port=18081 nginx_port=18082 router_b_port=18083 backend_base=18100
proxies=(router haproxy nginx)
[ -n "${BENCH_COMPARE_ENV:-}${BENCH_COMPARE_BUILD:-}" ] && proxies=(router router-b haproxy nginx)

for tool in wrk haproxy nginx taskset dotnet ss curl; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (Debian: apt-get install wrk haproxy nginx util-linux iproute2 curl)" >&2; exit 1; }
done
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((idle_connections * 2 + 500)) ]; then
  echo "note: the open-file limit ($(ulimit -n)) is too low for $idle_connections idle connections through a proxy (2 descriptors each); lowering the idle check" >&2
  idle_connections=$(( ($(ulimit -n) - 500) / 2 ))
fi
fd_budget=$(( $(ulimit -n) - 200 ))   # for nginx (counts client and upstream connections) and HAProxy (2 per connection)

rm -rf "$work"; mkdir -p "$work"/{logs,www,nginx-backend,nginx-proxy}
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== building (Release)"
if [ -n "${BENCH_ROUTER_BUILD:-}" ]; then
  cp -r "$BENCH_ROUTER_BUILD" "$work/router"
else
  dotnet publish "$root/Matrix.Router" -c Release -o "$work/router" --nologo -v q >/dev/null
fi
if [ -n "${BENCH_COMPARE_BUILD:-}" ]; then
  cp -r "$BENCH_COMPARE_BUILD" "$work/router-b"
else
  ln -s "$work/router" "$work/router-b"
fi
dotnet build "$here/RouteTableExport" -c Release -o "$work/export" --nologo -v q >/dev/null
dotnet build "$here/LongPollBackend" -c Release -o "$work/longpoll" --nologo -v q >/dev/null
dotnet "$work/export/RouteTableExport.dll" "$work/haproxy.map" "$work/nginx-locations.conf"

# The instances of the "full" layout (Matrix.Stack preset), one backend port each.
instances=(main synchrotron-1 synchrotron-2 initial-synchrotron-1 client-reader-1 client-reader-2 event-creator-1
  event-creator-2 federation-inbound-1 federation-inbound-2 federation-reader-1 media-repository-1 user-dir-1
  sso-login-1 typing-1 to-device-1 account-data-1 receipts-1 presence-1 push-rules-1 device-lists-1 sliding-sync-1)
pool_of() { [ "$1" = main ] && echo main || echo "${1%-*}"; }
declare -A port_of
ports=()
for i in "${!instances[@]}"; do port_of[${instances[$i]}]=$((backend_base + i)); ports+=($((backend_base + i))); done
pools=($(for name in "${instances[@]}"; do pool_of "$name"; done | awk '!seen[$0]++'))
servers_of() { for name in "${instances[@]}"; do if [ "$(pool_of "$name")" = "$1" ]; then echo "$name ${port_of[$name]}"; fi; done; }
# The catalog also routes to pools the "full" layout has not (MAS's, when MAS is on): those paths go to main, as the
# router sends a missing pool's routes to main, so HAProxy and nginx leave them to their default.
layout_pools=" ${pools[*]} "
awk -v have="$layout_pools" '/^#/ || index(have, " " $2 " ")' "$work/haproxy.map" > "$work/haproxy.map.layout"
mv "$work/haproxy.map.layout" "$work/haproxy.map"
grep -v '^#' "$work/nginx-locations.conf" | while read -r line; do
  upstream=$(sed -n 's/.*proxy_pass http:\/\/synapse_\([a-z_]*\);.*/\1/p' <<< "$line")
  if [[ "$layout_pools" == *" ${upstream//_/-} "* ]]; then echo "$line"; fi
done > "$work/nginx-locations.layout"
mv "$work/nginx-locations.layout" "$work/nginx-locations.conf"

# ---------------------------------------------------------------- backends: one nginx, a port per instance
head -c 16384 /dev/urandom > "$work/www/media.bin"
{
  echo "worker_processes 1; pid $work/nginx-backend/nginx.pid; error_log $work/logs/backend-error.log warn;"
  echo "worker_rlimit_nofile $(ulimit -n); events { worker_connections $fd_budget; }"
  echo "http { access_log off; keepalive_requests 1000000; keepalive_timeout 300s; client_max_body_size 200m;"
  echo "  client_body_temp_path $work/nginx-backend/body; proxy_temp_path $work/nginx-backend/proxy;"
  echo "  fastcgi_temp_path $work/nginx-backend/fastcgi; uwsgi_temp_path $work/nginx-backend/uwsgi; scgi_temp_path $work/nginx-backend/scgi;"
  # whoami names the user in mix.lua's tokens (syt_<user>_...), for the router's access-token-user balance; each
  # answer is logged so quick mode can count the router's lookups.
  echo "  map \$http_authorization \$whoami_user { default \"\"; \"~^Bearer syt_([^_]+)_\" \$1; }"
  for name in "${instances[@]}"; do
    echo "  server { listen 127.0.0.1:${port_of[$name]} backlog=4096;"
    echo "    add_header X-Backend-Instance $name always; add_header X-Backend-Pool $(pool_of "$name") always;"
    echo "    location ~ ^/_matrix/(media|client/v1/media)/ { root $work/www; default_type application/octet-stream; try_files /media.bin =404; }"
    echo "    location = /_matrix/client/v3/account/whoami { access_log $work/logs/whoami.log; default_type application/json;"
    echo "      if (\$whoami_user = \"\") { return 401 '{\"errcode\":\"M_UNKNOWN_TOKEN\"}'; }"
    echo "      return 200 '{\"user_id\":\"@\$whoami_user:example.org\",\"device_id\":\"BENCH\"}'; }"
    echo "    location / { default_type application/json; return 200 '{\"ok\":true}'; } }"
  done
  echo "}"
} > "$work/nginx-backend/nginx.conf"

# ---------------------------------------------------------------- HAProxy, in the style of Element's ess-helm chart
{
  cat <<EOF
global
  maxconn $(( fd_budget / 2 ))
  nbthread 1
defaults
  mode http
  timeout connect 5s
  timeout client 180s
  timeout server 180s
  timeout queue 5s
  option http-keep-alive
frontend synapse-http-in
  bind 127.0.0.1:$haproxy_port
  http-request set-header X-Forwarded-For %[src]
  http-request set-var(req.access_token) urlp("access_token") if { urlp("access_token") -m found }
  http-request set-var(req.access_token) req.fhdr(Authorization),word(2," ") if { hdr_beg("Authorization") -i "Bearer " }
  http-request set-header X-Access-Token %[var(req.access_token)]
  http-request set-var(req.backend) path,map_reg($work/haproxy.map,main)
  acl is_sync path -m reg ^/_matrix/client/(r0|v3)/sync\$
  acl is_events path -m reg ^/_matrix/client/(api/v1|r0|v3)/events\$
  use_backend synapse-initial-synchrotron if is_sync { urlp("full_state") -m str true }
  use_backend synapse-initial-synchrotron if is_sync !{ urlp("since") -m found }
  use_backend synapse-initial-synchrotron if is_events !{ urlp("from") -m found }
EOF
  for pool in "${pools[@]}"; do
    case "$pool" in main|media-repository|sso-login) continue ;; esac
    acl="${pool//-/_}_not_enough_capacity"
    echo "  acl $acl nbsrv(synapse-$pool) lt 1"
    echo "  use_backend synapse-main if $acl"
  done
  echo "  use_backend synapse-%[var(req.backend)]"
  for pool in "${pools[@]}"; do
    echo "backend synapse-$pool"
    echo "  option httpchk"
    echo "  http-check send meth GET uri /health"
    case "$pool" in
      event-creator)
        echo "  http-request set-header X-Matrix-Room %[path]"
        echo "  http-request replace-header X-Matrix-Room rooms/([^/]+) \\1"
        echo "  http-request replace-header X-Matrix-Room join/([^/]+) \\1"
        echo "  balance hdr(X-Matrix-Room)" ;;
      federation-inbound) echo "  balance source" ;;
      federation-reader) echo "  balance uri whole" ;;
      initial-synchrotron) echo "  balance hdr(X-Access-Token)"; echo "  default-server maxconn 50" ;;
      # The chart allows 2000 per synchrotron pod; raised so two stand-ins can hold the 10,000 idle long-polls.
      synchrotron) echo "  balance hdr(X-Access-Token)"; echo "  default-server maxconn 10000" ;;
    esac
    servers_of "$pool" | while read -r name port; do echo "  server $name 127.0.0.1:$port check"; done
  done
} > "$work/haproxy.cfg"

# ---------------------------------------------------------------- nginx, in the style of Synapse's worker docs
{
  echo "worker_processes 1; pid $work/nginx-proxy/nginx.pid; error_log $work/logs/proxy-error.log warn;"
  echo "worker_rlimit_nofile $(ulimit -n); events { worker_connections $fd_budget; }"
  echo "http { access_log off; keepalive_requests 1000000; keepalive_timeout 300s; client_max_body_size 100m;"
  echo "  client_body_temp_path $work/nginx-proxy/body; proxy_temp_path $work/nginx-proxy/proxy;"
  echo "  fastcgi_temp_path $work/nginx-proxy/fastcgi; uwsgi_temp_path $work/nginx-proxy/uwsgi; scgi_temp_path $work/nginx-proxy/scgi;"
  cat <<'EOF'
  map $arg_access_token $accesstoken_from_urlparam {
    default $arg_access_token;
    "~syt_(?<username>.*?)_.*" $username;
  }
  map $http_authorization $mxid_localpart {
    default $http_authorization;
    "~Bearer syt_(?<username>.*?)_.*" $username;
    "" $accesstoken_from_urlparam;
  }
  map $arg_since $sync {
    default synapse_synchrotron;
    "" synapse_initial_synchrotron;
  }
  map $uri $room_name {
    default $uri;
    "~^/_matrix/client/[^/]+/rooms/(?<room>[^/]+)/" $room;
    "~^/_matrix/client/[^/]+/join/(?<room>[^/]+)" $room;
  }
EOF
  for pool in "${pools[@]}"; do
    echo "  upstream synapse_${pool//-/_} {"
    case "$pool" in
      synchrotron|initial-synchrotron) echo "    hash \$mxid_localpart consistent;" ;;
      event-creator) echo "    hash \$room_name consistent;" ;;
      federation-inbound) echo "    ip_hash;" ;;
      federation-reader) echo "    hash \$request_uri consistent;" ;;
      *) echo "    least_conn;" ;;
    esac
    servers_of "$pool" | while read -r name port; do echo "    server 127.0.0.1:$port max_fails=0;"; done
    echo "    keepalive 256;"
    echo "  }"
  done
  echo "  server { listen 127.0.0.1:$nginx_port backlog=4096;"
  echo "    proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host \$host;"
  echo "    proxy_set_header X-Forwarded-For \$remote_addr; proxy_set_header X-Forwarded-Proto \$scheme; proxy_read_timeout 180s;"
  echo "    location ~ ^/_matrix/client/(r0|v3)/sync\$ { proxy_pass http://\$sync; }"
  grep -v '^#' "$work/nginx-locations.conf" | grep -v '/sync\$' | sed 's/^/    /'
  echo "    location / { proxy_pass http://synapse_main; } }"
  echo "}"
} > "$work/nginx-proxy/nginx.conf"

# ---------------------------------------------------------------- Matrix.Router: the same layout as settings
router_env=(Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production DOTNET_CLI_TELEMETRY_OPTOUT=1)
# BENCH_ROUTER_ENV="NAME=value ...": extra environment for the router only (runtime knobs to compare).
read -r -a extra_router_env <<< "${BENCH_ROUTER_ENV:-}"
router_env+=("${extra_router_env[@]}")
omit_pools=" ${BENCH_ROUTER_OMIT_POOLS:-} "
for pool in "${pools[@]}"; do
  [[ "$omit_pools" == *" $pool "* ]] && continue
  n=0
  while read -r name port; do router_env+=("Router__Pools__${pool}__$n=http://127.0.0.1:$port"); n=$((n + 1)); done < <(servers_of "$pool")
done

start_backend_nginx() {
  taskset -c "$load_cpu" nginx -c "$work/nginx-backend/nginx.conf" -g 'daemon off;' 2>>"$work/logs/backend.log" &
  backend_pid=$!; pids+=("$backend_pid")
}
start_proxies() {
  taskset -c "$proxy_cpu" env "${router_env[@]}" dotnet "$work/router/Matrix.Router.dll" --urls "http://127.0.0.1:$router_port" >"$work/logs/router.log" 2>&1 &
  router_pid=$!; pids+=("$router_pid")
  if [ -n "${BENCH_COMPARE_ENV:-}${BENCH_COMPARE_BUILD:-}" ]; then
    read -r -a compare_env <<< "${BENCH_COMPARE_ENV:-}"
    taskset -c "$proxy_cpu" env "${router_env[@]}" "${compare_env[@]}" dotnet "$work/router-b/Matrix.Router.dll" --urls "http://127.0.0.1:$router_b_port" >"$work/logs/router-b.log" 2>&1 &
    router_b_pid=$!; pids+=("$router_b_pid")
  fi
  taskset -c "$proxy_cpu" haproxy -db -f "$work/haproxy.cfg" >"$work/logs/haproxy.log" 2>&1 &
  haproxy_pid=$!; pids+=("$haproxy_pid")
  taskset -c "$proxy_cpu" nginx -c "$work/nginx-proxy/nginx.conf" -g 'daemon off;' >"$work/logs/nginx-proxy.log" 2>&1 &
  nginx_pid=$!; pids+=("$nginx_pid")
}
wait_port() { for _ in $(seq 1 300); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; exit 1; }
port_of_target() { case "$1" in direct) echo "${port_of[main]}" ;; router) echo $router_port ;; router-b) echo $router_b_port ;; haproxy) echo $haproxy_port ;; nginx) echo $nginx_port ;; esac; }
rss_kb() { local total=0; for pid in $(pgrep -P "$1" 2>/dev/null) "$1"; do total=$((total + $(ps -o rss= -p "$pid" 2>/dev/null || echo 0))); done; echo $total; }
cpu_ticks() { local total=0; for pid in $(pgrep -P "$1" 2>/dev/null) "$1"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done; echo $total; }
pid_of_target() { case "$1" in router) echo "$router_pid" ;; router-b) echo "$router_b_pid" ;; haproxy) echo "$haproxy_pid" ;; nginx) echo "$nginx_pid" ;; esac; }
json() { sed -n 's/^RESULT //p' | tail -n 1; }
field() { echo "$1" | tr -d '{}"' | tr ',' '\n' | sed -n "s/^$2://p"; }

start_backend_nginx
start_proxies
for target in "${proxies[@]}"; do wait_port "$(port_of_target "$target")"; done
for port in "${ports[@]}"; do wait_port "$port"; done
sleep 3   # first health checks

# ---------------------------------------------------------------- quick mode: the router's CPU time per request only
if [ "${BENCH_QUICK:-0}" = 1 ]; then
  echo "== quick: router only, $connections connections, ${duration}s per round (after ${warmup}s warm-up)"
  run_wrk_quick() { WRK_DELAY_MS="${BENCH_QUICK_DELAY_MS:-}" WRK_NEW_TOKENS="${BENCH_NEW_TOKENS:-}" taskset -c "$load_cpu" wrk -t1 -c"$connections" -d"${1}s" --timeout 30s -s "$here/mix.lua" "http://127.0.0.1:$router_port" 2>&1 >/dev/null | json; }
  whoami_count() { cat "$work/logs/whoami.log" 2>/dev/null | wc -l; }
  counters="$(command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters")"
  if [ "${BENCH_ALLOC:-0}" = 1 ] && [ ! -x "$counters" ]; then echo "missing: dotnet-counters (dotnet tool install -g dotnet-counters)" >&2; exit 1; fi
  # BENCH_ALLOC=1: one dotnet-counters session over the warm-up and all rounds. It writes its file in blocks and only
  # a session that ends by itself (--duration) writes the rest (background jobs ignore Ctrl-C; TERM loses it), so it
  # runs a little longer than the rounds; a round it did not fully cover prints no figure.
  seconds() { date +%s; }
  if [ "${BENCH_ALLOC:-0}" = 1 ]; then
    alloc_seconds=$((10 + warmup + ${BENCH_ROUNDS:-3} * (duration + 10) + 10))
    "$counters" collect -p "$router_pid" --counters 'System.Runtime[dotnet.gc.heap.total_allocated]' --refresh-interval 1 \
      --duration "$(printf '00:%02d:%02d:%02d' $((alloc_seconds / 3600)) $((alloc_seconds / 60 % 60)) $((alloc_seconds % 60)))" \
      --format csv -o "$work/alloc.csv" >/dev/null 2>&1 &
    alloc_pid=$!; pids+=("$alloc_pid")
    sleep 10
  fi
  alloc_per_request() { # from, to (epoch seconds), requests: the samples (each the bytes of the second before it) in (from, to]
    [ -f "$work/alloc.csv" ] || return 0
    awk -F, -v from="$1" -v to="$2" -v n="$3" '
      /total_allocated/ { split($1, dt, /[\/ :]/); t = mktime(dt[3] " " dt[1] " " dt[2] " " dt[4] " " dt[5] " " dt[6])
                          if (first == "") first = t; if (t > from && t <= to) sum += $NF }
      END { if (first != "" && first <= from && n > 0) printf " alloc_bytes_per_request=%.0f", sum / n }' "$work/alloc.csv"
  }
  run_wrk_quick "$warmup" >/dev/null
  rounds=()
  for round in $(seq 1 "${BENCH_ROUNDS:-3}"); do
    w0=$(whoami_count)
    t0=$(cpu_ticks "$router_pid")
    s0=$(seconds)
    result=$(run_wrk_quick "$duration")
    s1=$(seconds)
    t1=$(cpu_ticks "$router_pid")
    w1=$(whoami_count)
    us=$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v n="$(field "$result" requests)" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
    rounds+=("$s0 $((s1 + 1)) $(field "$result" requests)")
    echo "   round $round router: $result cpu_us_per_request=$us whoami=$((w1 - w0)) loadavg=$(cut -d' ' -f1 /proc/loadavg)"
  done
  if [ "${BENCH_ALLOC:-0}" = 1 ]; then
    wait "$alloc_pid" 2>/dev/null || true
    for round in $(seq 1 "${#rounds[@]}"); do
      # shellcheck disable=SC2086
      echo "   round $round allocations:$(alloc_per_request ${rounds[$((round - 1))]})"
    done
  fi
  echo "   load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

# ---------------------------------------------------------------- 1. agreement on the conformance rows
tsv="$root/../shared/conformance/worker-routes.tsv"
declare -A agree
if [ -f "$tsv" ]; then
  echo "== agreement with worker-routes.tsv"
  for target in "${proxies[@]}"; do
    ok=0 total=0
    while IFS=$'\t' read -r method target_path expected; do
      case "$method" in ''|\#*) continue ;; esac
      total=$((total + 1))
      body=(); [ "$method" = POST ] || [ "$method" = PUT ] && body=(--data-binary '{}' -H 'Content-Type: application/json')
      got=$(curl -s -o /dev/null -D - --path-as-is -X "$method" -H 'Authorization: Bearer syt_YWxpY2U_conformance_1' \
        "${body[@]}" "http://127.0.0.1:$(port_of_target $target)$target_path" 2>/dev/null \
        | tr -d '\r' | sed -n 's/^[Xx]-[Bb]ackend-[Pp]ool: //p' | head -n 1)
      [[ "|$expected|" == *"|$got|"* ]] && ok=$((ok + 1))
    done < "$tsv"
    agree[$target]="$ok/$total"
    echo "   $target: $ok of $total rows reach their pool"
  done
fi

run_wrk() { # target, connections, duration, [delay ms]
  local port; port=$(port_of_target "$1")
  WRK_DELAY_MS="${4:-}" taskset -c "$load_cpu" wrk -t1 -c"$2" -d"${3}s" --timeout 30s -s "$here/mix.lua" "http://127.0.0.1:$port" 2>&1 >/dev/null | json
}

# ---------------------------------------------------------------- 2. throughput
# Two rounds, interleaved, keeping each target's better one: other work on a shared machine comes and goes. The CPU
# time the proxy process spent per request is measured too; it is much less sensitive to that noise than requests/s.
declare -A max cpu
throughput_targets=(direct "${proxies[@]}")
throughput_rounds=2
if [ "${BENCH_THROUGHPUT_ONLY:-0}" = 1 ]; then
  throughput_targets=(direct "${proxies[@]/nginx}")
  throughput_rounds=${BENCH_ROUNDS:-2}
fi
echo "== throughput: $connections connections, ${duration}s each (after ${warmup}s warm-up), best of $throughput_rounds rounds"
for target in ${throughput_targets[@]}; do run_wrk "$target" "$connections" "$warmup" >/dev/null; done
for round in $(seq 1 "$throughput_rounds"); do
  declare -A round_cpu=()
  for target in ${throughput_targets[@]}; do
    pid=$([ "$target" = direct ] && echo "$backend_pid" || pid_of_target "$target")
    t0=$(cpu_ticks "$pid")
    result=$(run_wrk "$target" "$connections" "$duration")
    t1=$(cpu_ticks "$pid")
    us=$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v n="$(field "$result" requests)" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
    echo "   round $round $target: $result cpu_us_per_request=$us"
    if [ -z "${max[$target]:-}" ] || awk -v a="$(field "$result" rps)" -v b="$(field "${max[$target]}" rps)" 'BEGIN { exit !(a > b) }'; then
      max[$target]=$result
    fi
    if [ -z "${cpu[$target]:-}" ] || awk -v a="$us" -v b="${cpu[$target]}" 'BEGIN { exit !(a < b) }'; then
      cpu[$target]=$us
    fi
    round_cpu[$target]=$us
  done
  for target in "${proxies[@]}"; do
    [ "$target" = haproxy ] || [ "$target" = nginx ] && continue
    [ -n "${round_cpu[$target]:-}" ] && awk -v r="${round_cpu[$target]}" -v h="${round_cpu[haproxy]}" -v t="$target" -v n="$round" \
      'BEGIN { printf "   round %d: %s per core %.2fx HAProxy (%.1f against %.1f us a request)\n", n, t, h / r, r, h }'
  done
done
if [ "${BENCH_THROUGHPUT_ONLY:-0}" = 1 ]; then
  echo "   load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

# ---------------------------------------------------------------- 3. latency at half of Matrix.Router's maximum
router_rps=$(field "${max[router]}" rps); half=$(awk -v r="$router_rps" 'BEGIN { printf "%d", r / 2 }')
paced_connections=32
delay=$(awk -v c=$paced_connections -v h="$half" 'BEGIN { d = int(c * 1000 / h); if (d < 1) d = 1; print d }')
declare -A paced
echo "== latency at ~$half requests/s ($paced_connections connections, ${delay} ms between requests on each)"
for target in direct "${proxies[@]}"; do
  paced[$target]=$(run_wrk "$target" $paced_connections "$duration" "$delay")
  echo "   $target: ${paced[$target]}"
done

# ---------------------------------------------------------------- 4. idle long-polls and memory
echo "== $idle_connections idle /sync long-polls (backend holds each 90 s)"
kill "$backend_pid"; wait "$backend_pid" 2>/dev/null || true
taskset -c "$load_cpu" dotnet "$work/longpoll/LongPollBackend.dll" "${ports[@]}" >"$work/logs/longpoll.log" 2>&1 &
pids+=($!)
for port in "${ports[@]}"; do wait_port "$port"; done
sleep 6   # health checks see the new backend
declare -A idle
for target in "${proxies[@]}"; do
  pid=$(pid_of_target "$target"); port=$(port_of_target "$target")
  before=$(rss_kb "$pid")
  taskset -c "$load_cpu" wrk -t2 -c"$idle_connections" -d45s --timeout 120s -s "$here/idle-sync.lua" "http://127.0.0.1:$port" >/dev/null 2>&1 &
  wrk_pid=$!
  sleep 35
  held=$(ss -Htn state established "( sport = :$port )" | wc -l)
  upstream=$(ss -Htn state established "( sport >= :$backend_base and sport < :$((backend_base + 100)) )" | wc -l)
  during=$(rss_kb "$pid")
  wait "$wrk_pid" 2>/dev/null || true
  sleep 5
  after=$(rss_kb "$pid")
  idle[$target]="$before $during $after $held $upstream"
  echo "   $target: RSS ${before} KiB idle, ${during} KiB holding $held client / $upstream backend connections, ${after} KiB after"
done

# ---------------------------------------------------------------- results
elapsed=$(( $(date +%s) - started ))
{
  echo "## Run of $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "- Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
  echo "- Load average before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine shares these CPUs)"
  echo "- Versions: .NET $(dotnet --version), $(haproxy -v | head -n1 | cut -d' ' -f1-3), $(nginx -v 2>&1 | cut -d' ' -f3), wrk $(wrk -v 2>&1 | head -n1 | cut -d' ' -f2); commit $(git -C "$root" rev-parse --short HEAD)"
  echo "- Command: \`bench/router/run.sh\` (BENCH_DURATION=$duration, BENCH_WARMUP=$warmup, BENCH_CONNECTIONS=$connections${BENCH_ROUTER_ENV:+, BENCH_ROUTER_ENV=$BENCH_ROUTER_ENV}${BENCH_COMPARE_ENV:+, router-b: BENCH_COMPARE_ENV=$BENCH_COMPARE_ENV}${BENCH_COMPARE_BUILD:+, router-b built from $BENCH_COMPARE_BUILD}); proxies pinned to CPU $proxy_cpu, wrk and backends to CPU $load_cpu; took ${elapsed}s"
  echo
  if [ ${#agree[@]} -gt 0 ]; then
    echo "Route agreement with worker-routes.tsv: router ${agree[router]}${agree[router-b]:+, router-b ${agree[router-b]}}, HAProxy ${agree[haproxy]}, nginx ${agree[nginx]}."
    echo
  fi
  echo "| target | max requests/s | p50 ms | p99 ms | errors | CPU µs per request | at ~$half req/s: achieved | p50 ms | p99 ms | added p50 ms | added p99 ms |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  d50=$(field "${paced[direct]}" p50_ms); d99=$(field "${paced[direct]}" p99_ms)
  for target in direct "${proxies[@]}"; do
    m=${max[$target]} p=${paced[$target]}
    a50=$(awk -v a="$(field "$p" p50_ms)" -v b="$d50" 'BEGIN { printf "%.3f", a - b }')
    a99=$(awk -v a="$(field "$p" p99_ms)" -v b="$d99" 'BEGIN { printf "%.3f", a - b }')
    [ "$target" = direct ] && a50="-" && a99="-"
    echo "| $target | $(field "$m" rps) | $(field "$m" p50_ms) | $(field "$m" p99_ms) | $(field "$m" errors) | ${cpu[$target]} | $(field "$p" rps) | $(field "$p" p50_ms) | $(field "$p" p99_ms) | $a50 | $a99 |"
  done
  echo
  echo "| proxy | RSS idle KiB | RSS with idle long-polls KiB | client connections held | backend connections | RSS after KiB |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for target in "${proxies[@]}"; do
    read -r before during after held upstream <<< "${idle[$target]}"
    echo "| $target | $before | $during | $held | $upstream | $after |"
  done
} > "$work/results.md"
echo; cat "$work/results.md"
