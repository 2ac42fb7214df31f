#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# System calls per proxied request (HTTP/1.1 keep-alive, wrk -c50 on cpu0, the proxy and an nginx
# backend on cpu1, as proxybench.sh pins them), counted by perf's syscall tracepoints on the
# proxy's worker, for Sluice and HAProxy in the same run. A failed recv (EAGAIN) is a read tried
# before the bytes were there; HAProxy makes none. Prints "skipped" where perf cannot trace.
# Usage: proxy_syscalls.sh SLUICE_BINARY SHARED_DIR [SECONDS]
set -eu
SLUICE=$(realpath "$1"); SHARED=$(realpath "$2"); SECS=${3:-5}
WORK=$(mktemp -d /tmp/sluice-syscalls.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
if ! command -v perf > /dev/null || ! perf stat -e syscalls:sys_enter_recvfrom true > /dev/null 2>&1; then
  echo "skipped: perf's syscall tracepoints are not available here (linux-perf, root or perf_event_paranoid)"
  exit 0
fi
. "$(dirname "$0")/backend_conf.sh"
write_backend_conf "$WORK"
cat > "$WORK/haproxy.cfg" <<CONF
global
  nbthread 1
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend put
  bind 127.0.0.1:18090
  default_backend backend
backend backend
  server s1 127.0.0.1:18080
CONF

calls="recvfrom recvmsg read sendto sendmsg writev write epoll_wait epoll_ctl timerfd_settime"
measure() { # NAME CMD...
  local name=$1; shift
  taskset -c 1 nginx -c "$WORK/backend.conf" -p "$WORK" & local backend=$!
  taskset -c 1 "$@" > "$WORK/put.log" 2>&1 & local put=$!
  for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:18090/ && break; sleep 0.2; done
  taskset -c 0 wrk -t1 -c50 -d1s http://127.0.0.1:18090/ > /dev/null
  # The thread that serves: Sluice's worker (named), HAProxy's only thread.
  local tid; tid=$(ps -L -o tid=,comm= -p $put | awk '$2 == "sluice-worker" {print $1; exit}')
  [ -n "$tid" ] || tid=$(ps -L -o tid=,pcpu= -p $put | sort -k2 -nr | awk 'NR==1 {print $1}')
  local events=()
  for c in $calls; do events+=(-e "syscalls:sys_enter_$c"); done
  perf stat -t "$tid" "${events[@]}" -e syscalls:sys_exit_recvfrom --filter 'ret < 0' \
    -e syscalls:sys_exit_read --filter 'ret < 0' -e syscalls:sys_exit_recvmsg --filter 'ret < 0' \
    -o "$WORK/perf.txt" &
  local perf=$!
  local rps; rps=$(taskset -c 0 wrk -t1 -c50 -d"${SECS}"s http://127.0.0.1:18090/ | awk '/^Requests\/sec/ {print $2}')
  kill -INT $perf; wait $perf 2>/dev/null || true
  kill $put $backend; wait $put $backend 2>/dev/null || true
  awk -v name="$name" -v n="$(awk -v r="$rps" -v s="$SECS" 'BEGIN {print r * s}')" '
    $2 ~ /^syscalls:/ { gsub(",", "", $1); split($2, p, ":"); sub("sys_", "", p[2]);
                        per[p[2]] = $1 / n; if ($1 > 0) order[++k] = p[2] }
    END { line = ""; failed = 0
          for (i = 1; i <= k; ++i) { c = order[i]
            if (c ~ /^exit_/) { failed += per[c]; continue }
            sub("enter_", "", c); line = line sprintf(" %s %.2f", c, per[order[i]]) }
          printf "%-8s per request:%s; failed reads %.2f\n", name, line, failed }' "$WORK/perf.txt"
}
measure sluice "$SLUICE" serve --workers 1 "$SHARED/bench/sluice-bench.yaml"
measure haproxy haproxy -db -f "$WORK/haproxy.cfg"
