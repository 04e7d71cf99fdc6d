#!/usr/bin/env bash
# How long Matrix.Router takes to follow a pool published by DNS: to list a member added to the name and to drop one
# removed, with a given Router:Dns:RefreshInterval. Usage: bench/router/dns-follow.sh [INTERVAL] [ROUNDS] (5s, 10)
#
# dnsmasq (TTL 0, nothing of /etc read, 127.0.0.1 on a free port) publishes pool.test; each round rewrites its hosts
# file, sends SIGHUP and polls the router's /_router/status every 50 ms until the pool's instance list changes. A
# random pause before each change puts it at a random point of the router's refresh period. No members listen: the
# instance list is what is measured, not health. Needs dnsmasq, curl, jq and a built router
# (dotnet build Matrix.Router -c Release), or BENCH_ROUTER_BUILD=DIR holding Matrix.Router.dll.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
interval="${1:-5s}" rounds="${2:-10}"
dll="${BENCH_ROUTER_BUILD:-$root/Matrix.Router/bin/Release/net10.0}/Matrix.Router.dll"
[ -f "$dll" ] || { echo "no $dll: dotnet build Matrix.Router -c Release" >&2; exit 1; }
work="$(mktemp -d /tmp/matrix-dns-follow-XXXXXX)"
chmod 755 "$work"   # dnsmasq drops root to nobody, who re-reads the hosts file on SIGHUP
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
dns_port="$(free_port)" router_port="$(free_port)"

publish() { printf '%s pool.test\n' "$@" > "$work/hosts.next"; chmod 644 "$work/hosts.next"; mv "$work/hosts.next" "$work/hosts"; }
publish 127.0.0.71 127.0.0.72
/usr/sbin/dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --no-poll --port="$dns_port" \
  --listen-address=127.0.0.1 --bind-interfaces --addn-hosts="$work/hosts" --local-ttl=0 --local=/pool.test/ \
  --pid-file="$work/dnsmasq.pid" --user=nobody --log-facility="$work/dnsmasq.log" &
dns=$!
Router__Pools__main__0=http://127.0.0.1:9 Router__Pools__synchrotron__0=http://pool.test:8083 \
  Router__Dns__NameServer="127.0.0.1:$dns_port" Router__Dns__RefreshInterval="$interval" \
  dotnet "$dll" --urls "http://127.0.0.1:$router_port" > "$work/router.log" 2>&1 &
router=$!
trap 'kill "$router" "$dns" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

members() {
  curl -sf "http://127.0.0.1:$router_port/_router/status" \
    | jq -r '[.pools[] | select(.pool == "synchrotron") | .instances[]] | length' 2>/dev/null || echo 0
}
wait_for() { until [ "$(members)" = "$1" ]; do sleep 0.05; done; }
now() { date +%s.%N; }

wait_for 2
echo "refresh interval $interval, $rounds rounds (seconds from SIGHUP to the router's status showing the change)"
for round in $(seq "$rounds"); do
  sleep "$(python3 -c "import random; print(round(random.uniform(0, 5), 2))")"
  start="$(now)"; publish 127.0.0.71 127.0.0.72 127.0.0.73; kill -HUP "$dns"; wait_for 3
  added="$(python3 -c "print(f'{$(now) - $start:.2f}')")"
  sleep "$(python3 -c "import random; print(round(random.uniform(0, 5), 2))")"
  start="$(now)"; publish 127.0.0.71 127.0.0.72; kill -HUP "$dns"; wait_for 2
  removed="$(python3 -c "print(f'{$(now) - $start:.2f}')")"
  echo "round $round: added $added s, removed $removed s"
done
