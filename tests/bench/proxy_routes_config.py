#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Prints a Sluice config for proxybench with N HTTP routes, where the benchmark's request ("/")
only matches the last one: N-1 prefix rules for other paths, then a catch-all. The Gateway listens
on 18090 and the Workload forwards to proxybench's backend on 18080, like sluice-bench.yaml."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
print("""apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: bench-gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 18090, name: http, protocol: HTTP}
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: routes, namespace: default}
spec:
  hosts: ["*"]
  gateways: ["istio-system/bench-gw"]
  http:""")
for i in range(n - 1):
    print(f"  - match: [{{uri: {{prefix: /api/v1/service-{i}/}}}}]")
    print("    route: [{destination: {host: backend}}]")
print("""  - route: [{destination: {host: backend}}]
---
apiVersion: v1
kind: Service
metadata: {name: backend, namespace: default}
spec:
  selector: {app: backend}
  ports: [{name: http, port: 80, targetPort: 18080}]
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: backend, namespace: default}
spec:
  labels: {app: backend}
  endpoint: 127.0.0.1:18080""")
