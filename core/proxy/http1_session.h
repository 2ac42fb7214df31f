// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include "access_log.h"
#include "asio_executor.h"
#include "client_close_watch.h"
#include "client_stream.h"
#include "host_selector.h"
#include "http1_request_parser.h"
#include "http1_response_parser.h"
#include "proxy_worker.h"
#include "retry_state.h"
#include "routing/decision.h"
#include "routing/request.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace sluice::metrics {
class MetricsShard;
}

namespace sluice::proxy {

class AsyncEvent;
class Http1H2Stream;

/// Bytes read per call into a connection buffer.
inline constexpr std::size_t kReadChunk = 16 * 1024;

/// The free room of `buffer` past its first `used` bytes, grown (doubling) when little is left.
inline boost::asio::mutable_buffer readRoom(std::string& buffer, std::size_t used) {
    if (buffer.size() - used < kReadChunk / 2)
        buffer.resize(std::max(buffer.size() * 2, used + kReadChunk));
    return boost::asio::buffer(buffer.data() + used, buffer.size() - used);
}

/// One downstream HTTP/1.1 connection, plain or over TLS: read a request, route it on the
/// worker's current config, answer locally or forward it to an upstream endpoint and stream the
/// response back; repeat while both sides keep the connection alive. Pipelined requests are
/// answered in order. A WebSocket upgrade the upstream accepts (101) turns the connection into a
/// tunnel. Requests to a cluster whose Service port is gRPC / HTTP2 go upstream over HTTP/2, as
/// Istio configures Envoy (http1_h2_forwarding.cpp).
class Http1Session : public std::enable_shared_from_this<Http1Session> {
public:
    Http1Session(ProxyWorker& worker, ClientStream client, std::uint32_t gatewayPort);
    ~Http1Session();

    /// Runs the connection to its end (spawned on the worker's context).
    Awaitable<void> run();

private:
    enum class Phase { Idle, Head, Busy };

    Awaitable<void> watch();
    /// What the bytes read so far make of the next request's head.
    enum class HeadProgress : std::uint8_t { NeedMore, Ready, Refused, Http2 };
    /// Starts waiting for the next request: its idle timeout, or its head timeout when some of it
    /// is already buffered (pipelined).
    void beginHead();
    /// The first bytes of a request arrived: its head must now come in time.
    void headBegun();
    /// Parses what is buffered. Refused: answer m_request.error(); Http2: the client speaks
    /// HTTP/2 with prior knowledge (m_http2 set).
    HeadProgress takeHead();
    Awaitable<bool> readMore();
    /// The client read readMore() makes when no close watch holds one: the stream's own operation,
    /// so run() awaits it without a coroutine of its own in between.
    [[nodiscard]] auto readClient(boost::system::error_code& ec);
    /// Counts `n` bytes read into m_in; false when the read failed or met the end of the stream.
    bool tookRead(const boost::system::error_code& ec, std::size_t n);
    /// How route() left a parsed request: to be routed still (a 100 Continue or an upgrade check
    /// comes first), forwarded to a cluster with endpoints, its CORS preflight answered, or
    /// answered here (a redirect, a direct response, an abort, no route or no endpoint).
    enum class Routing : std::uint8_t { NotYet, Forward, Preflight, Local };
    /// Routes the request unless something must come before: the decision in m_decision, and
    /// `cluster` when it is forwarded.
    Routing route(const ServedCluster*& cluster);
    Routing routeAdmitted(const ServedCluster*& cluster);
    /// Answers a parsed request that route() did not send to forward(). False: close afterwards.
    Awaitable<bool> respond(Routing how);
    void beginRecord();
    /// The request is over: its access log record and metrics sample (recordRequest).
    void finishRecord(std::chrono::steady_clock::duration elapsed);
    void flag(std::string_view responseFlag);
    /// One forwarded request's attempts: its retry policy, timeouts and endpoints tried so far.
    struct Attempts {
        RetryState retries;
        std::chrono::nanoseconds routeTimeout;
        std::chrono::nanoseconds perTryTimeout;
        std::chrono::steady_clock::time_point started;
        std::chrono::steady_clock::time_point deadline; ///< the route timeout's; max: none
        std::optional<std::uint64_t> hash; ///< consistent hash, when the cluster's policy has one
        TriedEndpoints tried; ///< Envoy's previous_hosts predicate: a retry prefers an endpoint not tried yet
        const ServedCluster* cluster = nullptr; ///< what the next attempt goes to (see followReload)
        ClusterState* state = nullptr;
    };
    /// Before each attempt: after a reload, the attempt goes to the cluster as the worker serves
    /// it now (ProxyWorker::clusterNow), with its own state and hash. Gone: the new config has no
    /// such cluster, and the request is answered instead: 503 NC before the first attempt (Envoy's
    /// router finds no cluster), 503 UH before a retry (doRetry finds none).
    enum class Reload : std::uint8_t { Same, Moved, Gone };
    Reload followReload(const routing::Decision& d, Attempts& a);
    Awaitable<bool> clusterGone(const routing::Decision& d, const Attempts& a);
    /// What follows an attempt (Envoy's router): another one after the back-off, the response
    /// relayed, the connection closed (a streamed body is gone), or a local reply.
    enum class Next : std::uint8_t { Retry, Relay, Close, Reply };
    struct Verdict {
        Next next = Next::Reply;
        int status = 0;
        std::string_view body;
    };

    // Forwarding (http1_forwarding.cpp): attempts with retries and timeouts, then the response.
    Awaitable<bool> forward(const routing::Decision& decision, const ServedCluster& cluster);
    /// The attempt on `endpoint` of `state`'s cluster ended `end` (`status`: the response's):
    /// outlier detection (`reached`: an upstream was reached or refused the connection) and
    /// metrics are told, the response flags set, and the verdict given. Retry holds a unit of
    /// the cluster's retry budget: the caller releases it after the back-off. `answerable`: a
    /// local reply can still be made (no request body was streamed away).
    Verdict afterAttempt(const routing::Decision& d, ClusterState& state, Attempts& a, std::uint32_t endpoint,
                         AttemptEnd end, int status, bool reached, bool replayable, bool answerable);
    /// The consistent hash of the request for `cluster` (and the cookie to set when generated).
    std::optional<std::uint64_t> hashFor(const ServedCluster& cluster);
    /// Takes `n` more bytes of the upstream's answer in m_up (`used` in all): Done once the
    /// response head is in (interim 1xx answers skipped, `headBytes` its size), else NeedMore or
    /// Failed.
    Http1ResponseParser::Progress takeResponseBytes(std::size_t n, std::size_t& used, std::size_t& headBytes);
    Awaitable<bool> streamRequestBody(TcpSocket& upstream);
    /// Waits `delay` (a fault's delay, a retry's back-off). `watchClient`: all of the request is
    /// at hand, so the watchdog may watch the client meanwhile (m_closeWatch) and its close ends
    /// the wait early; the caller then checks m_closeWatch.closed().
    Awaitable<void> sleepFor(std::chrono::milliseconds delay, bool watchClient = false);
    void armUpstreamTimer(TcpSocket& upstream, std::chrono::steady_clock::time_point at);
    void disarmUpstreamTimer();
    /// Disarms the upstream timer when the scope it guards ends, if `session` armed it.
    struct UpstreamTimerGuard {
        Http1Session* session;
        ~UpstreamTimerGuard() {
            if (session)
                session->disarmUpstreamTimer();
        }
    };
    void waitUpstreamTimer(std::chrono::steady_clock::time_point at);
    /// A relay's state between its synchronous start and its coroutine.
    struct Relay {
        WriteBuffers first;       ///< the response head and the body bytes read with it
        std::size_t sent = 0;     ///< bytes of `first` the client's socket took at once
        std::size_t leftover = 0; ///< bytes read past the response (a misbehaving upstream)
        bool bodyDone = false;    ///< the whole body has been read
    };
    /// Writes the response whose head takeResponseBytes left in m_up to the client, with the
    /// body bytes read along: the result (keep the client's connection?) when that was all of
    /// it, nullopt when relayRest must go on.
    std::optional<bool> startRelay(const routing::Decision& d, std::size_t used, std::size_t headBytes,
                                   Relay& relay, bool& reusable);
    /// The rest of the relay: what the client did not take yet, then the body as it arrives.
    /// The route timeout (`deadline`) still runs until its last byte (Envoy's global timeout).
    Awaitable<bool> relayRest(TcpSocket& upstream, Relay& relay,
                              std::chrono::steady_clock::time_point deadline, bool& reusable);
    /// A relayed response's end: whether the upstream connection may be pooled (`reusable`),
    /// and the result (keep the client's connection?).
    bool endRelay(const Relay& relay, bool& reusable) const;
    // HTTP/2 upstreams (http1_h2_forwarding.cpp): the same attempts on pooled UpstreamH2Connections.
    /// `body`: the raw request body bytes at hand after the head (all of it when `replayable`).
    Awaitable<bool> forwardH2(const routing::Decision& d, Attempts& a, std::string_view body,
                              bool replayable);
    Awaitable<AttemptEnd> attemptH2(const routing::Decision& d, const Endpoint& endpoint, Attempts& a,
                                    std::size_t bodyBytes, bool replayable, bool& reached);
    enum class BodyStream : std::uint8_t { Done, Cut, Failed };
    /// The rest of a streamed request body to the HTTP/2 upstream. Cut: the upstream answered
    /// or reset before its end; Failed: the client went away or sent a malformed body.
    Awaitable<BodyStream> streamRequestBodyH2();
    /// The HTTP/2 upstream's response to the client as HTTP/1.1. False: close the connection.
    Awaitable<bool> relayH2(const routing::Decision& d, const Attempts& a);
    void armUpstreamTimer(AsyncEvent& wake, std::chrono::steady_clock::time_point at);
    Awaitable<bool> localReply(int status, std::string_view body, const routing::Decision* decision,
                               std::string_view location = {});
    Awaitable<bool> writeToClient(std::string_view a, std::string_view b = {});
    /// What writeToClient() awaits when the socket did not take all of `buffers` at once (`sent`
    /// bytes of them): the hot path writes with ClientStream::writeNow() and needs no coroutine.
    Awaitable<bool> writeRestToClient(const WriteBuffers& buffers, std::size_t sent);
    // Upgrades (http1_upgrade.cpp): Envoy's upgrade_configs as Istio sets them (websocket).
    /// Before routing: false when the request must be refused (403, an upgrade other than
    /// WebSocket); sets m_websocket.
    bool admitUpgrade();
    /// After a 101 to a WebSocket upgrade: the head to the client, then a TcpTunnel. False: closed.
    Awaitable<bool> tunnelUpgrade(TcpSocket& upstream, const routing::Decision& d, std::size_t used,
                                  std::size_t headBytes);
    /// TLS only: close_notify before the connection closes (bounded by the watchdog).
    Awaitable<void> shutdownTls();
    void consume(std::size_t bytes);
    void close();
    /// The client closed while its request waited (m_closeWatch) or while its answer was
    /// written: Envoy resets the request and flags DC (the status stays what was answered, 0 if
    /// nothing). `attemptInFlight`: an upstream attempt was cut short. Returns false (the
    /// connection is over).
    bool clientClosed(bool attemptInFlight = true);

    ProxyWorker& m_worker;
    ClientStream m_client;
    std::uint32_t m_gatewayPort;
    std::string m_clientAddress;
    SteadyTimer m_watchdog;
    /// Route and per-try timeouts. The wait is lazy: an attempt whose deadline is later than the
    /// pending wait leaves it alone (the expiry looks again), so keep-alive requests under the same
    /// timeout touch the timer about once per timeout period instead of twice per request.
    SteadyTimer m_upstreamTimer;
    std::uint64_t m_upstreamWaits = 0; ///< generation of the pending wait: a superseded one does nothing
    std::chrono::steady_clock::time_point m_upstreamWaitAt = std::chrono::steady_clock::time_point::max();
    /// The attempt in flight under a deadline (max: none) and its upstream, cancelled at expiry.
    std::chrono::steady_clock::time_point m_attemptDeadline = std::chrono::steady_clock::time_point::max();
    TcpSocket* m_attemptUpstream = nullptr;
    AsyncEvent* m_attemptWake = nullptr; ///< an HTTP/2 attempt's: notified at expiry
    bool m_upstreamExpired = false;
    /// While the request waits on its upstream's answer (the session reads nothing from the client
    /// then): the socket or the HTTP/2 stream's event that a client's close interrupts.
    TcpSocket* m_awaitedUpstream = nullptr;
    AsyncEvent* m_awaitedWake = nullptr;
    SteadyTimer* m_awaitedTimer = nullptr; ///< sleepFor's, when it lets the client be watched
    ClientCloseWatch m_closeWatch;         ///< armed by the watchdog while a request waits that long
    std::chrono::steady_clock::time_point m_deadline;
    Phase m_phase = Phase::Idle;
    bool m_closed = false;
    bool m_http2 = false;     ///< the client sent HTTP/2's preface: run() hands the connection over
    bool m_websocket = false; ///< the request in flight asks for a WebSocket upgrade

    Http1RequestParser m_request;
    Http1ResponseParser m_response;
    std::string m_in; ///< downstream bytes; [0, m_inUsed) are valid
    std::size_t m_inUsed = 0;
    std::size_t m_headBytes = 0; ///< the current request's head length at the front of m_in
    std::string m_up;            ///< upstream response bytes
    std::string m_out;           ///< heads we write (reused)
    std::string m_responseExtra; ///< header lines the CORS filter adds to this request's response
    std::string m_requestId;
    std::string m_method;    ///< of the request in flight (the head's views go stale)
    std::string m_setCookie; ///< a consistent-hash cookie generated for the request in flight
    std::chrono::steady_clock::time_point m_responseStarted;
    RequestRecord m_record; ///< filled only while an access log or metrics are on
    bool m_logging = false;
    // Metrics: the worker's shard (null when off) and what the request's sample is made of.
    metrics::MetricsShard* m_metrics = nullptr;
    bool m_recording = false;             ///< an access log or metrics: m_record is kept
    ServingConfigPtr m_config;            ///< the config of the request in flight (m_endpoint points into it;
                                          ///< it keeps the version's clusters and upstream state alive)
    routing::Request m_routingRequest;    ///< reused by every request: its strings keep their storage
    routing::Decision m_decision;         ///< likewise, routed into in place
    bool m_routed = false;                ///< m_decision is this request's
    const Endpoint* m_endpoint = nullptr; ///< the last upstream attempt's endpoint
    std::uint32_t m_endpointSlot = 0;
    std::unique_ptr<Http1H2Stream> m_h2; ///< made by the first request to an HTTP/2 upstream
    bool m_requestCut = false;           ///< an HTTP/2 upstream answered before the body's end
};

} // namespace sluice::proxy
