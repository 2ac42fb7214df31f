// SPDX-License-Identifier: Apache-2.0
#include "upstream_protocol.h"

#include <algorithm>
#include <cctype>

namespace sluice::proxy {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

bool UpstreamProtocol::protocolIsHttp2(std::string_view protocol) {
    const std::string p = lower(protocol);
    return p == "http2" || p == "grpc" || p == "grpc-web";
}

bool UpstreamProtocol::servicePortIsHttp2(std::string_view name, std::string_view appProtocol,
                                          bool hasAppProtocol) {
    std::string_view chosen = name;
    if (hasAppProtocol) {
        if (appProtocol == "kubernetes.io/h2c")
            return true;
        if (appProtocol == "kubernetes.io/ws" || appProtocol == "kubernetes.io/wss")
            return false;
        chosen = appProtocol;
    }
    if (lower(chosen.substr(0, 8)) == "grpc-web")
        return true;
    return protocolIsHttp2(chosen.substr(0, chosen.find('-')));
}

std::set<std::string, std::less<>> UpstreamProtocol::http2Clusters(const model::ResourceSet& resources,
                                                                   const ClusterEndpoints& clusters) {
    // "fqdn|port" of every HTTP/2 service port.
    std::set<std::string, std::less<>> ports;
    for (const auto& service : resources.services) {
        const std::string fqdn = service.header.metadata.name.value + "." +
                                 service.header.metadata.namespace_.value + ".svc.cluster.local";
        for (const auto& port : service.spec.ports)
            if (port.port.present &&
                servicePortIsHttp2(port.name.value, port.appProtocol.value, port.appProtocol.present))
                ports.insert(fqdn + "|" + std::to_string(port.port.value));
    }
    for (const auto& entry : resources.serviceEntries)
        for (const auto& port : entry.spec.ports)
            if (port.number.present && protocolIsHttp2(port.protocol.value))
                for (const auto& host : entry.spec.hosts)
                    ports.insert(host.value + "|" + std::to_string(port.number.value));

    std::set<std::string, std::less<>> out;
    for (const auto& [name, endpoints] : clusters) {
        // outbound|<port>|<subset>|<fqdn>
        const std::string_view n = name;
        const auto first = n.find('|');
        const auto second = first == std::string_view::npos ? first : n.find('|', first + 1);
        const auto third = second == std::string_view::npos ? second : n.find('|', second + 1);
        if (third == std::string_view::npos)
            continue;
        const std::string key =
            std::string(n.substr(third + 1)) + "|" + std::string(n.substr(first + 1, second - first - 1));
        if (ports.contains(key))
            out.insert(name);
    }
    return out;
}

} // namespace sluice::proxy
