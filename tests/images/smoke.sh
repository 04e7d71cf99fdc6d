#!/usr/bin/env bash
# Starts each local test image (tests/images/build.sh) the way the AppHost starts its production counterpart
# (the same entrypoint, command, environment and files), with its ports published on 127.0.0.1 only, and checks that
# it really serves:
#   postgres  psql connects over TCP with the password (and not with a wrong one); the database POSTGRES_DB exists
#             with the encoding and locale the initdb arguments asked for.
#   redis     `/bin/sh -c "redis-server --requirepass $REDIS_PASSWORD"`, as Aspire runs it: PING answers PONG with
#             the password, NOAUTH without.
#   coturn    Matrix.Stack's launch script shape (secret-free config + secret file, as user 65534): a STUN binding
#             answers, and a TURN allocation with REST-API credentials from the shared secret relays data.
#   synapse   `generate` writes a config; Synapse (monolith, as UID 991) runs on it against the postgres container,
#             found by its alias on a podman network, password from PGPASSWORD; /_matrix/client/versions answers 200.
# Prints how long each took. Needs: podman, psql, redis-cli, turnutils_stunclient/turnutils_uclient (coturn), curl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$repo/.ci/containers.conf}"

PREFIX="localhost/matrix-test"
POSTGRES="$PREFIX/postgres:18" REDIS="$PREFIX/redis:8" COTURN="$PREFIX/coturn:4.6" SYNAPSE="$PREFIX/synapse:1.160"
# How long a server may take to come up before the check fails (a failure deadline, not a speed requirement).
DEADLINE=180

run_id="matrix-test-smoke-$$"
work=$(mktemp -d /tmp/matrix-test-smoke.XXXXXX)
containers=()
cleanup() {
  local c
  for c in "${containers[@]}"; do podman rm -f -t 2 "$c" >/dev/null 2>&1 || true; done
  podman network rm -f "$run_id" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
smoke_start=$(date +%s.%N)
pass() { printf 'PASS %-9s %s\n' "$1" "$2"; }
fail() { printf 'FAIL %-9s %s\n' "$1" "$2"; failures=$((failures + 1)); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
secret() { head -c 24 /dev/urandom | base64 | tr -d '/+='; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
# Runs "$@" until it succeeds or DEADLINE seconds pass.
until_ok() {
  local end=$(( $(date +%s) + DEADLINE ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.5
  done
}
start() { # $1 container name, rest: podman run arguments
  local name="$1"; shift
  containers+=("$name")
  podman run -d --name "$name" "$@" >/dev/null
}
logs() { echo "--- last log lines of $1:"; podman logs --tail 30 "$1" 2>&1 | sed 's/^/    /'; }

for image in "$POSTGRES" "$REDIS" "$COTURN" "$SYNAPSE"; do
  podman image exists "$image" || { echo "smoke.sh: $image is missing: run tests/images/build.sh" >&2; exit 1; }
done
podman network create "$run_id" >/dev/null

# --- PostgreSQL: the environment Matrix.AppHost/Data/SynapseDatabaseExtensions.cs gives (Aspire's plus ours).
pg_password=$(secret) pg_port=$(free_port) pg="$run_id-postgres"
t=$(now)
# Secrets reach the containers in 0600 files (--env-file), never on a command line.
env_file() { local f="$work/$1.env"; shift; (umask 077; printf '%s\n' "$@" > "$f"); echo "$f"; }
start "$pg" --network "$run_id" --network-alias postgres -p "127.0.0.1:$pg_port:5432" \
  -e POSTGRES_USER=synapse_user --env-file "$(env_file postgres "POSTGRES_PASSWORD=$pg_password")" -e POSTGRES_DB=synapse \
  -e POSTGRES_HOST_AUTH_METHOD=scram-sha-256 \
  -e POSTGRES_INITDB_ARGS="--auth-host=scram-sha-256 --auth-local=scram-sha-256 --encoding=UTF8 --locale=C" \
  "$POSTGRES"
pg_query() { PGPASSWORD="$1" psql "host=127.0.0.1 port=$pg_port user=synapse_user dbname=synapse connect_timeout=3" -tAc "$2"; }
if until_ok pg_query "$pg_password" "SELECT 1"; then
  ready=$(since "$t")
  got=$(pg_query "$pg_password" "SELECT pg_encoding_to_char(encoding) || ' ' || datcollate || ' ' || datctype FROM pg_database WHERE datname = 'synapse'")
  if [ "$got" = "UTF8 C C" ] && ! pg_query "wrong-$pg_password" "SELECT 1" >/dev/null 2>&1; then
    pass postgres "psql with the password on 127.0.0.1:$pg_port, database synapse is '$got', a wrong password is refused (ready after $ready, first start with initdb)"
  else
    fail postgres "database synapse is '$got' (want 'UTF8 C C'), or a wrong password was accepted"; logs "$pg"
  fi
else
  fail postgres "no psql connection within $DEADLINE s"; logs "$pg"
fi

# --- Redis: Aspire.Hosting.Redis 17.0.0 runs /bin/sh -c "redis-server --requirepass $REDIS_PASSWORD" (ShellExecution).
redis_password=$(secret) redis_port=$(free_port) redis="$run_id-redis"
t=$(now)
start "$redis" -p "127.0.0.1:$redis_port:6379" --env-file "$(env_file redis "REDIS_PASSWORD=$redis_password")" \
  --entrypoint /bin/sh "$REDIS" -c 'redis-server --requirepass $REDIS_PASSWORD'
redis_pong() { [ "$(REDISCLI_AUTH="$redis_password" redis-cli -h 127.0.0.1 -p "$redis_port" PING 2>/dev/null)" = PONG ]; }
if until_ok redis_pong; then
  ready=$(since "$t")
  unauthenticated=$(redis-cli -h 127.0.0.1 -p "$redis_port" PING 2>&1 || true)
  case "$unauthenticated" in
    *NOAUTH*) pass redis "PING with the password answers PONG, without it '$unauthenticated' (ready after $ready)" ;;
    *) fail redis "PING without the password answered '$unauthenticated'"; logs "$redis" ;;
  esac
else
  fail redis "no PONG within $DEADLINE s"; logs "$redis"
fi

# --- coturn: the files and launch script shape of Matrix.AppHost/Calls/CoturnExtensions.cs and Matrix.Stack's
# CoturnContainerCommand: a secret-free /etc/coturn/turnserver.conf and /run/secrets/matrix/turn_shared_secret,
# both owned by 65534 and readable by it only; the script appends the secret to a private copy and execs turnserver.
turn_secret=$(secret) turn_port=$(free_port) coturn="$run_id-coturn"
relay_min=49160 relay_max=49169
mkdir -p "$work/coturn" "$work/secrets"
cat > "$work/coturn/turnserver.conf" <<EOF
listening-port=3478
no-tls
no-dtls
min-port=$relay_min
max-port=$relay_max
use-auth-secret
realm=smoke.test
fingerprint
no-cli
log-file=stdout
EOF
printf '%s\n' "$turn_secret" > "$work/secrets/turn_shared_secret"
chown -R 65534:65534 "$work/coturn" "$work/secrets"
chmod 0400 "$work/coturn/turnserver.conf" "$work/secrets/turn_shared_secret"
launch='set -eu
umask 077
secret=$(cat /run/secrets/matrix/turn_shared_secret)
config=$(mktemp "${TMPDIR:-/tmp}/turnserver.conf.XXXXXX")
cat /etc/coturn/turnserver.conf > "$config"
printf '"'"'static-auth-secret=%s\n'"'"' "$secret" >> "$config"
unset secret
exec turnserver -c "$config" "$@"'
t=$(now)
start "$coturn" -p "127.0.0.1:$turn_port:3478/udp" -p "127.0.0.1:$turn_port:3478/tcp" \
  -v "$work/coturn:/etc/coturn:ro" -v "$work/secrets:/run/secrets/matrix:ro" \
  --entrypoint /bin/sh "$COTURN" -c "$launch"
# Each try is bounded: turnutils_stunclient waits forever for an answer to a request sent before coturn listened.
if until_ok sh -c "timeout 3 turnutils_stunclient -p $turn_port 127.0.0.1 | grep -q 'UDP reflexive addr'"; then
  ready=$(since "$t")
  # TURN REST API credentials (what Synapse's /voip/turnServer hands out): user "<expiry>:<name>", password
  # base64(HMAC-SHA1(secret, user)); turnutils_uclient -W derives them from the secret. Two clients allocate relays
  # and send each other messages through them (-y). turnutils_uclient takes the secret only as an argument: it is
  # this run's random test secret, gone with the container.
  user="$(( $(date +%s) + 3600 )):smoke"
  if out=$(timeout 60 turnutils_uclient -p "$turn_port" -W "$turn_secret" -u "$user" -y -n 3 -m 1 -X 127.0.0.1 2>&1) \
      && grep -q 'Total lost packets 0' <<<"$out" && ! grep -qi 'error\|cannot' <<<"$out"; then
    pass coturn "STUN binding answers on 127.0.0.1:$turn_port, TURN allocations with shared-secret credentials relay with 0 lost packets (ready after $ready)"
  else
    fail coturn "TURN allocation/relay failed: $(tail -n 5 <<<"$out" | tr '\n' ' ')"; logs "$coturn"
  fi
  if timeout 30 turnutils_uclient -p "$turn_port" -W "wrong-$turn_secret" -u "$user" -y -n 1 -m 1 -X 127.0.0.1 2>&1 | grep -q 'Total lost packets 0'; then
    fail coturn "an allocation with a wrong shared secret succeeded"
  fi
else
  fail coturn "no STUN binding answer within $DEADLINE s"; logs "$coturn"
fi

# --- Synapse: generate a config with the image, point it at the postgres container, run the monolith the way
# Matrix.AppHost/Synapse/SynapseResourceExtensions.cs does: /start.py run -m synapse.app.homeserver --config-path ...,
# UID/GID set, PGPASSWORD in the environment and no password in homeserver.yaml.
synapse_port=$(free_port) synapse="$run_id-synapse"
mkdir -p "$work/synapse"
t=$(now)
if podman run --rm -v "$work/synapse:/data" -e SYNAPSE_SERVER_NAME=smoke.test -e SYNAPSE_REPORT_STATS=no \
    "$SYNAPSE" generate > "$work/generate.log" 2>&1 && [ -s "$work/synapse/homeserver.yaml" ]; then
  generated=$(since "$t")
  python3 - "$work/synapse/homeserver.yaml" <<'EOF'
import sys, yaml
path = sys.argv[1]
config = yaml.safe_load(open(path))
config["database"] = {"name": "psycopg2", "args": {
    "user": "synapse_user", "database": "synapse", "host": "postgres", "port": 5432, "cp_min": 1, "cp_max": 5}}
yaml.safe_dump(config, open(path, "w"))
EOF
  t=$(now)
  start "$synapse" --network "$run_id" -p "127.0.0.1:$synapse_port:8008" -v "$work/synapse:/data" \
    -e UID=991 -e GID=991 --env-file "$(env_file synapse "PGPASSWORD=$pg_password")" \
    "$SYNAPSE" run -m synapse.app.homeserver --config-path /data/homeserver.yaml
  versions() { curl -fsS -o "$work/versions.json" -w '%{http_code}' "http://127.0.0.1:$synapse_port/_matrix/client/versions" | grep -qx 200; }
  if until_ok versions && grep -q '"versions"' "$work/versions.json"; then
    ready=$(since "$t")
    server=$(curl -fsS "http://127.0.0.1:$synapse_port/_matrix/federation/v1/version" 2>/dev/null || true)
    # Synapse's schema is in the postgres container's database: it used PostgreSQL, not a file of its own.
    tables=$(pg_query "$pg_password" "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'" || echo 0)
    if [ "$tables" -gt 50 ]; then
      pass synapse "generate took $generated; GET /_matrix/client/versions = 200 after $ready (first start, $tables tables created in PostgreSQL); $server"
    else
      fail synapse "Synapse answers but the synapse database holds $tables tables"; logs "$synapse"
    fi
  else
    fail synapse "/_matrix/client/versions did not answer 200 within $DEADLINE s"; logs "$synapse"
  fi
else
  fail synapse "generate wrote no homeserver.yaml"; sed 's/^/    /' "$work/generate.log" | tail -n 30
fi

if [ "$failures" -gt 0 ]; then
  echo "smoke: $failures check(s) failed"
  exit 1
fi
echo "smoke: every image serves ($(since "$smoke_start") in all)"
