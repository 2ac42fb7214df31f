// SPDX-License-Identifier: Apache-2.0
#include "upstream_pool.h"

#include <sys/socket.h>

namespace sluice::proxy {

namespace {

std::uint64_t hashOf(const Endpoint& endpoint) {
    std::uint64_t h = 0xcbf29ce484222325ull ^ endpoint.port; // FNV-1a
    for (const char c : endpoint.address)
        h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    return h;
}

} // namespace

UpstreamPool::Idle* UpstreamPool::find(const Endpoint& endpoint, bool create) {
    const std::uint64_t hash = hashOf(endpoint);
    for (auto [it, end] = m_idle.equal_range(hash); it != end; ++it)
        if (it->second.port == endpoint.port && it->second.address == endpoint.address)
            return &it->second;
    if (!create)
        return nullptr;
    return &m_idle.emplace(hash, Idle{endpoint.address, endpoint.port, {}})->second;
}

std::optional<boost::asio::ip::tcp::socket> UpstreamPool::take(const Endpoint& endpoint, bool probe) {
    Idle* idle = find(endpoint, false);
    if (!idle)
        return std::nullopt;
    while (!idle->sockets.empty()) {
        boost::asio::ip::tcp::socket socket = std::move(idle->sockets.back());
        idle->sockets.pop_back();
        if (!probe)
            return socket;
        // An upstream that closed an idle connection has left a FIN (or stray bytes) behind:
        // either way the connection cannot carry a new request.
        char peeked = 0;
        const auto n = ::recv(socket.native_handle(), &peeked, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return socket;
        boost::system::error_code ignored;
        socket.close(ignored);
    }
    return std::nullopt;
}

void UpstreamPool::giveBack(const Endpoint& endpoint, boost::asio::ip::tcp::socket socket) {
    Idle* idle = find(endpoint, true);
    if (idle->sockets.size() < kMaxIdlePerEndpoint)
        idle->sockets.push_back(std::move(socket));
}

} // namespace sluice::proxy
