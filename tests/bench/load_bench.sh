#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The load generator's benchmark rows (issue 6), with wrk measured in the same run:
#  1. closed loop, one core: `sluice load` and `wrk -t1` against nginx's static "ok" page, 50
#     connections each, interleaved repetitions; requests/s (median) and the ratio to wrk
#     (goal >= 1.0);
#  2. open loop at 20,000 requests/s: the achieved rate next to the target (goal within 1 %),
#     with p50/p99 from the intended send times.
# The generators run alone on LOADGEN_CPU (default 0), nginx on SERVER_CPU (default 1).
# Usage: load_bench.sh SLUICE_BINARY [SECONDS] [REPS]
set -eu
SLUICE=$(realpath "$1"); SECS=${2:-10}; REPS=${3:-3}
LOADGEN_CPU=${LOADGEN_CPU:-0}; SERVER_CPU=${SERVER_CPU:-1}; PORT=${PORT:-18180}; CONNS=${CONNS:-50}
RATE=${RATE:-20000}
for b in nginx wrk taskset python3 curl; do command -v $b >/dev/null || { echo "missing $b" >&2; exit 1; }; done
WORK=$(mktemp -d /tmp/sluice-loadbench.XXXXXX)
if ss -Hltn "sport = :$PORT" | grep -q .; then echo "port $PORT already in use" >&2; exit 1; fi
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $WORK/nginx.pid; error_log $WORK/error.log warn;
worker_rlimit_nofile 16384;
events { worker_connections 8192; }
http {
  access_log off; keepalive_requests 10000000; keepalive_timeout 300s; default_type text/plain;
  client_body_temp_path $WORK/cb; proxy_temp_path $WORK/pt; fastcgi_temp_path $WORK/ft;
  uwsgi_temp_path $WORK/ut; scgi_temp_path $WORK/st;
  server { listen 127.0.0.1:$PORT; location / { return 200 "ok\n"; } }
}
CONF
taskset -c "$SERVER_CPU" nginx -c "$WORK/nginx.conf" -p "$WORK" & NGINX=$!
cleanup() { kill "$NGINX" 2>/dev/null; wait "$NGINX" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
URL=http://127.0.0.1:$PORT/
for _ in $(seq 50); do curl -s -o /dev/null "$URL" && break; sleep 0.1; done

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }

echo "# load generator vs wrk: nginx 'ok' page, closed loop, $CONNS connections, one core each" \
     "(generator cpu$LOADGEN_CPU, nginx cpu$SERVER_CPU), ${SECS}s x $REPS reps"
for r in $(seq "$REPS"); do
  taskset -c "$LOADGEN_CPU" wrk -t1 -c "$CONNS" -d "${SECS}s" --latency "$URL" > "$WORK/wrk.$r.txt" 2>&1
  taskset -c "$LOADGEN_CPU" "$SLUICE" load -q -c "$CONNS" --workers 1 -d "${SECS}s" -o json "$URL" \
    > "$WORK/sluice.$r.json" 2> "$WORK/sluice.$r.err"
  printf '.' >&2
done
echo >&2
WRK_RPS=$(for r in $(seq "$REPS"); do awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.$r.txt"; done | median)
SLUICE_RPS=$(for r in $(seq "$REPS"); do json "$WORK/sluice.$r.json" "d['totals']['rate']"; done | median)
SLUICE_P50=$(for r in $(seq "$REPS"); do json "$WORK/sluice.$r.json" "d['latency_ms']['p50']"; done | median)
SLUICE_P99=$(for r in $(seq "$REPS"); do json "$WORK/sluice.$r.json" "d['latency_ms']['p99']"; done | median)
SLUICE_ERR=$(for r in $(seq "$REPS"); do json "$WORK/sluice.$r.json" "d['totals']['errors']"; done | median)
WRK_P50=$(for r in $(seq "$REPS"); do awk '$1=="50%" {print $2}' "$WORK/wrk.$r.txt"; done | head -1)
WRK_P99=$(for r in $(seq "$REPS"); do awk '$1=="99%" {print $2}' "$WORK/wrk.$r.txt"; done | head -1)
printf '%-14s %12s %10s %10s\n' generator "requests/s" p50 p99
printf '%-14s %12.0f %10s %10s\n' wrk "$WRK_RPS" "$WRK_P50" "$WRK_P99"
printf '%-14s %12.0f %8.3fms %8.3fms  (errors %s)\n' "sluice load" "$SLUICE_RPS" "$SLUICE_P50" "$SLUICE_P99" "$SLUICE_ERR"
python3 -c "print('sluice load / wrk: %.3f (goal >= 1.0)' % ($SLUICE_RPS / $WRK_RPS))"

echo; echo "# open loop at $RATE requests/s for ${SECS}s (constant arrivals, $CONNS connections, one core)"
taskset -c "$LOADGEN_CPU" "$SLUICE" load -q -c "$CONNS" --workers 1 --rate "$RATE" -d "${SECS}s" -o json "$URL" \
  > "$WORK/open.json" 2> "$WORK/open.err"
json "$WORK/open.json" "'target %.0f/s  achieved %.1f/s  (%.3f %% off; goal within 1 %%)  requests %d  errors %d  p50 %.3f ms  p99 %.3f ms' % (d['totals']['target_rate'], d['totals']['rate'], abs(d['totals']['rate'] - d['totals']['target_rate']) * 100 / d['totals']['target_rate'], d['totals']['requests'], d['totals']['errors'], d['latency_ms']['p50'], d['latency_ms']['p99'])"
