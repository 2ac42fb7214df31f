// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy: includes Asio and its OpenSSL layer.

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

namespace sluice::proxy {

/// The downstream side of a connection: a plain TCP socket, or TLS over it. Reads and writes
/// branch on which one it is (no virtual call, nothing allocated for plain TCP), so the HTTP
/// session and the tunnel serve both through the same code. Models Asio's AsyncReadStream and
/// AsyncWriteStream; the socket operations the session uses (remote_endpoint, set_option,
/// shutdown, close) reach the TCP socket underneath.
class ClientStream {
public:
    using Socket = boost::asio::ip::tcp::socket;
    using TlsStream = boost::asio::ssl::stream<Socket>;
    using executor_type = Socket::executor_type;

    explicit ClientStream(Socket socket)
        : m_socket(std::move(socket)) {}
    /// TLS over `socket` with `context` (the filter chain's); handshake before reading or writing.
    /// `serverName` is the SNI the client sent (lower-case; empty when none).
    ClientStream(Socket socket, boost::asio::ssl::context& context, std::string serverName)
        : m_socket(socket.get_executor())
        , m_tls(std::in_place, std::move(socket), context)
        , m_serverName(std::move(serverName)) {}

    ClientStream(ClientStream&&) = default;
    ClientStream& operator=(ClientStream&&) = delete;

    [[nodiscard]] executor_type get_executor() { return m_socket.get_executor(); }
    [[nodiscard]] bool tls() const { return m_tls.has_value(); }
    /// The TCP socket (under TLS, the TLS stream's).
    [[nodiscard]] Socket& socket() { return m_tls ? m_tls->next_layer() : m_socket; }
    [[nodiscard]] const std::string& serverName() const { return m_serverName; }
    /// The ALPN protocol agreed in the handshake ("h2" or "http/1.1"), or empty: without ALPN the
    /// client speaks HTTP/1.1.
    [[nodiscard]] std::string_view negotiatedProtocol() const {
        if (!m_tls)
            return {};
        const unsigned char* data = nullptr;
        unsigned length = 0;
        SSL_get0_alpn_selected(const_cast<TlsStream&>(*m_tls).native_handle(), &data, &length);
        return {reinterpret_cast<const char*>(data), length};
    }

    /// Server handshake, starting with `alreadyRead`: the ClientHello bytes the proxy read to
    /// pick the filter chain.
    template <typename Token> auto async_handshake(std::string_view alreadyRead, Token&& token) {
        return m_tls->async_handshake(boost::asio::ssl::stream_base::server,
                                      boost::asio::buffer(alreadyRead.data(), alreadyRead.size()),
                                      std::forward<Token>(token));
    }
    /// TLS only: sends close_notify and waits for the peer's (bound it with a timer that closes).
    template <typename Token> auto async_shutdown(Token&& token) {
        return m_tls->async_shutdown(std::forward<Token>(token));
    }

    template <typename Buffers, typename Token> auto async_read_some(const Buffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const Buffers& b) {
                if (m_tls)
                    m_tls->async_read_some(b, std::move(handler));
                else
                    m_socket.async_read_some(b, std::move(handler));
            },
            token, buffers);
    }

    /// async_read_some, started once the worker's other ready work has run. For the next request
    /// on a keep-alive connection, which is seldom there the moment a response has gone out: Asio
    /// reads speculatively before it waits, and that read would be a failed recv (measured: 0.8
    /// per request under load, at about a microsecond each here). An idle worker comes straight
    /// back to it.
    template <typename Buffers, typename Token>
    auto async_read_some_after_ready_work(const Buffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const Buffers& b) {
                boost::asio::post(m_socket.get_executor(), [this, b, handler = std::move(handler)]() mutable {
                    if (m_tls)
                        m_tls->async_read_some(b, std::move(handler));
                    else
                        m_socket.async_read_some(b, std::move(handler));
                });
            },
            token, buffers);
    }

    template <typename Buffers, typename Token> auto async_write_some(const Buffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const Buffers& b) {
                if (!m_tls)
                    m_socket.async_write_some(b, std::move(handler));
                else
                    m_tls->async_write_some(gathered(b), std::move(handler));
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
    /// TLS writes one buffer per record: a head and a body given apart would cost two records and
    /// two writes. Small gathers are copied into one (what the stream reports as written counts
    /// bytes of the gather, as for a scatter-gather write).
    template <typename Buffers> boost::asio::const_buffer gathered(const Buffers& buffers) {
        constexpr std::size_t kRecord = 16 * 1024;
        const auto begin = boost::asio::buffer_sequence_begin(buffers);
        const auto end = boost::asio::buffer_sequence_end(buffers);
        std::size_t nonEmpty = 0;
        const void* single = nullptr;
        std::size_t singleSize = 0;
        for (auto it = begin; it != end; ++it) {
            const boost::asio::const_buffer b(*it);
            if (b.size() == 0)
                continue;
            if (nonEmpty++ == 0) {
                single = b.data();
                singleSize = b.size();
            }
        }
        if (nonEmpty <= 1)
            return {single, singleSize};
        m_gather.clear();
        for (auto it = begin; it != end && m_gather.size() < kRecord; ++it) {
            const boost::asio::const_buffer b(*it);
            const std::size_t take = std::min(b.size(), kRecord - m_gather.size());
            m_gather.append(static_cast<const char*>(b.data()), take);
        }
        return boost::asio::buffer(m_gather);
    }

    Socket m_socket; ///< the connection when plain; an unopened placeholder under TLS
    std::optional<TlsStream> m_tls;
    std::string m_serverName;
    std::string m_gather; ///< TLS only: small gathered writes copied into one record
};

} // namespace sluice::proxy
