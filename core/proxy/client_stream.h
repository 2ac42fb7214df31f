// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy: includes Asio and OpenSSL.

#include "asio_executor.h"
#include "immediate_write.h"
#include "tls_connection.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>

namespace sluice::proxy {

/// The downstream side of a connection: a plain TCP socket, or TLS over it (TlsConnection).
/// Reads and writes branch on which one it is (no virtual call, nothing allocated for plain TCP),
/// so the HTTP sessions and the tunnel serve both through the same code. Models Asio's
/// AsyncReadStream and AsyncWriteStream; writes first send what goes at once (writeNow). The
/// socket operations the session uses (remote_endpoint, set_option, shutdown, close) reach the
/// TCP socket underneath.
class ClientStream {
public:
    using Socket = TcpSocket;
    using executor_type = Socket::executor_type;

    explicit ClientStream(Socket socket)
        : m_socket(std::move(socket)) {}
    /// TLS over `socket` with `context` (the filter chain's); handshake before reading or writing.
    /// `serverName` is the SNI the client sent (lower-case; empty when none); `alreadyRead` the
    /// ClientHello bytes the proxy read to pick the filter chain.
    ClientStream(Socket socket, boost::asio::ssl::context& context, std::string serverName,
                 std::string alreadyRead);

    ClientStream(ClientStream&&) = default;
    ClientStream& operator=(ClientStream&&) = delete;

    [[nodiscard]] executor_type get_executor() { return m_socket.get_executor(); }
    [[nodiscard]] bool tls() const { return m_isTls; }
    /// The TCP socket (under TLS, the TLS connection's).
    [[nodiscard]] Socket& socket() { return m_tls ? m_tls->socket() : m_socket; }
    [[nodiscard]] const std::string& serverName() const { return m_serverName; }
    /// The ALPN protocol agreed in the handshake ("h2" or "http/1.1"), or empty: without ALPN the
    /// client speaks HTTP/1.1.
    [[nodiscard]] std::string_view negotiatedProtocol() const;

    /// async_read_some, optionally `afterReadyWork`: for the next request on a keep-alive
    /// connection, which is seldom there the moment a response has gone out, the read starts once
    /// the worker's other ready work has run, where trying at once would mostly be a failed recv
    /// (measured: 0.8 per request under load; an empty recv costs about 0.12 µs here). An idle worker comes
    /// straight back to it.
    template <typename Token>
    auto readSome(boost::asio::mutable_buffer buffer, bool afterReadyWork, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this, afterReadyWork](auto handler, boost::asio::mutable_buffer into) {
                if (m_isTls) {
                    boost::asio::async_compose<decltype(handler),
                                               void(boost::system::error_code, std::size_t)>(
                        tlsOperation<true>(
                            [into](TlsConnection& t) { return t.read(into.data(), into.size()); },
                            afterReadyWork),
                        handler, m_socket);
                } else if (afterReadyWork) {
                    boost::asio::post(m_socket.get_executor(),
                                      [this, into, handler = std::move(handler)]() mutable {
                                          m_socket.async_read_some(into, std::move(handler));
                                      });
                } else {
                    m_socket.async_read_some(into, std::move(handler));
                }
            },
            token, buffer);
    }
    /// Sends what goes without waiting, as writeImmediately does (TLS: records, a head and a
    /// small body in one). Returns the bytes taken; async_write sends the rest. Only while no
    /// other write is pending.
    std::size_t writeNow(const WriteBuffers& buffers);

    /// Server handshake (TLS only).
    template <typename Token> auto async_handshake(Token&& token) {
        return boost::asio::async_compose<Token, void(boost::system::error_code)>(
            tlsOperation<false>([](TlsConnection& t) { return t.handshake(); }), token, m_socket);
    }
    /// TLS only: sends close_notify and waits for the peer's (bound it with a timer that closes).
    template <typename Token> auto async_shutdown(Token&& token) {
        return boost::asio::async_compose<Token, void(boost::system::error_code)>(
            tlsOperation<false>([](TlsConnection& t) { return t.shutdown(); }), token, m_socket);
    }

    template <typename Buffers, typename Token> auto async_read_some(const Buffers& buffers, Token&& token) {
        if (!m_isTls)
            return m_socket.async_read_some(buffers, std::forward<Token>(token));
        return readSome(firstBuffer(buffers), false, std::forward<Token>(token));
    }

    template <typename Buffers, typename Token> auto async_write_some(const Buffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const Buffers& b) {
                if (!m_isTls) {
                    m_socket.async_write_some(b, std::move(handler));
                    return;
                }
                const boost::asio::const_buffer from = gathered(b);
                boost::asio::async_compose<decltype(handler), void(boost::system::error_code, std::size_t)>(
                    tlsOperation<true>(
                        [from](TlsConnection& t) { return t.write(from.data(), from.size()); }),
                    handler, m_socket);
            },
            token, buffers);
    }

    // What the HTTP sessions do with their socket.
    auto remote_endpoint(boost::system::error_code& ec) { return socket().remote_endpoint(ec); }
    auto local_endpoint(boost::system::error_code& ec) { return socket().local_endpoint(ec); }
    template <typename Option> void set_option(const Option& option, boost::system::error_code& ec) {
        socket().set_option(option, ec);
    }
    void shutdown(Socket::shutdown_type what, boost::system::error_code& ec) { socket().shutdown(what, ec); }
    void close(boost::system::error_code& ec) { socket().close(ec); }

private:
    /// A TLS step tried until it no longer waits for the socket, as an Asio operation: waits with
    /// the socket's async_wait (cancelled by cancel or close, as a read would be), and a step done
    /// at the first try completes through the executor (Asio never completes an operation inside
    /// the call that starts it).
    template <bool WithBytes, class Attempt> class TlsOperation {
    public:
        TlsOperation(TlsConnection* tls, Attempt attempt, bool afterReadyWork)
            : m_tls(tls)
            , m_attempt(std::move(attempt))
            , m_later(afterReadyWork) {}

        template <class Self> void operator()(Self& self, boost::system::error_code ec = {}) {
            if (m_later) { // first through the executor: then the attempt is not inside the start
                m_later = false;
                m_waited = true;
                boost::asio::post(std::move(self));
                return;
            }
            if (!m_done) {
                if (!ec && !m_tls)
                    ec = boost::asio::error::not_connected; // OpenSSL could not make the connection
                if (ec) {
                    m_result.error = ec;
                } else {
                    m_result = m_attempt(*m_tls);
                    if (m_result.want != TlsConnection::Want::Nothing) {
                        m_waited = true;
                        m_tls->socket().async_wait(m_result.want == TlsConnection::Want::Readable
                                                       ? Socket::wait_read
                                                       : Socket::wait_write,
                                                   std::move(self));
                        return;
                    }
                }
                m_done = true;
                if (!m_waited) {
                    boost::asio::post(std::move(self));
                    return;
                }
            }
            if constexpr (WithBytes)
                self.complete(m_result.error, m_result.bytes);
            else
                self.complete(m_result.error);
        }

    private:
        TlsConnection* m_tls;
        Attempt m_attempt;
        TlsConnection::Step m_result;
        bool m_later;
        bool m_waited = false;
        bool m_done = false;
    };
    template <bool WithBytes, class Attempt>
    TlsOperation<WithBytes, Attempt> tlsOperation(Attempt attempt, bool afterReadyWork = false) {
        return TlsOperation<WithBytes, Attempt>(m_tls.get(), std::move(attempt), afterReadyWork);
    }

    template <typename Buffers> static boost::asio::mutable_buffer firstBuffer(const Buffers& buffers) {
        for (auto it = boost::asio::buffer_sequence_begin(buffers);
             it != boost::asio::buffer_sequence_end(buffers); ++it)
            if (boost::asio::mutable_buffer(*it).size() != 0)
                return *it;
        return {};
    }

    /// TLS writes one buffer per record: a head and a body given apart would cost two records and
    /// two writes. Small gathers are copied into one (what the stream reports as written counts
    /// bytes of the gather, as for a scatter-gather write).
    template <typename Buffers> boost::asio::const_buffer gathered(const Buffers& buffers);

    Socket m_socket; ///< the connection when plain; an unopened placeholder under TLS
    std::unique_ptr<TlsConnection> m_tls;
    bool m_isTls = false; ///< also when OpenSSL could not make m_tls: the handshake then fails
    std::string m_serverName;
    std::string m_gather; ///< TLS only: small gathered writes copied into one record
};

template <typename Buffers> boost::asio::const_buffer ClientStream::gathered(const Buffers& buffers) {
    constexpr std::size_t kRecord = 16 * 1024;
    const auto begin = boost::asio::buffer_sequence_begin(buffers);
    const auto end = boost::asio::buffer_sequence_end(buffers);
    std::size_t nonEmpty = 0;
    boost::asio::const_buffer single;
    for (auto it = begin; it != end; ++it) {
        const boost::asio::const_buffer b(*it);
        if (b.size() != 0 && nonEmpty++ == 0)
            single = b;
    }
    if (nonEmpty <= 1)
        return single;
    m_gather.clear();
    for (auto it = begin; it != end && m_gather.size() < kRecord; ++it) {
        const boost::asio::const_buffer b(*it);
        const std::size_t take = std::min(b.size(), kRecord - m_gather.size());
        m_gather.append(static_cast<const char*>(b.data()), take);
    }
    return boost::asio::buffer(m_gather);
}

} // namespace sluice::proxy
