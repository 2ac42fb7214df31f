#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The proxy's benchmark rows (issue 5), each with nginx and HAProxy measured in the same run by
# ../shared/bench/proxybench.sh: HTTP/1.1 saturation on the 10-rule config, added latency at
# ~1,000 rps (wrk's paced connections, then Poisson arrivals from `sluice load`), TLS HTTP/1.1
# and h2 over TLS (Sluice terminating), 1 route vs 1,000 routes (hitting the last), what a second
# worker adds (beside nginx's second worker process), system calls per request (beside HAProxy),
# and resident memory with 1,000 routes.
# Usage: proxy_bench.sh SLUICE_BINARY SHARED_DIR [SECONDS] [REPS]
set -eu
SLUICE=$(realpath "$1"); SHARED=$(realpath "$2"); SECS=${3:-10}; REPS=${4:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/sluice-proxybench.XXXXXX)
PB="bash $SHARED/bench/proxybench.sh -d $SECS -r $REPS"
python3 "$HERE/proxy_routes_config.py" 1 > "$WORK/routes-1.yaml"
python3 "$HERE/proxy_routes_config.py" 1000 > "$WORK/routes-1000.yaml"
serve() { echo "$SLUICE serve --workers 1 $1"; }

echo "## HTTP/1.1 keep-alive, 10-rule config (sluice-bench.yaml), metrics on, access log off"
$PB -c "$(serve "$SHARED/bench/sluice-bench.yaml")"
echo; echo "## Added latency at ~1,000 rps (-L)"
# The floor under these rows: at ~1,000 rps the proxy's CPU idles between requests, and waking it
# costs what this machine charges (a virtual machine's vCPU far more than bare metal).
# sluice-bench-relay shows what even a proxy that only copies bytes adds here. The -L rows run
# twice as long as the others: a p99 needs its samples.
BENCH_BIN=$(dirname "$SLUICE")
if [ -x "$BENCH_BIN/sluice-bench-wake" ]; then
  "$BENCH_BIN/sluice-bench-wake" --writer-cpu 0 --reader-cpu 1; "$BENCH_BIN/sluice-bench-wake" --writer-cpu 1 --reader-cpu 1
else echo "(no sluice-bench-wake: this machine's wake-up latency not measured)"; fi
PBL="bash $SHARED/bench/proxybench.sh -L -d $((SECS * 2)) -r $REPS"
# What each proxy adds: its p50 and p99 minus the direct row's of the same run (the goal's terms).
added() { awk -v put="$1" '$1 == "direct" { p50 = $3; p99 = $4 }
  $1 ~ /^(nginx|haproxy|put)$/ { row[$1] = $3 - p50 " / +" $4 - p99 }
  END { printf "added (p50 / p99 us, minus direct): %s +%s   nginx +%s   haproxy +%s\n", put, row["put"], row["nginx"], row["haproxy"] }'; }
if [ -x "$BENCH_BIN/sluice-bench-relay" ]; then
  echo "### put = sluice-bench-relay (copies bytes, nothing else)"
  $PBL -c "$BENCH_BIN/sluice-bench-relay {PORT} {BACKEND_PORT}" | tee "$WORK/relay-L.txt"
  added relay < "$WORK/relay-L.txt"
else echo "(no sluice-bench-relay: the floor row not measured)"; fi
echo "### put = sluice serve"
$PBL -c "$(serve "$SHARED/bench/sluice-bench.yaml")" | tee "$WORK/sluice-L.txt"
added sluice < "$WORK/sluice-L.txt"
echo; echo "## Added latency at ~1,000 rps, independent (Poisson) arrivals: sluice load, open loop"
bash "$HERE/proxy_open_loop.sh" "$SLUICE" "$SHARED" "$SECS" "$REPS"
echo; echo "## TLS HTTP/1.1 keep-alive, Sluice terminating (SIMPLE, certificate files), plain HTTP upstream"
python3 "$HERE/tls_bench_config.py" "$SHARED/bench/sluice-bench.yaml" "$WORK/pb-tls/cert.pem" "$WORK/pb-tls/key.pem" \
  > "$WORK/tls.yaml"
$PB -t -o "$WORK/pb-tls" -c "$(serve "$WORK/tls.yaml")"
echo; echo "## HTTP/2 over TLS (h2load, ALPN h2), plain HTTP/1.1 upstream"
python3 "$HERE/tls_bench_config.py" "$SHARED/bench/sluice-bench.yaml" "$WORK/pb-h2/cert.pem" "$WORK/pb-h2/key.pem" \
  > "$WORK/h2.yaml"
$PB -H -o "$WORK/pb-h2" -c "$(serve "$WORK/h2.yaml")"
echo; echo "## 1 route"
$PB -c "$(serve "$WORK/routes-1.yaml")"
echo; echo "## 1,000 routes, the request matching only the last"
$PB -c "$(serve "$WORK/routes-1000.yaml")"

echo; echo "## A second worker, beside nginx's second worker process (nothing pinned; see proxy_workers.sh)"
bash "$HERE/proxy_workers.sh" "$SLUICE" "$SHARED" "$SECS" 2

echo; echo "## System calls per proxied request (HTTP/1.1, the 10-rule config; HAProxy alongside)"
bash "$HERE/proxy_syscalls.sh" "$SLUICE" "$SHARED" 5

echo; echo "## Resident memory with 1,000 routes after 5 s of load"
. "$HERE/backend_conf.sh"
write_backend_conf "$WORK"
nginx -c "$WORK/backend.conf" -p "$WORK" & NGINX=$!
$SLUICE serve --workers 1 "$WORK/routes-1000.yaml" > "$WORK/serve.log" 2>&1 & PUT=$!
for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:18090/ && break; sleep 0.2; done
wrk -t1 -c50 -d5s http://127.0.0.1:18090/ > /dev/null
echo "sluice serve RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$PUT/status)"
kill $PUT $NGINX; wait $PUT $NGINX 2>/dev/null || true
rm -rf "$WORK"
