// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/resource_set.h"
#include "serving_config.h"

#include <set>
#include <string>
#include <string_view>

namespace sluice::proxy {

/// Which protocol the gateway speaks to an upstream cluster, as Istio's cluster builder decides
/// it: HTTP/2 when the Service port's protocol is HTTP2, GRPC or GRPC-Web (IsHTTP2), else
/// HTTP/1.1. The port protocol comes from kube.ConvertProtocol: appProtocol when set
/// (kubernetes.io/h2c is HTTP2), else the port name's prefix before '-' ("grpc-web" whole); a
/// ServiceEntry port says it in `protocol`.
class UpstreamProtocol {
public:
    /// Istio's protocol.Instance.IsHTTP2() for a Service port.
    [[nodiscard]] static bool servicePortIsHttp2(std::string_view name, std::string_view appProtocol,
                                                 bool hasAppProtocol);
    /// protocol.Parse(protocol).IsHTTP2() for a ServiceEntry port.
    [[nodiscard]] static bool protocolIsHttp2(std::string_view protocol);
    /// The clusters of `clusters` ("outbound|port|subset|fqdn") whose Service port is HTTP/2.
    [[nodiscard]] static std::set<std::string, std::less<>> http2Clusters(const model::ResourceSet& resources,
                                                                          const ClusterEndpoints& clusters);
};

} // namespace sluice::proxy
