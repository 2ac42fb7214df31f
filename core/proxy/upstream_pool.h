// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include "serving_config.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

namespace sluice::proxy {

/// Idle keep-alive connections to upstream endpoints, per worker (never shared across threads).
class UpstreamPool {
public:
    static constexpr std::size_t kMaxIdlePerEndpoint = 64;

    /// An idle connection to `endpoint` that the upstream has not closed meanwhile, if any.
    std::optional<boost::asio::ip::tcp::socket> take(const Endpoint& endpoint);
    /// Keeps a connection whose last response ended cleanly for the next request to `endpoint`.
    void giveBack(const Endpoint& endpoint, boost::asio::ip::tcp::socket socket);
    void clear() { m_idle.clear(); }

private:
    const std::string& key(const Endpoint& endpoint);

    std::unordered_map<std::string, std::vector<boost::asio::ip::tcp::socket>> m_idle;
    std::string m_key; ///< reused: no allocation per lookup once warm
};

} // namespace sluice::proxy
