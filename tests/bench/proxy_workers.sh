#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Throughput with 1 and with 2 workers, Sluice beside nginx as a proxy, nothing pinned: on this
# 2-core machine the load generator and the backend share the cores with the proxy, so this shows
# what a second worker adds when a core is free part of the time (the gain nginx's second worker
# process makes is the yardstick), not scaling on a machine with cores to spare.
# Usage: proxy_workers.sh SLUICE_BINARY SHARED_DIR [SECONDS] [REPS]
set -eu
SLUICE=$(realpath "$1"); SHARED=$(realpath "$2"); SECS=${3:-5}; REPS=${4:-2}
WORK=$(mktemp -d /tmp/sluice-workers.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
. "$(dirname "$0")/backend_conf.sh"
write_backend_conf "$WORK"
for n in 1 2; do write_nginx_proxy_conf "$WORK/nginx-$n.conf" $n 18090; done

rate() { # CMD...: requests/s through the proxy the command starts on :18090
  "$@" > "$WORK/put.log" 2>&1 & local put=$!
  for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:18090/ && break; sleep 0.2; done
  wrk -t2 -c100 -d1s http://127.0.0.1:18090/ > /dev/null
  wrk -t2 -c100 -d"${SECS}"s http://127.0.0.1:18090/ | awk '/^Requests\/sec/ {print $2}'
  kill $put; wait $put 2>/dev/null || true
}

nginx -c "$WORK/backend.conf" -p "$WORK" & BACKEND=$!
declare -A sum
for _ in $(seq "$REPS"); do # interleaved, as proxybench.sh runs its targets
  for n in 1 2; do
    r=$(rate "$SLUICE" serve --workers $n "$SHARED/bench/sluice-bench.yaml")
    sum[sluice$n]=$(awk -v a="${sum[sluice$n]:-0}" -v b="$r" 'BEGIN {print a + b}')
    r=$(rate nginx -c "$WORK/nginx-$n.conf" -p "$WORK")
    sum[nginx$n]=$(awk -v a="${sum[nginx$n]:-0}" -v b="$r" 'BEGIN {print a + b}')
  done
done
kill $BACKEND; wait $BACKEND 2>/dev/null || true
for t in sluice nginx; do
  awk -v t=$t -v one="${sum[${t}1]}" -v two="${sum[${t}2]}" -v n="$REPS" \
    'BEGIN {printf "%-7s 1 worker %8.0f rps   2 workers %8.0f rps   x%.2f\n", t, one / n, two / n, two / one}'
done
