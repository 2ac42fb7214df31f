// SPDX-License-Identifier: Apache-2.0
#include "upstream_connector.h"

#include "asio_executor.h"

#include <algorithm>
#include <memory>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::proxy {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

Clock::time_point UpstreamConnector::bounded(Clock::time_point deadline) {
    return std::min(deadline, Clock::now() + std::chrono::hours(24 * 365));
}

Awaitable<UpstreamConnector::Outcome> UpstreamConnector::connect(TcpSocket& socket, const Endpoint& endpoint,
                                                                 std::chrono::milliseconds connectTimeout,
                                                                 Clock::time_point deadline) {
    error_code ec;
    const asio::ip::address address = asio::ip::make_address(endpoint.address, ec);
    if (ec)
        co_return Outcome::Failed;
    const Clock::time_point now = Clock::now();
    const bool deadlineFirst =
        connectTimeout >= std::chrono::duration_cast<std::chrono::milliseconds>(bounded(deadline) - now);
    // The timer's handler may run after this frame is gone: what it touches is shared.
    struct Shared {
        TcpSocket* socket;
        bool fired = false;
    };
    auto shared = std::make_shared<Shared>(Shared{&socket});
    SteadyTimer timer(socket.get_executor());
    timer.expires_at(deadlineFirst ? bounded(deadline) : now + connectTimeout);
    timer.async_wait([shared](const error_code& e) {
        if (e || !shared->socket)
            return;
        shared->fired = true;
        error_code ignored;
        shared->socket->close(ignored);
    });
    co_await socket.async_connect(tcp::endpoint(address, endpoint.port),
                                  asio::redirect_error(useAwaitable, ec));
    timer.cancel();
    const bool fired = shared->fired;
    shared->socket = nullptr;
    if (fired)
        co_return deadlineFirst ? Outcome::DeadlinePassed : Outcome::Failed;
    if (ec)
        co_return Outcome::Failed;
    socket.set_option(tcp::no_delay(true), ec);
    co_return Outcome::Connected;
}

} // namespace sluice::proxy
