// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where a URL target is: its host resolved to an address, and whether anything answers there,
// so `sluice load URL` can say "connection refused" at once instead of counting a run of errors.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::traffic {

struct ResolvedTarget {
    std::string address; ///< numeric IPv4 or IPv6
    std::uint16_t port = 0;
};

/// The host and port of `authority` ("example.com:8080", "[::1]:80", "example.com" with
/// `defaultPort`): an IP address as is, a name resolved (IPv4 first). `error` says why not.
[[nodiscard]] std::optional<ResolvedTarget> resolveAuthority(std::string_view authority,
                                                             std::uint16_t defaultPort, std::string& error);

/// The host of an authority without its port or brackets ("[::1]:80" -> "::1").
[[nodiscard]] std::string authorityHost(std::string_view authority);

/// Opens (and closes) one TCP connection to `target` within `timeout`. Empty when it connected,
/// else why ("connection refused", "no answer within 3 s", ...).
[[nodiscard]] std::string probeTarget(const ResolvedTarget& target, std::chrono::milliseconds timeout);

} // namespace sluice::traffic
