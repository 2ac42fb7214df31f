// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio). nghttp2 stays in the .cpp files.

#include "asio_executor.h"
#include "async_event.h"
#include "downstream_transport.h"
#include "proxy_worker.h"
#include "routing/request.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/awaitable.hpp>

struct nghttp2_session;

namespace sluice::proxy {

class Http2Stream;
template <class> struct Nghttp2ServerCallbacks;

/// The downstream HTTP/2 settings. Envoy's defaults are unbounded streams (2^31 - 1) and 256 MiB
/// windows, which Istio leaves as they are; Sluice takes the values Envoy's edge-proxy best
/// practices recommend instead (every stream costs an upstream connection here): 100 concurrent
/// streams, 64 KiB stream windows, a 1 MiB connection window; the header list is bounded like
/// an HTTP/1.1 head (60 KiB, 100 fields).
struct Http2Settings {
    std::uint32_t maxConcurrentStreams = 100;
    std::int32_t streamWindow = 64 * 1024;
    std::int32_t connectionWindow = 1024 * 1024;
    std::uint32_t maxHeaderListBytes = 60 * 1024;
    std::size_t maxHeaders = 100;
};

/// The server side of one HTTP/2 connection (prior-knowledge h2c, or h2 chosen by ALPN): nghttp2's
/// session fed by a reader coroutine (nghttp2_session_mem_recv) and drained by a writer coroutine
/// (nghttp2_session_mem_send), both on the worker's loop; each request stream is answered by its
/// own Http2Stream coroutine, routed and forwarded like an HTTP/1.1 request. Idle connections and
/// draining workers get a GOAWAY (a shutdown notice first, then the final one), protocol errors a
/// GOAWAY or RST_STREAM from nghttp2. The caller counts the connection (ProxyWorker::connections).
class Http2Session : public std::enable_shared_from_this<Http2Session> {
public:
    Http2Session(ProxyWorker& worker, std::unique_ptr<DownstreamTransport> transport,
                 std::uint32_t gatewayPort, bool tls, Http2Settings settings = {});
    ~Http2Session();
    Http2Session(const Http2Session&) = delete;
    Http2Session& operator=(const Http2Session&) = delete;

    /// Runs the connection to its end. `alreadyRead`: what the caller read before it knew the
    /// protocol (the client preface or its start), given to nghttp2 first.
    Awaitable<void> run(std::string alreadyRead);

    // For the streams (same thread).
    [[nodiscard]] ProxyWorker& worker() { return m_worker; }
    [[nodiscard]] nghttp2_session* nghttp2() { return m_session; }
    [[nodiscard]] bool closed() const { return m_closed; }
    [[nodiscard]] std::uint32_t gatewayPort() const { return m_gatewayPort; }
    /// One routing request for all the session's streams, so its strings keep their room (a
    /// stream's own took a dozen allocations): a stream fills it and routes before it next waits.
    [[nodiscard]] routing::Request& routingScratch() { return m_routingScratch; }
    [[nodiscard]] bool tls() const { return m_tls; }
    [[nodiscard]] const std::string& clientAddress() const { return m_transport->info().clientAddress; }
    /// The connection's addresses and SNI.
    [[nodiscard]] const ConnectionInfo& connection() const { return m_transport->info(); }
    [[nodiscard]] const Http2Settings& settings() const { return m_settings; }
    /// Frames were submitted to nghttp2: the writer sends them.
    void wantWrite() { m_writeEvent.notify(); }

private:
    template <class> friend struct Nghttp2ServerCallbacks;

    /// Gives `data` to nghttp2. False: the connection reads no more (error, or nghttp2 is done).
    bool feed(const char* data, std::size_t size);
    Awaitable<void> writer();
    Awaitable<void> watch();
    /// GOAWAY for the streams not begun yet; the connection ends when the last one is answered.
    void goAway();
    /// GOAWAY with `errorCode`; the connection closes once it is sent, or a second later anyway.
    void terminate(std::uint32_t errorCode);
    void close();
    Http2Stream* stream(std::int32_t id);

    // nghttp2's callbacks, through Nghttp2ServerCallbacks.
    int onBeginHeaders(std::int32_t id);
    int onHeader(std::int32_t id, bool trailer, std::string_view name, std::string_view value);
    int onFrame(std::uint8_t type, std::uint8_t flags, std::int32_t id, std::size_t length, bool trailer);
    int onData(std::int32_t id, const std::uint8_t* data, std::size_t size);
    int onStreamClose(std::int32_t id, std::uint32_t errorCode);

    ProxyWorker& m_worker;
    std::unique_ptr<DownstreamTransport> m_transport;
    std::uint32_t m_gatewayPort;
    routing::Request m_routingScratch;
    bool m_tls;
    Http2Settings m_settings;
    nghttp2_session* m_session = nullptr;
    std::map<std::int32_t, std::shared_ptr<Http2Stream>> m_streams;
    AsyncEvent m_writeEvent;
    AsyncEvent m_closedEvent;
    SteadyTimer m_watchdog;
    std::chrono::steady_clock::time_point m_idleSince;
    std::string m_in;  ///< read buffer
    std::string m_out; ///< frames gathered for one write
    bool m_closed = false;
    bool m_clientGone = false; ///< the client ended the connection (not the gateway)
    bool m_noticeSent = false; ///< the drain's first GOAWAY (shutdown notice)
    bool m_goingAway = false;
    unsigned m_emptyFrames = 0; ///< consecutive DATA frames without payload
    std::optional<std::chrono::steady_clock::time_point> m_closeBy; ///< a GOAWAY was final
};

/// Runs HTTP/2 on `stream` (a ClientStream: plain for prior knowledge, TLS after ALPN "h2") until
/// the connection ends. `alreadyRead` is copied before the first suspension.
template <class Stream>
Awaitable<void> runHttp2(ProxyWorker& worker, Stream stream, std::string_view alreadyRead,
                         std::uint32_t gatewayPort, bool tls) {
    auto session = std::make_shared<Http2Session>(
        worker, std::make_unique<StreamTransport<Stream>>(std::move(stream)), gatewayPort, tls);
    co_await session->run(std::string(alreadyRead));
}

/// Whether `data`, the first bytes of a connection, are HTTP/2's client preface or its start
/// ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"): what an HTTP/1.1 parser refuses as version 2.0.
[[nodiscard]] bool startsWithHttp2Preface(std::string_view data);

} // namespace sluice::proxy
