// SPDX-License-Identifier: Apache-2.0
#include "downstream_connection.h"

#include "asio_executor.h"
#include "client_hello_reader.h"
#include "client_stream.h"
#include "deadline.h"
#include "http1_session.h"
#include "http2_session.h"
#include "tcp_proxy_session.h"
#include "tls_chain_context.h"
#include "tls_context_set.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kHelloChunk = 4096;

/// Counts the connection while it is being looked at; the session that takes it counts itself.
class Counted {
public:
    explicit Counted(ProxyWorker& worker)
        : m_worker(&worker) {
        ++m_worker->connections;
    }
    ~Counted() { release(); }
    Counted(const Counted&) = delete;
    Counted& operator=(const Counted&) = delete;
    void release() {
        if (m_worker)
            --m_worker->connections;
        m_worker = nullptr;
    }

private:
    ProxyWorker* m_worker;
};

/// Envoy logs a connection that matched no filter chain: "- - -" 0 NR.
void logNoChain(ProxyWorker& worker) {
    AccessLogSink* log = worker.options().accessLog;
    if (!log)
        return;
    RequestRecord r;
    r.start = std::chrono::system_clock::now();
    r.method = r.path = r.protocol = "-";
    r.flags = "NR";
    log->write(r);
}

bool passesThrough(const routing::FilterChain& chain) {
    return chain.mode == routing::FilterChain::Mode::Passthrough ||
           chain.mode == routing::FilterChain::Mode::AutoPassthrough;
}

} // namespace

Awaitable<void> DownstreamConnection::serve(ProxyWorker& worker, TcpSocket socket,
                                            std::uint32_t gatewayPort) {
    ServingConfigPtr config = worker.config();
    const auto& listeners = config->table->listeners();
    const auto it = listeners.find(gatewayPort);
    if (it == listeners.end())
        co_return; // the port's listener went away with a reload: the connection closes
    error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    switch (it->second.kind) {
    case routing::Listener::Kind::Http: {
        auto session = std::make_shared<Http1Session>(worker, ClientStream(std::move(socket)), gatewayPort);
        co_await session->run();
        co_return;
    }
    case routing::Listener::Kind::Tcp: {
        TcpProxySession session(worker, ClientStream(std::move(socket)));
        routing::Request request;
        request.port = gatewayPort;
        co_await session.run(std::move(config), std::move(request), {});
        co_return;
    }
    case routing::Listener::Kind::Tls:
        co_await serveTls(worker, std::move(socket), gatewayPort, std::move(config));
        co_return;
    }
}

Awaitable<void> DownstreamConnection::serveTls(ProxyWorker& worker, TcpSocket socket,
                                               std::uint32_t gatewayPort, ServingConfigPtr config) {
    Counted counted(worker);
    const auto until = Clock::now() + worker.options().tlsHandshakeTimeout;

    // The ClientHello, read into our buffer: its bytes are replayed to the chain's handshake or
    // forwarded upstream, so nothing is lost (and no MSG_PEEK wake-up can be missed).
    ClientHelloReader reader;
    std::string hello(kHelloChunk, '\0');
    std::size_t used = 0;
    {
        Deadline deadline(worker.context(), until - Clock::now(), [&socket] {
            error_code ignored;
            socket.close(ignored);
        });
        ClientHelloReader::Verdict verdict = ClientHelloReader::Verdict::NeedMore;
        while (verdict == ClientHelloReader::Verdict::NeedMore) {
            if (hello.size() - used < kHelloChunk / 2)
                hello.resize(hello.size() * 2);
            error_code ec;
            const std::size_t n =
                co_await socket.async_read_some(asio::buffer(hello.data() + used, hello.size() - used),
                                                asio::redirect_error(useAwaitable, ec));
            if (ec || n == 0)
                co_return;
            used += n;
            verdict = reader.read({hello.data(), used});
        }
        if (verdict != ClientHelloReader::Verdict::Hello || deadline.expired())
            co_return; // not TLS, malformed or too large: the connection closes
    }
    hello.resize(used);

    const auto it = config->table->listeners().find(gatewayPort);
    if (it == config->table->listeners().end())
        co_return;
    const routing::Listener& listener = it->second;
    const routing::FilterChain* chain = routing::selectFilterChain(listener.chains, reader.serverName());
    if (!chain) {
        logNoChain(worker);
        co_return;
    }
    routing::Request request;
    request.port = gatewayPort;
    request.tls = true;
    request.sni = reader.serverName();
    if (passesThrough(*chain)) {
        counted.release();
        TcpProxySession session(worker, ClientStream(std::move(socket)));
        co_await session.run(std::move(config), std::move(request), std::move(hello));
        co_return;
    }

    const std::size_t index = static_cast<std::size_t>(chain - listener.chains.data());
    const TlsChainContext* context = config->tls ? config->tls->chain(gatewayPort, index) : nullptr;
    if (!context)
        co_return; // the chain has no certificate: like a gateway whose Secret is missing, no handshake
    ClientStream stream(std::move(socket), context->context(), reader.serverName(), std::move(hello));
    {
        Deadline deadline(worker.context(), until - Clock::now(), [&stream] {
            error_code ignored;
            stream.close(ignored);
        });
        error_code ec;
        co_await stream.async_handshake(asio::redirect_error(useAwaitable, ec));
        if (ec || deadline.expired())
            co_return; // bad or missing client certificate (MUTUAL), no shared version or cipher...
    }
    if (chain->mode == routing::FilterChain::Mode::TerminateTcp) {
        counted.release();
        TcpProxySession session(worker, std::move(stream));
        co_await session.run(std::move(config), std::move(request), {});
        co_return;
    }
    if (stream.negotiatedProtocol() == "h2") { // the HTTP/2 session is counted by its caller: us
        config.reset();
        co_await runHttp2(worker, std::move(stream), {}, gatewayPort, true);
        co_return;
    }
    counted.release();
    auto session = std::make_shared<Http1Session>(worker, std::move(stream), gatewayPort);
    co_await session->run();
}

} // namespace sluice::proxy
