// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/workload (includes Asio). nghttp2 stays in the .cpp file.

#include "proxy/asio_executor.h"
#include "proxy/async_event.h"
#include "replica_loop_state.h"
#include "replica_responder.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

struct nghttp2_session;

namespace sluice::proxy {
template <class> struct Nghttp2ServerCallbacks;
}

namespace sluice::workload {

class ReplicaServer;

/// The HTTP/2 side of a ReplicaServer: one prior-knowledge h2c connection (the server found the
/// client preface on its port) driven by nghttp2 — a reader feeding nghttp2_session_mem_recv, a
/// writer draining nghttp2_session_mem_send — with every request stream answered by its own
/// coroutine once the request has ended, after its own delay, so streams are answered
/// concurrently. Answers are those of the HTTP/1.1 side (ReplicaResponder): the JSON echo with
/// `x-sluice-workload`, or in gRPC mode (content-type application/grpc) 200 with the request's
/// message echoed and grpc-status / grpc-message in trailers (trailers-only for an error).
/// nghttp2 enforces the protocol, flow control and the SETTINGS limits (proxy::Http2Settings);
/// header lists past the limits reset their stream, a bad preface or garbage closes the connection
/// (after a GOAWAY when nghttp2 can still send one).
class ReplicaHttp2Connection : public std::enable_shared_from_this<ReplicaHttp2Connection> {
public:
    /// `hold` keeps the replica's loop from retiring while the connection lives.
    ReplicaHttp2Connection(ReplicaServer& replica, proxy::TcpSocket socket, unsigned worker,
                           ReplicaLoopState::Hold hold);
    ~ReplicaHttp2Connection();
    ReplicaHttp2Connection(const ReplicaHttp2Connection&) = delete;
    ReplicaHttp2Connection& operator=(const ReplicaHttp2Connection&) = delete;

    /// Runs the connection to its end; `alreadyRead` (the preface, or more) is given to nghttp2 first.
    proxy::Awaitable<void> run(std::string alreadyRead);

private:
    struct Stream;
    friend struct ReplicaHttp2Body;
    template <class> friend struct proxy::Nghttp2ServerCallbacks;

    /// Gives `data` to nghttp2. False: the connection reads no more.
    bool feed(const char* data, std::size_t size);
    proxy::Awaitable<void> writer();
    /// Answers `stream` (its request has ended), after its planned delay.
    proxy::Awaitable<void> answer(std::shared_ptr<Stream> stream);
    void submit(Stream& stream, int status, bool grpc, bool withBody);
    void close();
    Stream* stream(std::int32_t id);

    // nghttp2's callbacks, through proxy::Nghttp2ServerCallbacks.
    int onBeginHeaders(std::int32_t id);
    int onHeader(std::int32_t id, bool trailer, std::string_view name, std::string_view value);
    int onFrame(std::uint8_t type, std::uint8_t flags, std::int32_t id, std::size_t length, bool trailer);
    int onData(std::int32_t id, const std::uint8_t* data, std::size_t size);
    int onStreamClose(std::int32_t id, std::uint32_t errorCode);

    ReplicaLoopState::Hold m_hold; ///< first: released last, when nothing of the connection is left
    proxy::TcpSocket m_socket;
    ReplicaResponder m_responder;
    nghttp2_session* m_session = nullptr;
    std::map<std::int32_t, std::shared_ptr<Stream>> m_streams;
    proxy::AsyncEvent m_writeEvent;
    std::size_t m_kept = 0; ///< gRPC request bytes the open streams keep (bounded per connection)
    std::string m_in;
    std::string m_out;
    bool m_closed = false;
};

} // namespace sluice::workload
