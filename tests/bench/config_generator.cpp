// SPDX-License-Identifier: Apache-2.0
#include "config_generator.h"

namespace sluice::bench {
namespace {

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

// One app; APP and NS are substituted.
constexpr const char* kApp = R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: APP-gateway
  namespace: NS
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "APP.NS.example.com"
  - port:
      number: 443
      name: https
      protocol: HTTPS
    hosts:
    - "APP.NS.example.com"
    tls:
      mode: SIMPLE
      credentialName: APP-NS-cert
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: APP
  namespace: NS
  labels:
    app: APP
    team: NS
spec:
  hosts:
  - "APP.NS.example.com"
  gateways:
  - APP-gateway
  http:
  - name: testers
    match:
    - headers:
        end-user:
          exact: jason
    fault:
      delay:
        percentage:
          value: 10
        fixedDelay: 2s
    route:
    - destination:
        host: APP
        subset: v3
        port:
          number: 8080
  - name: api
    match:
    - uri:
        prefix: /api/v1/
      method:
        exact: GET
    - uri:
        regex: "/api/v[2-9]/items/[0-9]+"
    timeout: 5s
    retries:
      attempts: 3
      perTryTimeout: 1s
      retryOn: 5xx,connect-failure
    route:
    - destination:
        host: APP
        subset: v1
        port:
          number: 8080
  - name: static
    match:
    - uri:
        prefix: /static/
    headers:
      response:
        set:
          cache-control: max-age=3600
    route:
    - destination:
        host: APP
        subset: v1
        port:
          number: 8080
  - name: default
    route:
    - destination:
        host: APP
        subset: v1
        port:
          number: 8080
      weight: 90
    - destination:
        host: APP
        subset: v2
        port:
          number: 8080
      weight: 10
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: APP
  namespace: NS
spec:
  host: APP
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 100
      http:
        http1MaxPendingRequests: 64
        maxRequestsPerConnection: 10
    outlierDetection:
      consecutive5xxErrors: 5
      interval: 10s
      baseEjectionTime: 30s
    loadBalancer:
      simple: LEAST_REQUEST
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
  - name: v3
    labels:
      version: v3
    trafficPolicy:
      loadBalancer:
        simple: ROUND_ROBIN
---
apiVersion: v1
kind: Service
metadata:
  name: APP
  namespace: NS
  labels:
    app: APP
spec:
  selector:
    app: APP
  ports:
  - name: http
    port: 8080
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: APP-v1
  namespace: NS
  labels:
    app: APP
    version: v1
spec:
  replicas: 2
  selector:
    matchLabels:
      app: APP
      version: v1
  template:
    metadata:
      labels:
        app: APP
        version: v1
    spec:
      containers:
      - name: APP
        image: registry.example.com/NS/APP:1.0.0
        ports:
        - containerPort: 8080
)";

} // namespace

std::vector<GeneratedFile> generateConfig(std::size_t apps, std::size_t appsPerNamespace) {
    std::vector<GeneratedFile> files;
    for (std::size_t i = 0; i < apps; ++i) {
        const std::size_t nsIndex = i / appsPerNamespace;
        const std::string ns = "team-" + std::to_string(nsIndex);
        if (files.size() <= nsIndex)
            files.push_back({"generated/" + ns + ".yaml", {}});
        std::string doc = kApp;
        replaceAll(doc, "APP", "app-" + std::to_string(i % appsPerNamespace));
        replaceAll(doc, "NS", ns);
        std::string& text = files.back().text;
        if (!text.empty())
            text += "---\n";
        text += doc;
    }
    return files;
}

std::string sharedGatewayConfig(std::size_t virtualServices) {
    std::string yaml = R"(apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*.example.com"]
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["*.example.com"]
    tls: {mode: SIMPLE, credentialName: wildcard-cert}
)";
    for (std::size_t i = 0; i < virtualServices; ++i) {
        const std::string app = "app-" + std::to_string(i);
        yaml += "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: " + app +
                ", namespace: shop}\nspec:\n  hosts: [" + app +
                ".example.com]\n  gateways: [istio-system/public]\n  http:\n"
                "  - match: [{uri: {prefix: /api/}}]\n    route: [{destination: {host: " +
                app +
                ", subset: v1}}]\n"
                "  - match: [{headers: {end-user: {exact: jason}}}]\n    route: [{destination: {host: " +
                app +
                ", subset: v2}}]\n"
                "  - match: [{uri: {exact: /health}}]\n    route: [{destination: {host: " +
                app +
                ", subset: v1}}]\n"
                "  - route:\n    - {destination: {host: " +
                app +
                ", subset: v1}, weight: 90}\n"
                "    - {destination: {host: " +
                app + ", subset: v2}, weight: 10}\n";
        yaml +=
            "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: " + app +
            ", namespace: shop}\nspec:\n  host: " + app +
            "\n  subsets:\n  - {name: v1, labels: {version: v1}}\n  - {name: v2, labels: {version: v2}}\n";
        yaml += "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + app +
                ", namespace: shop}\nspec:\n  selector: {app: " + app +
                "}\n  ports: [{name: http, port: 8080}]\n";
        for (const char* v : {"v1", "v2"})
            yaml += "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + app + "-" + v +
                    ", namespace: shop}\nspec:\n  selector: {matchLabels: {app: " + app + ", version: " + v +
                    "}}\n  template:\n    metadata: {labels: {app: " + app + ", version: " + v + "}}\n";
    }
    return yaml;
}

} // namespace sluice::bench
