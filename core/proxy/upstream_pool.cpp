// SPDX-License-Identifier: Apache-2.0
#include "upstream_pool.h"

#include <sys/socket.h>

namespace sluice::proxy {

const std::string& UpstreamPool::key(const Endpoint& endpoint) {
    m_key.assign(endpoint.address);
    m_key += ':';
    m_key += std::to_string(endpoint.port);
    return m_key;
}

std::optional<boost::asio::ip::tcp::socket> UpstreamPool::take(const Endpoint& endpoint) {
    const auto it = m_idle.find(key(endpoint));
    if (it == m_idle.end())
        return std::nullopt;
    auto& idle = it->second;
    while (!idle.empty()) {
        boost::asio::ip::tcp::socket socket = std::move(idle.back());
        idle.pop_back();
        // An upstream that closed an idle connection has left a FIN (or stray bytes) behind:
        // either way the connection cannot carry a new request.
        char probe = 0;
        const auto n = ::recv(socket.native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return socket;
        boost::system::error_code ignored;
        socket.close(ignored);
    }
    return std::nullopt;
}

void UpstreamPool::giveBack(const Endpoint& endpoint, boost::asio::ip::tcp::socket socket) {
    auto& idle = m_idle[key(endpoint)];
    if (idle.size() < kMaxIdlePerEndpoint)
        idle.push_back(std::move(socket));
}

} // namespace sluice::proxy
