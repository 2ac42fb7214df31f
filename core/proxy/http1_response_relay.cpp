// SPDX-License-Identifier: Apache-2.0
// Http1Session's response side: the upstream's response head rewritten for the client, and its
// body relayed as it arrives, under the route timeout.

#include "asio_executor.h"
#include "http1_session.h"
#include "response_writers.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

} // namespace

std::optional<bool> Http1Session::startRelay(const routing::Decision& d, std::size_t used,
                                             std::size_t headBytes, Relay& relay, bool& reusable) {
    const ResponseHead& head = m_response.head();
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - m_responseStarted).count();
    const auto millis = micros / 1000;
    m_out.clear();
    ResponseHeadWriter::write(head, d.responseHeaders, millis,
                              m_request.head().keepAlive && !head.closeDelimited &&
                                  !m_worker.draining(m_gatewayPort),
                              m_worker.date(), m_out);
    insertHeaderLines(m_out, m_responseExtra);
    if (!m_setCookie.empty()) // the cookie Envoy generated for consistent hashing
        insertHeaderLines(m_out, "set-cookie: " + m_setCookie + "\r\n");
    const auto body = m_response.parseBody({m_up.data() + headBytes, used - headBytes});
    if (body.progress == Http1ResponseParser::Progress::Failed)
        return false;
    if (m_recording) {
        m_record.status = head.status;
        m_record.upstreamMillis = millis;
        m_record.upstreamMicros = micros;
        m_record.bytesSent = body.consumed;
    }
    relay.first = {asio::buffer(m_out), asio::buffer(m_up.data() + headBytes, body.consumed)};
    relay.sent = m_client.writeNow(relay.first);
    relay.leftover = used - headBytes - body.consumed;
    relay.bodyDone = body.progress == Http1ResponseParser::Progress::Done;
    if (relay.sent != totalSize(relay.first) || !relay.bodyDone)
        return std::nullopt;
    return endRelay(relay, reusable);
}

Awaitable<bool> Http1Session::relayRest(TcpSocket& upstream, Relay& relay, Clock::time_point deadline,
                                        bool& reusable) {
    if (relay.sent != totalSize(relay.first) && !co_await writeRestToClient(relay.first, relay.sent))
        co_return clientClosed(false);
    // The route timeout covers the body too (the per-try timeout no longer applies once the
    // response has started): past it the upstream read is cancelled and the client's connection
    // closed, with flag UT (Envoy resets the downstream stream).
    const bool timed = deadline != Clock::time_point::max() && !relay.bodyDone;
    if (timed)
        armUpstreamTimer(upstream, deadline);
    const UpstreamTimerGuard disarm{timed ? this : nullptr};
    while (!relay.bodyDone) {
        if (relay.leftover)
            co_return false; // bytes the parser would not take: never pass on what we cannot frame
        error_code ec;
        const std::size_t n =
            co_await upstream.async_read_some(asio::buffer(m_up), asio::redirect_error(useAwaitable, ec));
        if (ec || n == 0) {
            if (m_upstreamExpired) {
                flag("UT");
                co_return false;
            }
            // A close-delimited body ends with the connection, and so does ours; any other is cut.
            (void)m_response.finishAtEof();
            co_return false;
        }
        const auto body = m_response.parseBody({m_up.data(), n});
        if (body.progress == Http1ResponseParser::Progress::Failed)
            co_return false;
        if (!co_await writeToClient({m_up.data(), body.consumed}))
            co_return clientClosed(false); // Envoy logs DC with the status it had answered
        m_record.bytesSent += body.consumed;
        relay.leftover = n - body.consumed;
        relay.bodyDone = body.progress == Http1ResponseParser::Progress::Done;
    }
    co_return endRelay(relay, reusable);
}

bool Http1Session::endRelay(const Relay& relay, bool& reusable) const {
    // The upstream connection goes back to the pool only when it ended exactly with the response.
    const ResponseHead& head = m_response.head();
    reusable = head.keepAlive && !head.closeDelimited && relay.leftover == 0;
    return !head.closeDelimited; // a close-delimited body ends our connection too
}

} // namespace sluice::proxy
