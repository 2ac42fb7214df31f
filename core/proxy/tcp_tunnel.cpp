// SPDX-License-Identifier: Apache-2.0
#include "tcp_tunnel.h"

#include "asio_executor.h"

#include <string>
#include <type_traits>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kChunk = 16 * 1024;

/// What both directions share; lives in TcpTunnel::run's frame, which outlives them.
struct TunnelState {
    TunnelState(ClientStream& c, TcpSocket& u)
        : client(c)
        , upstream(u)
        , wake(u.get_executor()) {}

    ClientStream& client;
    TcpSocket& upstream;
    SteadyTimer wake; ///< run() sleeps on it; the last direction to end cancels it
    int running = 2;
    Clock::time_point lastActivity = Clock::now();
    TcpTunnel::Totals totals;
    bool closed = false;
    bool endingTls = false; ///< upstream EOF under TLS: the client direction is being stopped

    void closeBoth() {
        if (closed)
            return;
        closed = true;
        error_code ignored;
        client.socket().close(ignored);
        upstream.close(ignored);
    }
    void reset() {
        if (!closed && !endingTls)
            totals.reset = true;
        if (!endingTls)
            closeBoth();
    }
};

bool endOfStream(const error_code& ec) {
    return ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
}

template <class To> void shutdownSending(TunnelState& s, To& to) {
    error_code ignored;
    if constexpr (std::is_same_v<To, ClientStream>) {
        if (to.tls()) {
            // TLS has no half-close short of its own shutdown: stop reading the client, and let
            // the caller close the session.
            s.endingTls = true;
            to.socket().cancel(ignored);
            return;
        }
        to.shutdown(TcpSocket::shutdown_send, ignored);
    } else {
        to.shutdown(TcpSocket::shutdown_send, ignored);
    }
}

template <class From, class To>
Awaitable<void> pump(TunnelState& s, From& from, To& to, std::string_view first, std::uint64_t& moved) {
    error_code ec;
    if (!first.empty()) {
        co_await asio::async_write(to, asio::buffer(first.data(), first.size()),
                                   asio::redirect_error(useAwaitable, ec));
        if (ec) {
            s.reset();
            co_return;
        }
        moved += first.size();
    }
    std::string buffer(kChunk, '\0');
    for (;;) {
        if constexpr (std::is_same_v<From, ClientStream>)
            if (s.endingTls)
                co_return; // the upstream has ended: nothing more goes that way
        const std::size_t n =
            co_await from.async_read_some(asio::buffer(buffer), asio::redirect_error(useAwaitable, ec));
        if (ec || n == 0) {
            if (s.closed || (s.endingTls && ec == asio::error::operation_aborted))
                co_return;
            if (endOfStream(ec))
                shutdownSending(s, to);
            else
                s.reset();
            co_return;
        }
        s.lastActivity = Clock::now();
        co_await asio::async_write(to, asio::buffer(buffer.data(), n),
                                   asio::redirect_error(useAwaitable, ec));
        if (ec) {
            s.reset();
            co_return;
        }
        moved += n;
        s.lastActivity = Clock::now();
    }
}

} // namespace

Awaitable<TcpTunnel::Totals> TcpTunnel::run(ClientStream& client, TcpSocket& upstream,
                                            std::chrono::milliseconds idleTimeout,
                                            std::string_view toUpstream, std::string_view toClient) {
    TunnelState s(client, upstream);
    const auto ended = [&s](std::exception_ptr) {
        if (--s.running == 0)
            s.wake.cancel();
    };
    const auto executor = upstream.get_executor();
    asio::co_spawn(executor, pump(s, client, upstream, toUpstream, s.totals.fromClient), ended);
    asio::co_spawn(executor, pump(s, upstream, client, toClient, s.totals.toClient), ended);
    // A coarse tick checks the idle timeout; the directions' end wakes it at once.
    const bool idleLimit = idleTimeout.count() > 0;
    const auto tick = idleLimit ? std::min<std::chrono::milliseconds>(idleTimeout, std::chrono::seconds(1))
                                : std::chrono::seconds(1);
    while (s.running > 0) {
        s.wake.expires_after(tick);
        error_code ec;
        co_await s.wake.async_wait(asio::redirect_error(useAwaitable, ec));
        if (idleLimit && s.running > 0 && !s.closed && Clock::now() - s.lastActivity >= idleTimeout) {
            s.totals.idleTimedOut = true;
            s.closeBoth();
        }
    }
    co_return s.totals;
}

} // namespace sluice::proxy
