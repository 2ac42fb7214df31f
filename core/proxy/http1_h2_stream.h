// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio). nghttp2 stays in the .cpp files.

#include "asio_executor.h"
#include "async_event.h"
#include "chunked_decoder.h"
#include "http2_header_block.h"
#include "upstream_h2_connection.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sluice::proxy {

/// The HTTP/2 upstream side of an Http1Session's request whose cluster is a gRPC / HTTP2 port:
/// the UpstreamH2Receiver of the attempt in flight on a pooled UpstreamH2Connection. It holds
/// the request body to send (payload only: HTTP/2 frames it, chunk framing is gone) and what
/// came back: the response HEADERS, the DATA the session has not written to its client yet
/// (the upstream's window is given back only as the client takes it), the stream's end or
/// reset. Passive: the session's coroutine waits on event() and reads the state. One per
/// session (made when its first such request comes), reused by the requests that follow.
class Http1H2Stream final : private UpstreamH2Receiver {
public:
    explicit Http1H2Stream(const Executor& executor);
    ~Http1H2Stream() override;
    Http1H2Stream(const Http1H2Stream&) = delete;
    Http1H2Stream& operator=(const Http1H2Stream&) = delete;

    /// Notified when the response moves (HEADERS, DATA, end, reset) or the upstream took body.
    [[nodiscard]] AsyncEvent& event() { return m_event; }

    // The request body.
    /// A new request: no body yet.
    void clearBody();
    /// Appends the payload of `raw`, the next bytes of the client's body (`chunked`: its chunk
    /// framing and trailers are dropped), and lets the upstream have it. `keep`: the body stays
    /// whole for a retry; else what the upstream took already is dropped first. False: framing
    /// the decoder cannot follow.
    bool appendBody(std::string_view raw, bool chunked, bool keep);
    /// The payload is complete.
    void endBody();
    /// Payload bytes appended and not taken by the upstream yet.
    [[nodiscard]] std::size_t bodyUnsent() const { return m_body.size() - m_bodySent; }

    /// Starts an attempt on `connection` (the one before is dropped): `headers` and, when there
    /// is any, the body from its start. False: the connection would not take another stream.
    bool submit(std::shared_ptr<UpstreamH2Connection> connection, const Http2HeaderBlock& headers);

    [[nodiscard]] bool headIn() const { return m_headIn; }
    [[nodiscard]] bool headEnds() const { return m_headEnds; }
    [[nodiscard]] const Http2HeaderBlock& head() const { return m_head; }
    [[nodiscard]] int status() const;
    /// The stream is over: complete (error() 0) or reset (the RST_STREAM / GOAWAY code).
    [[nodiscard]] bool closed() const { return m_closed; }
    [[nodiscard]] std::uint32_t error() const { return m_error; }
    /// How the attempt ended when the stream closed before its head (unansweredStreamEnd).
    [[nodiscard]] AttemptEnd unansweredEnd() const { return unansweredStreamEnd(m_error, m_connectionEnded); }

    /// The response payload received and not taken yet (valid until the next takeData()); pass
    /// its size to consumed() once written.
    [[nodiscard]] std::string_view takeData();
    [[nodiscard]] bool hasData() const { return !m_data.empty(); }
    /// `bytes` of the response reached the client: the upstream may send as many again.
    void consumed(std::size_t bytes);
    /// Drops the attempt: its window goes back, a stream still open is cancelled.
    void abandon();

private:
    std::ptrdiff_t readRequestBody(std::uint8_t* buffer, std::size_t length, bool& end) override;
    [[nodiscard]] const Http2HeaderBlock& requestTrailers() const override { return m_noTrailers; }
    void onResponseHeaders(Http2HeaderBlock headers, bool endStream) override;
    void onResponseData(std::string_view data) override;
    void onResponseTrailers(Http2HeaderBlock trailers) override;
    void onResponseClosed(std::uint32_t errorCode, bool connectionEnded) override;

    AsyncEvent m_event;
    std::shared_ptr<UpstreamH2Connection> m_connection; ///< the attempt's; null: none in flight
    std::int32_t m_id = -1;

    std::string m_body;         ///< request payload: [m_bodySent, size) still to send
    std::size_t m_bodySent = 0; ///< ...of the attempt in flight
    bool m_bodyEnded = false;   ///< all of the payload is in m_body (or was sent)
    bool m_bodyKept = true;     ///< m_body starts at the body's start (a retry can send it again)
    bool m_bodyWaiting = false; ///< nghttp2 waits for resumeBody()
    ChunkedDecoder m_chunks;
    Http2HeaderBlock m_noTrailers;

    Http2HeaderBlock m_head;
    bool m_headIn = false;
    bool m_headEnds = false;
    bool m_closed = false;
    std::uint32_t m_error = 0;
    bool m_connectionEnded = false;
    std::string m_data;           ///< response payload not taken yet
    std::string m_taken;          ///< what takeData() returned last
    std::uint64_t m_received = 0; ///< response payload bytes from the upstream...
    std::uint64_t m_consumed = 0; ///< ...and those whose window went back to it
};

} // namespace sluice::proxy
