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

    /// An idle connection to `endpoint`, if any. With `probe`, one the upstream is seen not to have
    /// closed meanwhile (a peek per connection: a syscall). Without, the caller must treat a reused
    /// connection that fails before any response byte as stale and retry on a fresh one, as nginx
    /// does with its upstream keepalive connections.
    std::optional<boost::asio::ip::tcp::socket> take(const Endpoint& endpoint, bool probe);
    /// Keeps a connection whose last response ended cleanly for the next request to `endpoint`.
    void giveBack(const Endpoint& endpoint, boost::asio::ip::tcp::socket socket);
    void clear() { m_idle.clear(); }

private:
    struct Idle {
        std::string address;
        std::uint16_t port = 0;
        std::vector<boost::asio::ip::tcp::socket> sockets;
    };
    /// The idle list of `endpoint` (created when `create`), found by a hash of address and port
    /// and confirmed by comparing both, so that no key string is built per request.
    Idle* find(const Endpoint& endpoint, bool create);

    std::unordered_multimap<std::uint64_t, Idle> m_idle;
};

} // namespace sluice::proxy
