// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cluster_policy.h"
#include "http1_request_parser.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::proxy {

/// What Envoy's hash policies read of a request besides its head.
struct HashInputs {
    const RequestHead& head;
    std::string_view sourceIp; ///< the downstream address (useSourceIp)
    /// The downstream connection's remote and local "ip:port": a generated cookie's value is a hash
    /// of them (Envoy), so the requests of one connection get the same cookie.
    std::string_view connection;
};

/// Envoy's route hash policy (HashPolicyImpl) for Istio's consistentHash keys: the hash a
/// consistent-hash balancer places the request by.
class RequestHasher {
public:
    /// nullopt when the request has nothing to hash: the header or query parameter is absent, or
    /// the cookie is absent and no ttl lets it be generated (the balancer then picks at random).
    /// A generated cookie is hashed like a received one and its Set-Cookie value (Envoy's
    /// `name="value"; Max-Age=ttl; Path=path; HttpOnly`) is written to `setCookie`.
    [[nodiscard]] static std::optional<std::uint64_t> hash(const HashPolicy& policy, const HashInputs& in,
                                                           std::string& setCookie);
    /// The value of cookie `name` (quotes removed), empty when absent (Envoy's parseCookieValue).
    [[nodiscard]] static std::string_view cookie(const RequestHead& head, std::string_view name);
    /// The first value of query parameter `name` in `target`, undecoded; nullopt when absent.
    [[nodiscard]] static std::optional<std::string_view> queryParameter(std::string_view target,
                                                                        std::string_view name);
};

} // namespace sluice::proxy
