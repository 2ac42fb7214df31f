// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio). nghttp2 stays in the .cpp files.

#include "access_log.h"
#include "asio_executor.h"
#include "async_event.h"
#include "http2_header_block.h"
#include "http2_request.h"
#include "http2_stream_buffers.h"
#include "retry_state.h"
#include "serving_config.h"
#include "upstream_exchange.h"
#include "upstream_h2_connection.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <sys/types.h>

namespace sluice::metrics {
class MetricsShard;
}

namespace sluice::proxy {

class Http2Session;

/// One request stream of an Http2Session: collects the request (headers, DATA, trailers) from the
/// session's nghttp2 callbacks, routes it with the routing engine and answers it the way
/// Http1Session does (local replies, fault delay, CORS, mirrors, retries, route / per-try / gRPC
/// timeouts), and records it (access log, metrics) when the stream closes. The
/// upstream gets HTTP/1.1 through an UpstreamExchange, or HTTP/2 on a pooled
/// UpstreamH2Connection when its cluster is a gRPC / HTTP2 port. The response goes back as
/// HEADERS, DATA pulled by nghttp2's data provider (never more upstream body taken than the
/// client's window lets us send) and trailers. gRPC requests get gRPC-shaped local replies.
class Http2Stream : public std::enable_shared_from_this<Http2Stream>, private UpstreamH2Receiver {
public:
    Http2Stream(Http2Session& session, std::int32_t id);
    ~Http2Stream();
    Http2Stream(const Http2Stream&) = delete;
    Http2Stream& operator=(const Http2Stream&) = delete;

    /// Spawns the coroutine that answers `stream` (its request headers are complete).
    static void start(std::shared_ptr<Http2Stream> stream, std::shared_ptr<Http2Session> session);

    // Fed by the session's nghttp2 callbacks.
    /// A request header field. False: the header list is over the session's limits.
    bool addHeader(std::string_view name, std::string_view value);
    void addTrailer(std::string_view name, std::string_view value);
    void onData(std::string_view data);
    void onRequestEnd();
    /// The client's window may have grown: more of the response may be read from upstream.
    void onWindowUpdate() { m_event.notify(); }
    /// nghttp2 closed the stream: `errorCode` 0 once answered, else the RST_STREAM code (the
    /// client's, unless the gateway reset it; Envoy flags the client's DR).
    void onClosed(std::uint32_t errorCode);
    /// The connection ended under the stream; `byClient`: the client closed it (Envoy's DC).
    void onConnectionClosed(bool byClient);
    /// Envoy's stream_idle_timeout: no activity either way for `timeout` ends the stream.
    void checkIdle(std::chrono::steady_clock::time_point now, std::chrono::milliseconds timeout);
    /// Request body bytes received whose window was not given back yet.
    [[nodiscard]] std::size_t unconsumed() const { return static_cast<std::size_t>(m_received - m_consumed); }

    /// nghttp2's data source for the response body (NGHTTP2_ERR_DEFERRED while waiting for upstream).
    ssize_t readResponse(std::uint8_t* buffer, std::size_t length, std::uint32_t* flags);

private:
    enum class Framing { None, Length, Chunked };
    /// Request body bytes kept for a retry (Envoy's retry buffer); past it the body streams through
    /// and a failed attempt is not repeated.
    static constexpr std::size_t kRetryBuffer = 64 * 1024;

    // http2_stream_forwarding.cpp: the request's way through the gateway.
    static Awaitable<void> serve(std::shared_ptr<Http2Stream> self, std::shared_ptr<Http2Session> session);
    /// How route() left the request: forwarded to a cluster with endpoints (the usual request,
    /// which serve() hands to forward() without respond()'s coroutine), a CONNECT (no route on a
    /// gateway), its CORS preflight answered, or answered here.
    enum class Routing : std::uint8_t { Forward, Connect, Preflight, Local };
    Routing route(const ServedCluster*& cluster);
    /// Answers a request route() did not send to forward().
    Awaitable<void> respond(Routing how);
    /// Attempts on `cluster` (whose mutable side in the request's version is `state`); `h2`: the
    /// cluster's port is gRPC / HTTP2, the upstream gets HTTP/2.
    Awaitable<void> forward(const routing::Decision& d, const ServedCluster& cluster, ClusterState& state,
                            bool h2);
    /// The consistent-hash key of the request under `cluster`'s hash policy; a cookie Envoy
    /// generates for it is added to the response.
    [[nodiscard]] std::optional<std::uint64_t> hashFor(const ServedCluster& cluster);
    /// Relays an HTTP/1.1 upstream's response; the route timeout (`deadline`) covers its body too.
    Awaitable<void> relay(const routing::Decision& d, std::chrono::steady_clock::time_point started,
                          std::chrono::steady_clock::time_point deadline);
    Awaitable<bool> pumpBody();
    /// pumpBody()'s step when it needs no waiting: true/false when the body ended or failed,
    /// nothing when more must be read or the client's window must open first.
    [[nodiscard]] std::optional<bool> pumpBuffered();
    /// Room for response payload in m_pending that the client's windows allow.
    [[nodiscard]] std::size_t pendingRoom() const;
    /// After a part of the body was taken (`got`): true/false when it ended or failed.
    std::optional<bool> takeBody(UpstreamExchange::Body got);
    Awaitable<void> sleepFor(std::chrono::milliseconds delay);
    /// Shadows the request (whole body at hand) to the decision's mirrors, over HTTP/1.1.
    void shadow(const routing::Decision& d);
    /// Metrics: an upstream attempt to `endpoint` begins / ended (`answered`: a response head came).
    void attemptStarted(const routing::Decision& d, const Endpoint& endpoint);
    void attemptEnded(bool answered, int status);

    // http2_stream_h2_upstream.cpp: attempts on an HTTP/2 upstream.
    Awaitable<AttemptEnd> attemptH2(const routing::Decision& d, const Endpoint& endpoint, int attempt);
    Awaitable<void> relayH2(const routing::Decision& d, std::chrono::steady_clock::time_point started,
                            std::chrono::steady_clock::time_point deadline);
    [[nodiscard]] int h2Status() const;
    /// Drops the HTTP/2 attempt: its window goes back, the upstream stream is cancelled.
    void abandonH2();
    std::ptrdiff_t readRequestBody(std::uint8_t* buffer, std::size_t length, bool& end) override;
    [[nodiscard]] const Http2HeaderBlock& requestTrailers() const override { return m_requestTrailers; }
    void onResponseHeaders(Http2HeaderBlock headers, bool endStream) override;
    void onResponseData(std::string_view data) override;
    void onResponseTrailers(Http2HeaderBlock trailers) override;
    void onResponseClosed(std::uint32_t errorCode, bool connectionEnded) override;
    /// The head UpstreamRequestWriter writes for this request (framing per `framing`).
    void writeUpstreamHead(const routing::Decision& d, int attempt, Framing framing);

    // http2_stream.cpp: plumbing between nghttp2, the request body and the upstream.
    /// Writes the upstream head (m_out, from writeUpstreamHead()) and the request body to the
    /// upstream, waiting for DATA still to come. A request without a body goes out with
    /// UpstreamExchange::writeThenRead() instead.
    Awaitable<bool> sendHeadAndBody(Framing framing);
    [[nodiscard]] Framing upstreamFraming() const;
    Awaitable<bool> sendBody(std::string_view data, Framing framing);
    void localReply(int status, std::string_view body, const routing::Decision* decision,
                    std::string_view location = {});
    /// Submits the response HEADERS (with the CORS filter's fields added).
    void submit(Http2HeaderBlock headers, bool withBody);
    /// submit() for an upstream's answer: with the consistent-hash cookie generated, if any.
    void submitUpstreamResponse(Http2HeaderBlock headers, bool withBody);
    void submitContinue();
    void resumeData();
    void reset(std::uint32_t errorCode);
    /// Ends the stream's work: its upstream attempt stops, its record is written.
    void close();
    /// The request body is not going anywhere: give its window back, now and as it arrives.
    void discardBody();
    void consumeUpTo(std::uint64_t offset);
    void flag(std::string_view responseFlag);
    /// The stream closed: the access log line and metrics sample of the request (when on).
    void finishRecord();
    /// Something moved on the stream (either side): the idle timeout starts again.
    void touch();
    [[nodiscard]] bool gone() const;

    Http2Session& m_session;
    std::int32_t m_id;
    Http2StreamBufferPool& m_bufferPool; ///< the worker's, where the destructor leaves m_buffers
    /// The request's buffers, from the last stream done on this worker; the members below that
    /// refer into them keep their usual names.
    std::unique_ptr<Http2StreamBuffers> m_buffers;
    AsyncEvent m_event; ///< request DATA arrived, the window grew, the client drained the response
    Http2Request& m_request;
    Http2HeaderBlock m_requestTrailers;
    bool m_grpc = false;

    std::string& m_body;          ///< request body bytes kept: [m_bodyBase, m_received)
    std::uint64_t m_bodyBase = 0; ///< body offset of m_body[0]
    std::uint64_t m_received = 0;
    std::uint64_t m_consumed = 0; ///< body bytes whose window went back to the client
    bool m_requestEnded = false;
    bool m_trimmed = false; ///< part of the body was forwarded and dropped: no attempt can replay it
    bool m_discarding = false;

    std::string& m_pending; ///< response payload waiting for DATA frames: [m_pendingPos, size)
    std::size_t m_pendingPos = 0;
    bool m_responseEnded = false; ///< all of the payload is in m_pending
    bool m_deferred = false;      ///< nghttp2 waits for resumeData()
    Http2HeaderBlock m_trailers;  ///< the upstream's, sent after the last DATA
    /// The submitted response HEADERS, which nghttp2 refers to rather than copies (~900 instructions
    /// a request): packed while the stream is open, when the session still holds this stream, and
    /// dropped unread once it closed; the session's writer stops with the session.
    Http2HeaderBlock m_responseHeaders;
    bool m_closed = false;
    bool m_localReset = false;      ///< the gateway sent the RST_STREAM
    bool m_responseStarted = false; ///< HEADERS submitted: a local reply can no longer replace them
    bool m_idleTimedOut = false;
    std::chrono::steady_clock::time_point m_lastActivity = std::chrono::steady_clock::now();

    UpstreamExchange m_upstream; ///< HTTP/1.1 attempts; its deadline timer serves HTTP/2 ones too

    std::shared_ptr<UpstreamH2Connection> m_h2; ///< the HTTP/2 attempt's connection
    std::int32_t m_h2Id = -1;
    std::uint64_t m_h2Sent = 0; ///< request body offset sent on the HTTP/2 attempt
    bool m_h2BodyWaiting = false;
    Http2HeaderBlock m_h2Head;
    bool m_h2HeadIn = false;
    bool m_h2HeadEnds = false; ///< the response HEADERS carried END_STREAM
    bool m_h2Closed = false;
    std::uint32_t m_h2Error = 0;
    bool m_h2ConnectionEnded = false;
    std::uint64_t m_h2Received = 0; ///< response body bytes from the upstream...
    std::uint64_t m_h2Consumed = 0; ///< ...and those whose window went back to it
    bool m_h2Relaying = false;
    std::string& m_out;    ///< the upstream request head, reused
    std::string m_sending; ///< request body bytes being written upstream
    std::string& m_requestId;
    std::string m_lengthText;      ///< a content-length the gateway adds
    std::string m_grpcTimeoutText; ///< the grpc-timeout the upstream gets
    std::chrono::milliseconds m_timeout{0};
    std::string m_responseExtra; ///< header lines the CORS filter adds to the response
    std::string m_setCookie;     ///< a consistent-hash cookie generated for this request

    RequestRecord m_record; ///< filled only while an access log or metrics are on
    std::chrono::steady_clock::time_point m_started;
    bool m_logging = false;
    metrics::MetricsShard* m_metrics = nullptr; ///< the worker's shard; null: metrics off
    bool m_recording = false;                   ///< an access log or metrics: m_record is kept
    bool m_recordOpen = false;                  ///< m_record is written when the stream closes
    ServingConfigPtr m_config;                  ///< the request's (m_endpoint points into it)
    routing::Decision& m_decision;
    bool m_routed = false;                ///< m_decision is this request's
    const Endpoint* m_endpoint = nullptr; ///< the last upstream attempt's endpoint
    std::uint32_t m_endpointSlot = 0;
    bool m_attemptOpen = false; ///< attemptStarted() without its attemptEnded() yet
};

} // namespace sluice::proxy
