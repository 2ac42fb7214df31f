// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sluice::model {

/// The ingress gateway deployment that Gateways select: its pod labels, namespace and the ports
/// its Service exposes. Offline there is no cluster, so Sluice assumes Istio's default install
/// (istioctl analyze --use-kube=false does the same, pkg/config/analysis/local/defaults.go).
struct GatewayWorkload {
    struct ServicePort {
        std::uint32_t port = 0;
        std::uint32_t targetPort = 0;
        std::string name;
    };

    std::string name = "istio-ingressgateway";
    std::string ns = "istio-system";
    std::map<std::string, std::string> labels{{"app", "istio-ingressgateway"}, {"istio", "ingressgateway"}};
    std::vector<ServicePort> servicePorts{
        {80, 80, "http2"}, {443, 443, "https"}, {31400, 31400, "tcp"}, {15443, 15443, "tls"}};

    /// Istio's default offline ingress gateway.
    [[nodiscard]] static GatewayWorkload defaultIngress() { return {}; }
};

} // namespace sluice::model
