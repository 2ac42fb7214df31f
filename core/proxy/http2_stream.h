// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio). nghttp2 stays in the .cpp files.

#include "access_log.h"
#include "async_event.h"
#include "http2_header_block.h"
#include "http2_request.h"
#include "serving_config.h"
#include "upstream_exchange.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <sys/types.h>

namespace sluice::proxy {

class Http2Session;

/// One request stream of an Http2Session: collects the request (headers, DATA, trailers) from the
/// session's nghttp2 callbacks, routes it with the routing engine and answers it the way
/// Http1Session does (local replies, fault delay, retries, route / per-try / gRPC timeouts), over
/// HTTP/1.1 to the upstream through an UpstreamExchange. The response goes back as HEADERS, DATA
/// pulled by nghttp2's data provider (never more upstream body read than the client's window
/// lets us send) and trailers. gRPC requests get gRPC-shaped local replies (grpc-status).
class Http2Stream : public std::enable_shared_from_this<Http2Stream> {
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
    /// The stream is closed (answered, reset by either side, or the connection is gone).
    void onClosed();
    /// Request body bytes received whose window was not given back yet.
    [[nodiscard]] std::size_t unconsumed() const { return static_cast<std::size_t>(m_received - m_consumed); }

    /// nghttp2's data source for the response body (NGHTTP2_ERR_DEFERRED while waiting for upstream).
    ssize_t readResponse(std::uint8_t* buffer, std::size_t length, std::uint32_t* flags);

private:
    enum class Framing { None, Length, Chunked };

    // http2_stream_forwarding.cpp: the request's way through the gateway.
    static boost::asio::awaitable<void> serve(std::shared_ptr<Http2Stream> self,
                                              std::shared_ptr<Http2Session> session);
    boost::asio::awaitable<void> respond();
    boost::asio::awaitable<void> forward(const routing::Decision& d, const std::vector<Endpoint>& endpoints);
    boost::asio::awaitable<void> relay(const routing::Decision& d,
                                       std::chrono::steady_clock::time_point started);
    boost::asio::awaitable<bool> pumpBody();
    boost::asio::awaitable<void> sleepFor(std::chrono::milliseconds delay);

    // http2_stream.cpp: plumbing between nghttp2, the request body and the upstream.
    /// Writes the request head and body to the upstream (waiting for DATA still to come).
    boost::asio::awaitable<bool> sendRequest(const routing::Decision& d, int attempt);
    boost::asio::awaitable<bool> sendBody(std::string_view data, Framing framing);
    void localReply(int status, std::string_view body, const routing::Decision* decision,
                    std::string_view location = {});
    void submit(const Http2HeaderBlock& headers, bool withBody);
    void submitContinue();
    void resumeData();
    void reset(std::uint32_t errorCode);
    /// The request body is not going anywhere: give its window back, now and as it arrives.
    void discardBody();
    void consumeUpTo(std::uint64_t offset);
    void flag(std::string_view responseFlag);
    [[nodiscard]] bool gone() const;

    Http2Session& m_session;
    std::int32_t m_id;
    AsyncEvent m_event; ///< request DATA arrived, the window grew, the client drained the response
    Http2Request m_request;
    Http2HeaderBlock m_requestTrailers;
    bool m_headersTooLarge = false;
    bool m_grpc = false;

    std::string m_body;           ///< request body bytes kept: [m_bodyBase, m_received)
    std::uint64_t m_bodyBase = 0; ///< body offset of m_body[0]
    std::uint64_t m_received = 0;
    std::uint64_t m_consumed = 0; ///< body bytes whose window went back to the client
    bool m_requestEnded = false;
    bool m_trimmed = false; ///< part of the body was forwarded and dropped: no attempt can replay it
    bool m_discarding = false;

    std::string m_pending; ///< response payload waiting for DATA frames: [m_pendingPos, size)
    std::size_t m_pendingPos = 0;
    bool m_responseEnded = false; ///< all of the payload is in m_pending
    bool m_deferred = false;      ///< nghttp2 waits for resumeData()
    Http2HeaderBlock m_trailers;  ///< the upstream's, sent after the last DATA
    bool m_closed = false;

    UpstreamExchange m_upstream;
    std::string m_out;     ///< the upstream request head, reused
    std::string m_sending; ///< request body bytes being written upstream
    std::string m_requestId;
    std::string m_lengthText;      ///< a content-length the gateway adds
    std::string m_grpcTimeoutText; ///< the grpc-timeout the upstream gets
    std::chrono::milliseconds m_timeout{0};
    RequestRecord m_record; ///< filled only while an access log is on
    std::chrono::steady_clock::time_point m_started;
    bool m_logging = false;
    bool m_recordOpen = false; ///< m_record is written when the stream closes
};

} // namespace sluice::proxy
