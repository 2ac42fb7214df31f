// SPDX-License-Identifier: Apache-2.0
#include "upstream_h2_pool.h"

#include "asio_executor.h"
#include "upstream_h2_connection.h"

#include <algorithm>

namespace sluice::proxy {

UpstreamH2Pool::UpstreamH2Pool(ProxyWorker& worker)
    : m_worker(worker) {}

UpstreamH2Pool::~UpstreamH2Pool() = default;

Awaitable<std::shared_ptr<UpstreamH2Connection>> UpstreamH2Pool::get(const Endpoint& endpoint) {
    auto& list = m_connections[{endpoint.address, endpoint.port}];
    std::erase_if(list, [](const auto& c) { return !c->usable() && c->activeStreams() == 0; });
    for (const auto& c : list)
        if (c->usable())
            co_return c;
    auto fresh = std::make_shared<UpstreamH2Connection>(m_worker, endpoint);
    if (!co_await fresh->connect())
        co_return nullptr;
    // The list may have changed while connecting: look it up again.
    m_connections[{endpoint.address, endpoint.port}].push_back(fresh);
    co_return fresh;
}

void UpstreamH2Pool::clear() {
    for (auto& [key, list] : m_connections)
        for (auto& c : list)
            c->retire();
    m_connections.clear();
}

} // namespace sluice::proxy
