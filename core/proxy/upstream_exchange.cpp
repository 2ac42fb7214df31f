// SPDX-License-Identifier: Apache-2.0
#include "upstream_exchange.h"

#include "asio_executor.h"
#include "http1_session.h"
#include "proxy_worker.h"
#include "upstream_write.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

} // namespace

UpstreamExchange::UpstreamExchange(ProxyWorker& worker, std::unique_ptr<char[]> in, std::size_t capacity)
    : m_worker(worker)
    , m_parser(worker.options().limits)
    , m_in(std::move(in))
    , m_capacity(m_in ? capacity : 0) {}

UpstreamExchange::~UpstreamExchange() {
    abort();
}

void UpstreamExchange::beginAttempt() {
    m_lease.release(); // a previous attempt's connection, not kept: closed
    m_answered = m_bodyDone = m_closeDelimited = false;
    m_used = m_pos = 0;
}

std::optional<ConnectionPool::Result> UpstreamExchange::openIdle(const ServedCluster& cluster,
                                                                 ClusterState& state, std::uint32_t endpoint,
                                                                 bool probe) {
    beginAttempt();
    return m_worker.upstreams().pool().acquireIdle(cluster, state, endpoint, probe, m_lease);
}

Awaitable<ConnectionPool::Result> UpstreamExchange::open(const ServedCluster& cluster, ClusterState& state,
                                                         std::uint32_t endpoint,
                                                         std::chrono::steady_clock::time_point deadline,
                                                         bool probe) {
    beginAttempt();
    // The pool's coroutine itself, not one around it: a frame less per request.
    return m_worker.upstreams().pool().acquire(cluster, state, endpoint, deadline, probe, m_lease);
}

asio::mutable_buffer UpstreamExchange::readRoom() {
    if (m_capacity - m_used < kReadChunk / 2) {
        const std::size_t capacity = std::max(m_capacity * 2, m_used + kReadChunk);
        auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
        if (m_used > 0)
            std::memcpy(bigger.get(), m_in.get(), m_used);
        m_in = std::move(bigger);
        m_capacity = capacity;
    }
    return asio::buffer(m_in.get() + m_used, m_capacity - m_used);
}

void UpstreamExchange::arm(std::chrono::steady_clock::time_point at, AsyncEvent* wake) {
    m_expired = false;
    m_wake = wake;
    if (at == std::chrono::steady_clock::time_point::max())
        disarm();
    else
        m_worker.deadlines().schedule(*this, at);
}

void UpstreamExchange::onDeadline() {
    m_expired = true;
    if (TcpSocket* socket = this->socket()) {
        error_code ignored;
        socket->cancel(ignored);
    }
    if (m_wake)
        m_wake->notify();
}

void UpstreamExchange::disarm() {
    cancelDeadline();
}

Awaitable<bool> UpstreamExchange::write(std::string_view a, std::string_view b) {
    TcpSocket* socket = this->socket();
    if (!socket)
        co_return false;
    error_code ec;
    co_await writeUpstream(*socket, {asio::buffer(a.data(), a.size()), asio::buffer(b.data(), b.size())},
                           asio::redirect_error(useAwaitable, ec));
    co_return !ec && !m_expired;
}

Awaitable<std::size_t> UpstreamExchange::writeThenRead(std::string_view head, error_code& ec) {
    // The operation itself is awaited (no coroutine of the exchange's): one resume per request.
    return proxy::writeThenRead(*socket(), {asio::buffer(head.data(), head.size()), asio::const_buffer()},
                                readRoom(), &m_sent, asio::redirect_error(useAwaitable, ec));
}

void UpstreamExchange::beginHead(bool toHead) {
    m_parser.expect(toHead);
    m_parser.reset();
    m_chunks.reset();
    m_used = m_pos = 0;
}

Http1ResponseParser::Progress UpstreamExchange::takeHead(const error_code& ec, std::size_t n) {
    if (ec || n == 0 || m_expired)
        return Http1ResponseParser::Progress::Failed;
    m_answered = true;
    m_used += n;
    const auto step = m_parser.parseFinalHead(m_in.get(), m_used);
    if (step.progress == Http1ResponseParser::Progress::Done) {
        m_pos = step.consumed;
        m_closeDelimited = m_parser.head().closeDelimited;
    }
    return step.progress;
}

std::optional<UpstreamExchange::Body> UpstreamExchange::bufferedBody(std::string& out) {
    if (m_bodyDone)
        return Body::Done;
    const std::string_view raw(m_in.get() + m_pos, m_used - m_pos);
    const auto step = m_parser.parseBody(raw);
    if (step.progress == Http1ResponseParser::Progress::Failed)
        return Body::Failed;
    const std::string_view payload = raw.substr(0, step.consumed);
    if (m_parser.head().chunked) {
        if (!m_chunks.decode(payload, out))
            return Body::Failed;
    } else {
        out.append(payload);
    }
    m_pos += step.consumed;
    if (step.progress == Http1ResponseParser::Progress::Done) {
        m_bodyDone = true;
        return Body::Done;
    }
    if (m_pos < m_used)
        return Body::Failed; // bytes the parser would not take: never pass on what we cannot frame
    if (step.consumed > 0)
        return Body::More;
    return std::nullopt;
}

Awaitable<UpstreamExchange::Body> UpstreamExchange::readBody(std::string& out, std::size_t atMost) {
    for (;;) {
        if (const std::optional<Body> buffered = bufferedBody(out))
            co_return *buffered;
        // Everything buffered is handed over: read at most what the caller has room for.
        m_used = m_pos = 0;
        TcpSocket* socket = this->socket();
        if (!socket)
            co_return Body::Failed;
        const std::size_t room = std::clamp<std::size_t>(atMost, 1024, readRoom().size());
        error_code ec;
        const std::size_t n = co_await socket->async_read_some(asio::buffer(m_in.get(), room),
                                                               asio::redirect_error(useAwaitable, ec));
        if (ec || n == 0) {
            // A close-delimited body ends with the connection; any other is cut short.
            if (!m_expired && m_closeDelimited &&
                m_parser.finishAtEof() == Http1ResponseParser::Progress::Done) {
                m_bodyDone = true;
                co_return Body::Done;
            }
            co_return Body::Failed;
        }
        m_used = n;
    }
}

void UpstreamExchange::finish() {
    disarm();
    const ResponseHead& h = m_parser.head();
    if (m_lease && m_bodyDone && h.keepAlive && !m_closeDelimited && m_pos == m_used && !m_expired)
        m_lease.keep();
    m_lease.release();
}

std::unique_ptr<char[]> UpstreamExchange::releaseBuffer(std::size_t& capacity) {
    capacity = m_capacity;
    m_capacity = m_used = m_pos = 0;
    return std::move(m_in);
}

void UpstreamExchange::abort() {
    // Closed, not released: a coroutine may be suspended on the socket; it resumes with an error
    // and ends the lease (finish() or the next open()).
    if (TcpSocket* socket = this->socket()) {
        error_code ignored;
        socket->close(ignored);
    }
}

} // namespace sluice::proxy
