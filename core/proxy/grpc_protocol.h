// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::proxy {

/// What the gateway needs to know about gRPC (Envoy's Grpc::Common and Grpc::Utility): which
/// requests are gRPC, the grpc-status of the answers it makes itself, and the grpc-timeout header.
class GrpcProtocol {
public:
    /// Envoy's isGrpcRequestHeaders: content-type "application/grpc", alone or followed by "+..."
    /// (application/grpc+proto) or ";..." parameters. Case-sensitive, as Envoy compares it.
    [[nodiscard]] static bool isGrpcContentType(std::string_view contentType);

    /// Envoy's Grpc::Utility::httpToGrpcStatus, gRPC's http-grpc-status-mapping: 400 INTERNAL (13),
    /// 401 UNAUTHENTICATED (16), 403 PERMISSION_DENIED (7), 404 UNIMPLEMENTED (12), 429/502/503/504
    /// UNAVAILABLE (14), anything else UNKNOWN (2).
    [[nodiscard]] static int httpToGrpcStatus(int httpStatus);

    /// The code of a gRPC status name as Istio's fault abort `grpcStatus` accepts it ("UNAVAILABLE"
    /// -> 14); nullopt for a name gRPC does not define.
    [[nodiscard]] static std::optional<int> statusFromName(std::string_view name);

    /// Envoy's Grpc::Common::getGrpcTimeout: TimeoutValue (at most 8 digits) and a unit H M S m u n;
    /// micro- and nanoseconds round up to whole milliseconds. nullopt when absent or malformed.
    [[nodiscard]] static std::optional<std::chrono::milliseconds> parseTimeout(std::string_view value);

    /// Envoy's Grpc::Common::toGrpcTimeout: milliseconds while they fit 8 digits, else seconds,
    /// minutes, hours (clipped at 99999999H).
    [[nodiscard]] static std::string formatTimeout(std::chrono::milliseconds timeout);

    /// The timeout a gRPC request runs under on a route converted by Istio, which sets Envoy's
    /// max_grpc_timeout to the route timeout (0 when the VirtualService sets none): the grpc-timeout
    /// header's value (none: unlimited) capped by a non-zero route timeout. Zero means no timeout.
    [[nodiscard]] static std::chrono::milliseconds
    effectiveTimeout(std::chrono::milliseconds routeTimeout, std::optional<std::chrono::milliseconds> header);

    /// grpc-message as gRPC's wire format wants it: bytes outside printable ASCII, and '%', as %XX.
    [[nodiscard]] static std::string percentEncode(std::string_view message);
};

} // namespace sluice::proxy
