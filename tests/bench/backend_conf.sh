# SPDX-License-Identifier: Apache-2.0
# Sourced by the proxy bench scripts: writes DIR/backend.conf, the nginx the proxies under test
# forward to (127.0.0.1:18080, a 3-byte answer, keep-alive without a request limit), as
# ../shared/bench/proxybench.sh's backend answers.
write_backend_conf() { # DIR
  cat > "$1/backend.conf" <<CONF
worker_processes 1; daemon off; pid $1/backend.pid; error_log $1/backend.err;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 10000000;
       server { listen 127.0.0.1:18080; location / { return 200 "ok\n"; } } }
CONF
}

# Writes FILE: nginx as a reverse proxy to that backend, with WORKERS worker processes listening on
# 127.0.0.1:PORT and upstream keep-alive, as proxybench.sh's nginx row runs.
write_nginx_proxy_conf() { # FILE WORKERS PORT
  local base=${1%.conf}
  cat > "$1" <<CONF
worker_processes $2; daemon off; pid $base.pid; error_log $base.err;
events { worker_connections 8192; }
http { access_log off; keepalive_requests 10000000; keepalive_timeout 300s;
  upstream be { server 127.0.0.1:18080; keepalive 128; keepalive_requests 10000000; }
  server { listen 127.0.0.1:$3; location / { proxy_pass http://be; proxy_http_version 1.1;
                                               proxy_set_header Connection ""; } } }
CONF
}
