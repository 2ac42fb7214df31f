// SPDX-License-Identifier: Apache-2.0
#pragma once

// The configs the HTTP/2 integration tests serve.

#include <string>

#include <QtGlobal>

namespace sluice::test {

/// Gateway port 80 for h2.test: replicas (web, a 5 MB download, a slow one, none), a redirect, a
/// gRPC fault abort, and `scriptedPort` (a ScriptedUpstream) behind /scripted.
inline std::string config(quint16 scriptedPort) {
    return R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["h2.test"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: h2}
spec:
  hosts: ["h2.test"]
  gateways: ["istio-system/gw"]
  http:
  - match: [{uri: {prefix: /scripted}}]
    route: [{destination: {host: scripted, port: {number: 80}}}]
  - match: [{uri: {prefix: /big}}]
    route: [{destination: {host: big, port: {number: 80}}}]
  - match: [{uri: {prefix: /slow}}]
    route: [{destination: {host: slow, port: {number: 80}}}]
  - match: [{uri: {prefix: /empty}}]
    route: [{destination: {host: empty, port: {number: 80}}}]
  - match: [{uri: {exact: /old}}]
    redirect: {uri: /new}
  - match: [{uri: {prefix: /abort}}]
    fault: {abort: {grpcStatus: RESOURCE_EXHAUSTED, percentage: {value: 100}}}
    route: [{destination: {host: web, port: {number: 80}}}]
  - match: [{uri: {prefix: /web}}]
    headers:
      request: {set: {x-route: web}}
      response: {add: {x-served-by: sluice}}
    route: [{destination: {host: web, port: {number: 80}}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: big}
spec: {selector: {app: big}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: slow}
spec: {selector: {app: slow}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec: {selector: {app: empty}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: scripted}
spec: {selector: {app: scripted}, ports: [{name: http, port: 80}]}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: web-v1}
spec:
  labels: {app: web}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: big-v1}
spec:
  labels: {app: big}
  responseBytes: 5000000
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: slow-v1}
spec:
  labels: {app: slow}
  latency: {fixed: 1500ms}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: scripted-v1}
spec:
  labels: {app: scripted}
  endpoint: 127.0.0.1:)" +
           std::to_string(scriptedPort) + "\n";
}

/// A gateway in front of `inner` (another Sluice proxy speaking h2c) through a gRPC port, and of
/// `probe` (a raw TCP listener) through an HTTP2 port.
inline std::string frontConfig(quint16 inner, quint16 probe) {
    return R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["front.test"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: front}
spec:
  hosts: ["front.test"]
  gateways: ["istio-system/gw"]
  http:
  - match: [{uri: {prefix: /probe}}]
    route: [{destination: {host: probe, port: {number: 8080}}}]
  - rewrite: {authority: h2.test}
    route: [{destination: {host: inner, port: {number: 9000}}}]
---
apiVersion: v1
kind: Service
metadata: {name: inner}
spec: {selector: {app: inner}, ports: [{name: grpc-inner, port: 9000}]}
---
apiVersion: v1
kind: Service
metadata: {name: probe}
spec: {selector: {app: probe}, ports: [{name: web, appProtocol: kubernetes.io/h2c, port: 8080}]}
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: inner-v1}
spec:
  labels: {app: inner}
  endpoint: 127.0.0.1:)" +
           std::to_string(inner) + R"(
---
apiVersion: sluice.dev/v1
kind: Workload
metadata: {name: probe-v1}
spec:
  labels: {app: probe}
  endpoint: 127.0.0.1:)" +
           std::to_string(probe) + "\n";
}

} // namespace sluice::test
