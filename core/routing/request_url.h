// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::routing {

/// The parts of an http(s) URL a routing request needs.
struct RequestUrl {
    bool https = false;
    std::string authority;             ///< host[:port] as written, sent as the Host header
    std::optional<std::uint32_t> port; ///< the explicit port, if any
    std::string target = "/";          ///< path and query
};

/// Parses `http://host[:port]/path?query` (or https://, or no scheme). nullopt with `error` set
/// for other schemes, a missing host or a bad port. Brackets keep IPv6 literals intact.
[[nodiscard]] std::optional<RequestUrl> parseRequestUrl(std::string_view text, std::string& error);

} // namespace sluice::routing
