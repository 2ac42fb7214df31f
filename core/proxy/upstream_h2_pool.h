// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include "asio_executor.h"
#include "serving_config.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

namespace sluice::proxy {

class ProxyWorker;
class UpstreamH2Connection;

/// A worker's HTTP/2 connections to upstream endpoints: streams share a connection while it has
/// room (its peer's SETTINGS_MAX_CONCURRENT_STREAMS), a new one is opened when none has.
class UpstreamH2Pool {
public:
    explicit UpstreamH2Pool(ProxyWorker& worker);
    ~UpstreamH2Pool();
    UpstreamH2Pool(const UpstreamH2Pool&) = delete;
    UpstreamH2Pool& operator=(const UpstreamH2Pool&) = delete;

    /// A connection to `endpoint` that can take a stream now; nullptr when it cannot be connected.
    Awaitable<std::shared_ptr<UpstreamH2Connection>> get(const Endpoint& endpoint);
    /// Forgets every connection; each closes once its streams are done.
    void clear();

private:
    ProxyWorker& m_worker;
    std::map<std::pair<std::string, std::uint16_t>, std::vector<std::shared_ptr<UpstreamH2Connection>>>
        m_connections;
};

} // namespace sluice::proxy
