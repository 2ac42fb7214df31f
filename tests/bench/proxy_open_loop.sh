#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Added latency at ~1,000 requests/s with independent arrivals: `sluice load --rate 1000
# --arrivals poisson` over 16 connections (open loop: a request's latency counts from when it was
# due), against the nginx backend directly and through nginx, HAProxy, sluice-bench-relay (copies
# bytes, nothing else) and `sluice serve` on the 10-rule config; pinned as proxybench.sh pins
# (client on cpu0, proxy and backend on cpu1), targets interleaved. proxybench.sh's -L rows pace 16
# wrk connections 16 ms apart each, and those connections fall into step: requests arrive in
# bursts, each queued behind the others' work, so the rows there measure a burst's length as much
# as a proxy. Poisson arrivals are what a gateway sees from many independent clients.
# Usage: proxy_open_loop.sh SLUICE_BINARY SHARED_DIR [SECONDS] [REPS]
set -eu
SLUICE=$(realpath "$1"); SHARED=$(realpath "$2"); SECS=${3:-10}; REPS=${4:-3}
RELAY="$(dirname "$SLUICE")/sluice-bench-relay"
WORK=$(mktemp -d /tmp/sluice-openloop.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
. "$(dirname "$0")/backend_conf.sh"
write_backend_conf "$WORK"
write_nginx_proxy_conf "$WORK/nginx-proxy.conf" 1 18081
cat > "$WORK/haproxy.cfg" <<CONF
global
  nbthread 1
defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 300s
  timeout server 300s
frontend fe
  bind 127.0.0.1:18082
  default_backend be
backend be
  server s1 127.0.0.1:18080
CONF

start() { # PORT CMD...: starts CMD on cpu1 and waits until PORT answers
  local port=$1; shift
  taskset -c 1 "$@" > "$WORK/$port.log" 2>&1 & PIDS+=($!)
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && return; sleep 0.1; done
  echo "nothing answers on $port: $*" >&2; exit 1
}
start 18080 nginx -c "$WORK/backend.conf" -p "$WORK"
start 18081 nginx -c "$WORK/nginx-proxy.conf" -p "$WORK"
start 18082 haproxy -db -f "$WORK/haproxy.cfg"
start 18083 "$RELAY" 18083 18080
start 18090 "$SLUICE" serve --workers 1 "$SHARED/bench/sluice-bench.yaml"

declare -A PORT=([direct]=18080 [nginx]=18081 [haproxy]=18082 [relay]=18083 [sluice]=18090)
TARGETS=(direct nginx haproxy relay sluice)
for r in $(seq "$REPS"); do
  for t in "${TARGETS[@]}"; do
    url="http://127.0.0.1:${PORT[$t]}/"
    taskset -c 0 "$SLUICE" load -q --rate 1000 --arrivals poisson -c 16 -d 1s "$url" > /dev/null
    taskset -c 0 "$SLUICE" load -q --rate 1000 --arrivals poisson -c 16 -d "${SECS}s" -o json "$url" \
      > "$WORK/$t.$r.json"
  done
done

python3 - "$WORK" "$REPS" "${TARGETS[@]}" <<'PY'
import json, statistics, sys
work, reps, targets = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def run(t, r):
    d = json.load(open(f"{work}/{t}.{r}.json"))
    lat = d["latency_ms"]
    return lat["p50"] * 1000, lat["p99"] * 1000, d["totals"]["errors"]
rows = {t: [run(t, r) for r in range(1, reps + 1)] for t in targets}
med = {t: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v), sum(x[2] for x in v))
       for t, v in rows.items()}
print(f"{'target':10s} {'p50_us':>8s} {'p99_us':>8s} {'added p50':>10s} {'added p99':>10s} {'errors':>7s}")
d50, d99, _ = med["direct"]
for t in targets:
    p50, p99, err = med[t]
    added = ("", "") if t == "direct" else (f"{p50 - d50:+.0f}", f"{p99 - d99:+.0f}")
    print(f"{t:10s} {p50:8.0f} {p99:8.0f} {added[0]:>10s} {added[1]:>10s} {err:7d}")
print(f"# medians of {reps} interleaved runs; sluice load --rate 1000 --arrivals poisson -c 16, open loop")
PY
