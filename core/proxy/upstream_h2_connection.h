// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio). nghttp2 stays in the .cpp files.

#include "asio_executor.h"
#include "async_event.h"
#include "http2_header_block.h"
#include "retry_state.h"
#include "serving_config.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

struct nghttp2_session;

namespace sluice::proxy {

class ProxyWorker;

/// The stream side of one request sent on an UpstreamH2Connection: it supplies the request body
/// and receives the response. Called on the worker's thread from inside nghttp2's callbacks: it
/// must not call back into the connection from there, except resumeBody() and consumed().
class UpstreamH2Receiver {
public:
    /// Copies up to `length` request body bytes into `buffer`. -1: none available yet (the stream
    /// calls resumeBody() when there are). `end`: the body ends with the bytes returned.
    virtual std::ptrdiff_t readRequestBody(std::uint8_t* buffer, std::size_t length, bool& end) = 0;
    /// Trailers to send after the body; empty: none.
    [[nodiscard]] virtual const Http2HeaderBlock& requestTrailers() const = 0;
    /// The final response HEADERS (:status first; interim 1xx ones are not passed on).
    virtual void onResponseHeaders(Http2HeaderBlock headers, bool endStream) = 0;
    virtual void onResponseData(std::string_view data) = 0;
    virtual void onResponseTrailers(Http2HeaderBlock trailers) = 0;
    /// The stream is over: 0 after a complete response, else the RST_STREAM or GOAWAY error code.
    /// `connectionEnded`: the connection ended under the stream (no code came from the peer).
    virtual void onResponseClosed(std::uint32_t errorCode, bool connectionEnded) = 0;

protected:
    virtual ~UpstreamH2Receiver() = default;
};

/// The end of an attempt whose stream closed before a response head, as Envoy's codec names the
/// reset: REFUSED_STREAM (also nghttp2's code for streams a GOAWAY left unprocessed) is
/// RemoteRefusedStreamReset, any other RST_STREAM RemoteReset (both flagged UR), the connection
/// ending under the stream ConnectionTermination (UC).
[[nodiscard]] AttemptEnd unansweredStreamEnd(std::uint32_t errorCode, bool connectionEnded);

/// One HTTP/2 (h2c, prior knowledge) connection to an upstream endpoint, as Envoy opens to
/// clusters whose port is gRPC or HTTP2: nghttp2's client session fed by a reader coroutine and
/// drained by a writer coroutine, streams multiplexed. Response bodies are acknowledged (window
/// given back) only as the receiver passes them on, so a slow client slows the upstream down
/// instead of filling memory. Lives on its worker's thread.
class UpstreamH2Connection : public std::enable_shared_from_this<UpstreamH2Connection> {
public:
    UpstreamH2Connection(ProxyWorker& worker, Endpoint endpoint);
    ~UpstreamH2Connection();
    UpstreamH2Connection(const UpstreamH2Connection&) = delete;
    UpstreamH2Connection& operator=(const UpstreamH2Connection&) = delete;

    /// Connects (bounded by the connect timeout) and starts the session. False: connect failure.
    Awaitable<bool> connect();
    /// Open, not told to go away, and with room for another stream.
    [[nodiscard]] bool usable() const;
    [[nodiscard]] const Endpoint& endpoint() const { return m_endpoint; }
    [[nodiscard]] std::size_t activeStreams() const { return m_receivers.size(); }

    /// Sends a request (`headers` with its pseudo-headers first); the body, when `withBody`, is
    /// pulled from the receiver. The stream id, or -1 when the connection cannot take it.
    std::int32_t submit(const Http2HeaderBlock& headers, bool withBody, UpstreamH2Receiver& receiver);
    /// More request body is available (after readRequestBody returned -1).
    void resumeBody(std::int32_t id);
    /// The receiver passed `bytes` of the response body on: the upstream may send as many again.
    void consumed(std::int32_t id, std::size_t bytes);
    /// Resets the stream (CANCEL); its receiver is not called again.
    void cancel(std::int32_t id);
    /// The receiver of `id` lets the stream go: the `unconsumed` response bytes it received but
    /// will not pass on give their window back (the connection's is shared by every stream), and
    /// the stream is reset unless it is over (`ended`).
    void abandon(std::int32_t id, std::uint64_t unconsumed, bool ended);
    /// Drops the receiver of `id` without touching the session (its owner is being destroyed).
    void forget(std::int32_t id) { m_receivers.erase(id); }
    /// No new streams; the connection closes once its streams are done (GOAWAY sent).
    void retire();
    void close();

private:
    friend struct UpstreamH2Callbacks;
    Awaitable<void> reader();
    Awaitable<void> writer();
    void wantWrite() { m_writeEvent.notify(); }
    UpstreamH2Receiver* receiver(std::int32_t id);

    ProxyWorker& m_worker;
    Endpoint m_endpoint;
    TcpSocket m_socket;
    nghttp2_session* m_session = nullptr;
    std::map<std::int32_t, UpstreamH2Receiver*> m_receivers;
    std::map<std::int32_t, Http2HeaderBlock> m_incoming; ///< header blocks being received
    AsyncEvent m_writeEvent;
    std::string m_in;
    std::string m_out;
    bool m_connected = false;
    bool m_closed = false;
    bool m_retired = false;
};

} // namespace sluice::proxy
