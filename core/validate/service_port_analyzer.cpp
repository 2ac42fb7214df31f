// SPDX-License-Identifier: Apache-2.0
// service.PortNameAnalyzer (istio/istio pkg/config/analysis/analyzers/service/portname.go), with the
// protocol selection of pkg/config/kube ConvertProtocol.

#include "analyzer_families.h"
#include "resource_reporter.h"

#include <array>

namespace sluice::validate {
namespace {

/// Namespaces Istio never analyses (inject.IgnoredNamespaces).
constexpr std::array<std::string_view, 4> kSystemNamespaces{"kube-system", "kube-public", "kube-node-lease",
                                                            "local-path-storage"};
/// Ports treated as TCP when the name says nothing (SMTP, DNS, MySQL, MongoDB): not sniffed.
constexpr std::array<std::int32_t, 4> kWellKnownPorts{25, 53, 3306, 27017};
/// protocol.Parse, case-insensitive.
constexpr std::array<std::string_view, 12> kProtocols{"tcp",  "udp",        "grpc",  "grpc-web",
                                                      "http", "http_proxy", "http2", "https",
                                                      "tls",  "mongo",      "redis", "mysql"};
/// gateway.istio.io/managed values of Services Istio generates for Gateway API gateways.
constexpr std::array<std::string_view, 3> kManagedControllers{
    "istio.io-gateway-controller", "istio.io-mesh-controller", "istio.io-eastwest-controller"};

template <std::size_t N> bool contains(const std::array<std::string_view, N>& set, std::string_view value) {
    for (const auto v : set)
        if (v == value)
            return true;
    return false;
}

/// kube.ConvertProtocol(...).IsUnsupported(): the port's protocol will be sniffed.
bool protocolUnsupported(const model::ServicePort& port) {
    if (port.protocol.value == "UDP")
        return false;
    std::string name = port.appProtocol.present ? port.appProtocol.value : port.name.value;
    if (port.appProtocol.present &&
        (name == "kubernetes.io/h2c" || name == "kubernetes.io/ws" || name == "kubernetes.io/wss"))
        return false;
    if (lower(name).starts_with("grpc-web"))
        return false;
    if (const auto dash = name.find('-'); dash != std::string::npos)
        name.resize(dash);
    if (contains(kProtocols, lower(name)))
        return false;
    for (const auto p : kWellKnownPorts)
        if (port.port.value == p)
            return false;
    return true;
}

std::string targetPortText(const model::ServicePort& port) {
    const auto& t = port.targetPort.value;
    if (!port.targetPort.present)
        return "0";
    return t.isInt ? std::to_string(t.number) : t.name;
}

} // namespace

void analyzeServicePorts(const AnalyzerIndex& index, model::Diagnostics& out) {
    for (const auto& svc : index.resources().services) {
        const auto& labels = svc.header.metadata.labels;
        if (contains(kSystemNamespaces, svc.header.ns()))
            continue;
        // util.IsIstioControlPlane: an `istio` label or release=istio.
        if (labels.contains("istio"))
            continue;
        if (const auto it = labels.find("release"); it != labels.end() && it->second.value == "istio")
            continue;
        if (const auto it = labels.find("gateway.istio.io/managed");
            it != labels.end() && contains(kManagedControllers, it->second.value))
            continue;
        const bool externalName = svc.spec.type.value == "ExternalName";
        ResourceReporter report(out, svc);
        for (std::size_t i = 0; i < svc.spec.ports.size(); ++i) {
            const auto& port = svc.spec.ports[i];
            if (!protocolUnsupported(port) && !(port.name.value == "tcp" && externalName))
                continue;
            const std::string field = "spec.ports[" + std::to_string(i) + "].port";
            if (externalName)
                report.report(
                    "IST0150", model::Level::Warning, field, port.port.span,
                    "Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and "
                    "unmatched traffic for ports serving TCP protocol from being forwarded correctly");
            else
                report.report("IST0118", model::Level::Info, field, port.port.span,
                              "Port name " + port.name.value + " (port: " + std::to_string(port.port.value) +
                                  ", targetPort: " + targetPortText(port) +
                                  ") doesn't follow the naming convention of Istio port.");
        }
    }
}

} // namespace sluice::validate
