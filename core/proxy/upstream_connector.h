// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include "asio_executor.h"
#include "serving_config.h"

#include <chrono>
#include <cstdint>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace sluice::proxy {

/// Opens a connection to an upstream endpoint within the cluster's connect timeout (Envoy's
/// connect_timeout: a connection not up by then is a connect failure, 503 UF) and the request's
/// deadline (passing it while connecting is a timeout, 504 UT).
class UpstreamConnector {
public:
    enum class Outcome : std::uint8_t { Connected, Failed, DeadlinePassed };

    /// Connects `socket` (fresh, on the caller's executor) to `endpoint`; TCP_NODELAY on success.
    [[nodiscard]] static Awaitable<Outcome> connect(TcpSocket& socket, const Endpoint& endpoint,
                                                    std::chrono::milliseconds connectTimeout,
                                                    std::chrono::steady_clock::time_point deadline);
    /// `deadline`, or a year from now when it is further (timers overflow on time_point::max()).
    [[nodiscard]] static std::chrono::steady_clock::time_point
    bounded(std::chrono::steady_clock::time_point deadline);
};

} // namespace sluice::proxy
