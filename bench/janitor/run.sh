#!/usr/bin/env bash
# Media janitor benchmark: a generated Synapse media store (>= 20,000 files of mixed sizes) offloaded to s3rver on
# loopback by (1) parallel PUTs only (the server's ingest ceiling), (2) a sequential one-file-at-a-time
# upload-verify-delete loop (what s3_media_upload does, plus a read-back check), (3) Matrix.MediaJanitor --once.
# Every phase gets a fresh hard-linked copy of the same store and its own bucket. Prints a markdown table.
#
# Needs: .NET 10 SDK, PostgreSQL 15 (/usr/lib/postgresql/15/bin), Node.js + s3rver 3.7.1 (MATRIX_TEST_S3RVER, or
# .tools/node_modules/.bin/s3rver, installed with npm when missing), GNU time (/usr/bin/time) for peak memory.
# Usage: bench/janitor/run.sh [files]        (default 20000; BENCH_WORK=/path to keep the work folder elsewhere)
# BENCH_PHASES picks phases (default: ingest plain baseline readback metadata); prestored-readback and
# prestored-metadata run the janitor on a store whose every file is already in its bucket (as Synapse's storage
# provider with store_remote/store_synchronous leaves it; the bucket is filled first with plain PUTs, unmeasured).
# BENCH_JANITOR_BUILD=/dir runs a prebuilt Matrix.MediaJanitor.dll from /dir (before/after comparisons).
# BENCH_COUNT_BYTES=1 puts the bench's relay (no added latency) in front of s3rver to count the bytes each phase
# sends to and receives from S3 (BENCH_LATENCY_MS counts them too).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"
files="${1:-20000}"
work="${BENCH_WORK:-$(mktemp -d /tmp/janitor-bench.XXXXXX)}"
mkdir -p "$work"
pg_bin=/usr/lib/postgresql/15/bin

s3rver="${MATRIX_TEST_S3RVER:-$repo/.tools/node_modules/.bin/s3rver}"
if [ ! -x "$s3rver" ]; then
  npm install --silent --no-audit --no-fund --prefix "$repo/.tools" s3rver@3.7.1 >/dev/null
  s3rver="$repo/.tools/node_modules/.bin/s3rver"
fi
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed for peak memory: apt-get install time" >&2; exit 1; }

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  [ -n "${s3_pid:-}" ] && kill "$s3_pid" 2>/dev/null || true
  [ -n "${proxy_pid:-}" ] && kill "$proxy_pid" 2>/dev/null || true
  [ -d "$work/pg" ] && as_pg "$pg_bin/pg_ctl" stop -D "$work/pg/data" -m immediate >/dev/null 2>&1 || true
  [ -z "${BENCH_KEEP:-}" ] && rm -rf "$work"
}
trap cleanup EXIT

echo "building (Release)..." >&2
if [ -n "${BENCH_JANITOR_BUILD:-}" ]; then
  mkdir -p "$work/janitor" && cp -a "$BENCH_JANITOR_BUILD"/. "$work/janitor/"
else
  dotnet build Matrix.MediaJanitor -c Release -o "$work/janitor" >/dev/null
fi
dotnet build bench/janitor/JanitorBench -c Release -o "$work/bench" >/dev/null
bench() { dotnet "$work/bench/JanitorBench.dll" "$@"; }
free_port() { bench free-port; }

# As root, PostgreSQL runs as postgres, which must be able to reach its folder inside the (mode 700) work folder.
mkdir -p "$work/pg" && [ "$(id -u)" = 0 ] && chmod 755 "$work" && chown postgres: "$work/pg"
as_pg "$pg_bin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null
pg_port=$(free_port)
as_pg "$pg_bin/pg_ctl" start -D "$work/pg/data" -w -l "$work/pg/log" \
  -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" >/dev/null
pg="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=synapse"
psql_exec() { "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -qAtc "$2"; }
psql_exec postgres "CREATE DATABASE synapse TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"

s3_port=$(free_port)
mkdir -p "$work/s3"
NODE_OPTIONS=--openssl-legacy-provider "$s3rver" -d "$work/s3" -a 127.0.0.1 -p "$s3_port" --silent &
s3_pid=$!
endpoint="http://127.0.0.1:$s3_port"
for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$s3_port) 2>/dev/null && break; sleep 0.1; done
direct_s3args=(--endpoint "$endpoint" --access-key S3RVER --secret-key S3RVER)
# BENCH_LATENCY_MS=N: put N ms of one-way latency (each direction, bandwidth kept) between every client and s3rver,
# as a remote MinIO or AWS would add. Off by default. BENCH_COUNT_BYTES=1: the same relay with no delay, counting.
counts=""
if [ -n "${BENCH_LATENCY_MS:-}" ] || [ -n "${BENCH_COUNT_BYTES:-}" ]; then
  proxy_port=$(free_port)
  counts="$work/relay-counts"
  dotnet "$work/bench/JanitorBench.dll" latency-proxy --listen-port "$proxy_port" --target-port "$s3_port" --delay-ms "${BENCH_LATENCY_MS:-0}" --counts-file "$counts" >/dev/null &
  proxy_pid=$!
  for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$proxy_port) 2>/dev/null && break; sleep 0.1; done
  endpoint="http://127.0.0.1:$proxy_port"
fi
s3args=(--endpoint "$endpoint" --access-key S3RVER --secret-key S3RVER)

echo "generating $files files..." >&2
dataset=$(bench generate --db "$pg" --media "$work/master" --files "$files")
echo "$dataset" >&2
total_files=$(sed -E 's/.*files=([0-9]+).*/\1/' <<<"$dataset")
total_bytes=$(sed -E 's/.*bytes=([0-9]+).*/\1/' <<<"$dataset")

fresh_copy() { rm -rf "$work/run"; cp -al "$work/master" "$work/run"; }

results=()
# CPU seconds s3rver has used so far (utime + stime from /proc): shows whether the server was the bottleneck.
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$s3_pid/stat"; }
# Bytes the relay passed so far, "SENT RECEIVED" (0 0 without a relay).
relay_bytes() { if [ -n "$counts" ] && [ -f "$counts" ]; then sed -E 's/sent=([0-9]+) received=([0-9]+)/\1 \2/' "$counts"; else echo "0 0"; fi; }
# measure NAME COMMAND...: wall time and peak RSS of the process (GNU time), server CPU, files left locally.
measure() {
  local name="$1"; shift
  local log="$work/phase-${#results[@]}"
  local cpu_before; cpu_before=$(server_cpu)
  local sent_before received_before; read -r sent_before received_before < <(relay_bytes)
  # Exit code 1 (the janitor finished but kept files it could not verify) is a result, not a bench failure.
  local code=0
  /usr/bin/time -f "TIME %e %M %U %S" -o "$log.time" "$@" >"$log.out" 2>&1 || code=$?
  if [ "$code" != 0 ] && [ "$code" != 1 ]; then echo "$name failed ($code):" >&2; tail -20 "$log.out" >&2; exit 1; fi
  grep -E "FAILED|failed" "$log.out" | head -5 >&2 || true
  local cpu_after; cpu_after=$(server_cpu)
  [ -n "$counts" ] && sleep 0.3 # the relay rewrites its counts every 100 ms
  local sent_after received_after; read -r sent_after received_after < <(relay_bytes)
  local sent=$((sent_after - sent_before)) received=$((received_after - received_before))
  read -r _ seconds kb user sys < "$log.time"
  local left; left=$(find "$work/run" -type f | wc -l)
  local server; server=$(awk -v a="$cpu_after" -v b="$cpu_before" 'BEGIN {printf "%.1f", a - b}')
  local client; client=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", u + s}')
  results+=("$name|$seconds|$kb|$left|$server|$client|$sent|$received")
  echo "$name: ${seconds}s, peak ${kb} KiB, s3rver CPU ${server}s, client CPU ${client}s, $left files left locally, $sent bytes sent, $received received" >&2
}

# janitor_env BUCKET STATE_SCHEMA PARALLELISM VERIFICATION: the janitor's configuration, through the environment.
janitor_env() {
  echo env Janitor__Database__ConnectionString="$pg" Janitor__MediaStore__Path="$work/run" Janitor__S3__Bucket="$1" \
      Janitor__S3__ServiceUrl="$endpoint" Janitor__S3__ForcePathStyle=true Janitor__S3__AccessKeyId=S3RVER \
      Janitor__S3__SecretAccessKey=S3RVER Janitor__Offload__MinimumAge=7d Janitor__Database__StateSchema="$2" \
      Janitor__Offload__Parallelism="$3" Janitor__Offload__Verification="$4" Janitor__ProgressInterval=30s
}

for bucket in ingest baseline-plain baseline janitor-readback janitor-metadata prestored; do
  bench create-bucket --bucket "$bucket" "${s3args[@]}" >/dev/null
done

phases="${BENCH_PHASES:-ingest plain baseline readback metadata}"
want() { [[ " $phases " == *" $1 "* ]]; }
parallelism="${BENCH_PARALLELISM:-8}"

want ingest && { fresh_copy; measure "ingest (parallel PUT only, 16 at a time)" dotnet "$work/bench/JanitorBench.dll" ingest --media "$work/run" --bucket ingest --parallel 16 "${s3args[@]}"; }
# Ingest deletes nothing: the files left are the whole store, as expected.
want plain && { fresh_copy; measure "sequential like s3_media_upload (HEAD, PUT, delete; no verification)" dotnet "$work/bench/JanitorBench.dll" baseline --verify none --media "$work/run" --bucket baseline-plain "${s3args[@]}"; }
want baseline && { fresh_copy; measure "sequential baseline (PUT, read-back SHA-256 verify, delete)" dotnet "$work/bench/JanitorBench.dll" baseline --verify readback --media "$work/run" --bucket baseline "${s3args[@]}"; }
for p in $parallelism; do
  want readback && { fresh_copy; measure "janitor --once ($p parallel, read-back verify)" $(janitor_env janitor-readback "bench_readback_$p" "$p" ReadBack) dotnet "$work/janitor/Matrix.MediaJanitor.dll" --once; }
  want metadata && { fresh_copy; measure "janitor --once ($p parallel, metadata verify)" $(janitor_env janitor-metadata "bench_metadata_$p" "$p" Metadata) dotnet "$work/janitor/Matrix.MediaJanitor.dll" --once; }
done

# A store already copied to S3: fill the bucket once, straight to s3rver (not measured, not counted).
if want prestored-readback || want prestored-metadata; then
  echo "copying the store to bucket prestored..." >&2
  bench ingest --media "$work/master" --bucket prestored --parallel 16 "${direct_s3args[@]}" >&2
fi
for p in $parallelism; do
  want prestored-readback && { fresh_copy; measure "janitor --once on a store already in S3 ($p parallel, read-back verify)" $(janitor_env prestored "bench_prestored_readback_$p" "$p" ReadBack) dotnet "$work/janitor/Matrix.MediaJanitor.dll" --once; }
  want prestored-metadata && { fresh_copy; measure "janitor --once on a store already in S3 ($p parallel, metadata verify)" $(janitor_env prestored "bench_prestored_metadata_$p" "$p" Metadata) dotnet "$work/janitor/Matrix.MediaJanitor.dll" --once; }
done

cpu=$(lscpu | sed -nE 's/^Model name:\s+//p' | head -1)
cores=$(nproc)
mem=$(free -g | awk '/^Mem:/ {print $2}')
echo
echo "Machine: $cpu, $cores cores, ${mem} GiB RAM; $(uname -sr); .NET $(dotnet --version); s3rver 3.7.1 (Node $(node --version)) and PostgreSQL 15 on loopback."
echo "Dataset: $total_files files, $(awk "BEGIN {printf \"%.2f\", $total_bytes/1048576/1024}") GiB ($dataset)."
echo "Command: ${BENCH_LATENCY_MS:+BENCH_LATENCY_MS=$BENCH_LATENCY_MS }${BENCH_COUNT_BYTES:+BENCH_COUNT_BYTES=$BENCH_COUNT_BYTES }${BENCH_JANITOR_BUILD:+BENCH_JANITOR_BUILD=$BENCH_JANITOR_BUILD }${BENCH_PHASES:+BENCH_PHASES=\"$BENCH_PHASES\" }bench/janitor/run.sh $files"
[ -n "${BENCH_LATENCY_MS:-}" ] && echo "Latency: ${BENCH_LATENCY_MS} ms each way between client and s3rver (bench latency proxy)."
echo
if [ -n "$counts" ]; then
  echo "| run | seconds | files/s | MB/s | peak RSS (MiB) | client CPU s | s3rver CPU s (busy %) | files left locally | MB sent to S3 | MB received from S3 |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
else
  echo "| run | seconds | files/s | MB/s | peak RSS (MiB) | client CPU s | s3rver CPU s (busy %) | files left locally |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
fi
for r in "${results[@]}"; do
  IFS='|' read -r name seconds kb left server client sent received <<<"$r"
  awk -v n="$name" -v s="$seconds" -v kb="$kb" -v f="$total_files" -v b="$total_bytes" -v l="$left" -v c="$server" -v u="$client" \
      -v tx="$sent" -v rx="$received" -v counted="$counts" \
    'BEGIN {printf "| %s | %.1f | %.0f | %.1f | %.0f | %.1f | %.1f (%.0f%%) | %d |", n, s, f/s, b/1e6/s, kb/1024, u, c, 100*c/s, l;
            if (counted != "") printf " %.1f | %.1f |", tx/1e6, rx/1e6; printf "\n"}'
done
