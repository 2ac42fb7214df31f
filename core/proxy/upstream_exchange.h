// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include "asio_executor.h"
#include "async_event.h"
#include "chunked_decoder.h"
#include "connection_pool.h"
#include "deadline_queue.h"
#include "http1_response_parser.h"
#include "serving_config.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace sluice::proxy {

class ProxyWorker;

/// One HTTP/1.1 exchange with an upstream endpoint on the worker's connection pool, for sessions
/// that do not relay HTTP/1.1 bytes as they are (HTTP/2 streams): lease a connection from the
/// pool (under the cluster's circuit breakers), write the request, read the response head (interim 1xx
/// skipped), then read the body with its framing removed, and give the connection back to the pool when the
/// response ended cleanly. A deadline (route or per-try timeout) cancels whatever is in flight. One attempt
/// at a time; open() starts the next one. Lives on its worker's thread.
class UpstreamExchange : private DeadlineQueue::Entry {
public:
    /// `in` (of `capacity` bytes, may be null): a read buffer to start with.
    UpstreamExchange(ProxyWorker& worker, std::unique_ptr<char[]> in = nullptr, std::size_t capacity = 0);
    ~UpstreamExchange();
    UpstreamExchange(const UpstreamExchange&) = delete;
    UpstreamExchange& operator=(const UpstreamExchange&) = delete;

    /// Leases a connection to endpoint `endpoint` of `cluster` (ConnectionPool::acquire: an idle
    /// one, checked first when `probe`, or a new one) until `deadline`.
    /// open() when an idle connection is at hand: its result without a coroutine, or nothing when
    /// open() has to wait or connect.
    [[nodiscard]] std::optional<ConnectionPool::Result>
    openIdle(const ServedCluster& cluster, ClusterState& state, std::uint32_t endpoint, bool probe);
    Awaitable<ConnectionPool::Result> open(const ServedCluster& cluster, ClusterState& state,
                                           std::uint32_t endpoint,
                                           std::chrono::steady_clock::time_point deadline, bool probe);
    /// The connection came from the pool (it may turn out stale: nothing is lost by retrying).
    [[nodiscard]] bool reused() const { return m_lease && m_lease.reused(); }

    /// From now until disarm(), `at` (on the worker's DeadlineQueue) cancels the exchange's I/O
    /// and notifies `wake` (a caller waiting for something else, e.g. more request body, then sees
    /// expired()).
    void arm(std::chrono::steady_clock::time_point at, AsyncEvent* wake = nullptr);
    void disarm();
    /// The armed deadline passed (the I/O in flight then failed because of it).
    [[nodiscard]] bool expired() const { return m_expired; }

    Awaitable<bool> write(std::string_view a, std::string_view b = {});

    /// A request without a body to stream (`head` is all of it), written as write() does, and the
    /// first read of its answer in the same operation (beginHead() first): what that read brought,
    /// for takeHead() with `ec`. sent(): the write went out (else `ec` is the write's error).
    /// Only with a connection (open() or openIdle() gave Ready).
    Awaitable<std::size_t> writeThenRead(std::string_view head, boost::system::error_code& ec);
    [[nodiscard]] bool sent() const { return m_sent; }

    /// The response head is read in the caller's coroutine (one of the exchange's own would cost
    /// a frame per stream): beginHead(), then while takeHead() says NeedMore, await
    /// connection()->async_read_some(headRoom()) and hand takeHead() what it brought. `toHead`:
    /// the request was HEAD (no body follows whatever the headers say).
    void beginHead(bool toHead);
    /// The attempt's connection; null when it has none (the head then fails).
    [[nodiscard]] TcpSocket* connection() { return socket(); }
    [[nodiscard]] boost::asio::mutable_buffer headRoom() { return readRoom(); }
    /// Done once the head is in (interim 1xx answers skipped); Failed when the read was reset,
    /// timed out or the head is malformed (`answered` then tells whether any byte came).
    Http1ResponseParser::Progress takeHead(const boost::system::error_code& ec, std::size_t n);
    [[nodiscard]] const ResponseHead& head() const { return m_parser.head(); }
    [[nodiscard]] bool answered() const { return m_answered; }

    enum class Body { More, Done, Failed };
    /// Appends at most about `atMost` bytes of the body's payload to `out` (at least one read's worth
    /// when `atMost` is 0 is never asked: callers wait for room). Done: the body is complete and
    /// trailers() hold a chunked body's trailers until the next call.
    Awaitable<Body> readBody(std::string& out, std::size_t atMost);
    /// readBody() without reading: what the bytes already here give, or nothing when a read is
    /// needed (a small body usually came with the head: no coroutine for it).
    [[nodiscard]] std::optional<Body> bufferedBody(std::string& out);
    [[nodiscard]] const std::vector<HeaderField>& trailers() const { return m_parser.trailers(); }

    /// Ends the attempt: the connection goes back to the pool when the response ended cleanly and
    /// the upstream keeps it alive, else it is closed. Also ends an attempt that got no lease.
    void finish();
    /// The read buffer, for another exchange to start with; this one must do no more I/O.
    [[nodiscard]] std::unique_ptr<char[]> releaseBuffer(std::size_t& capacity);
    /// Closes the connection at once: I/O in flight fails (callable from outside the coroutine
    /// using the exchange, e.g. when the downstream stream is reset).
    void abort();

private:
    [[nodiscard]] TcpSocket* socket() { return m_lease ? &m_lease.socket() : nullptr; }
    void beginAttempt();

    void onDeadline() override;

    ProxyWorker& m_worker;
    UpstreamLease m_lease; ///< the attempt's connection; counts it in flight on its endpoint
    bool m_expired = false;
    bool m_sent = false; ///< writeThenRead()'s write went out
    AsyncEvent* m_wake = nullptr;
    bool m_answered = false;
    bool m_bodyDone = false;
    bool m_closeDelimited = false;
    Http1ResponseParser m_parser;
    ChunkedDecoder m_chunks;
    /// Room to read into past the m_used bytes kept, grown (doubling) when little is left. Not
    /// zero-filled: an exchange lives for one HTTP/2 stream, and 16 KiB of zeroes per stream
    /// was a quarter of the stream's instructions.
    [[nodiscard]] boost::asio::mutable_buffer readRoom();

    std::unique_ptr<char[]> m_in; ///< upstream bytes
    std::size_t m_capacity = 0;
    std::size_t m_used = 0; ///< valid bytes in m_in
    std::size_t m_pos = 0;  ///< first byte not handed over yet
};

} // namespace sluice::proxy
