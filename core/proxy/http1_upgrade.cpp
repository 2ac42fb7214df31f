// SPDX-License-Identifier: Apache-2.0
// Http1Session's upgrades, as Istio configures Envoy's HTTP connection manager: WebSocket is
// allowed on every route (upgrade_configs: websocket); after the upstream's 101 the connection
// is a byte tunnel. Envoy's HTTP/1 codec drops an h2c upgrade (the request is served as it is);
// any other upgrade is refused with 403 (upgrade_failed). And TLS's close_notify at the end.

#include "asio_executor.h"
#include "http1_session.h"
#include "response_writers.h"
#include "tcp_tunnel.h"
#include "upstream_request_writer.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

} // namespace

bool Http1Session::admitUpgrade() {
    const RequestHead& head = m_request.head();
    m_websocket = false;
    if (!head.upgrade)
        return true;
    std::string_view upgrade;
    for (const HeaderField& f : head.fields)
        if (headerNameIs(f.name, "upgrade"))
            upgrade = trimOws(f.value);
    if (headerNameIs(upgrade, "websocket")) {
        m_websocket = true;
        return true;
    }
    return headerNameIs(upgrade, "h2c"); // stripped by the upstream writer: a plain request
}

Awaitable<bool> Http1Session::tunnelUpgrade(TcpSocket& upstream, const routing::Decision& d, std::size_t used,
                                            std::size_t headBytes) {
    const ResponseHead& head = m_response.head();
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_responseStarted).count();
    m_out.clear();
    ResponseHeadWriter::write(head, d.responseHeaders, millis, true, m_worker.date(), m_out);
    if (m_logging) {
        m_record.status = head.status;
        m_record.upstreamMillis = millis;
    }
    if (!co_await writeToClient(m_out))
        co_return false;
    // Bytes either side sent early (after the 101 / after the request) go first.
    const std::string_view toClient(m_up.data() + headBytes, used - headBytes);
    const std::string_view toUpstream(m_in.data(), m_inUsed);
    const TcpTunnel::Totals totals =
        co_await TcpTunnel::run(m_client, upstream, m_worker.options().idleTimeout, toUpstream, toClient);
    m_inUsed = 0;
    if (m_logging) {
        m_record.bytesSent = totals.toClient;
        m_record.bytesReceived += totals.fromClient;
    }
    error_code ignored;
    upstream.close(ignored);
    co_return false; // the connection was the tunnel's: it ends with it
}

Awaitable<void> Http1Session::shutdownTls() {
    // close_notify, then the peer's; the watchdog closes a peer that does not answer.
    m_phase = Phase::Head;
    m_deadline = Clock::now() + std::chrono::seconds(1);
    error_code ec;
    co_await m_client.async_shutdown(asio::redirect_error(useAwaitable, ec));
}

} // namespace sluice::proxy
