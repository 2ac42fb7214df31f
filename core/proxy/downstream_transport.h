// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include <cstddef>
#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::proxy {

/// The byte stream under a downstream connection, as a protocol session that runs over several
/// kinds of streams (plain TCP, TLS) sees it. Used at the connection level only: one virtual call
/// per read or write of a buffer, never per request or per byte.
class DownstreamTransport {
public:
    virtual ~DownstreamTransport() = default;
    virtual boost::asio::awaitable<std::size_t> readSome(boost::asio::mutable_buffer buffer,
                                                         boost::system::error_code& ec) = 0;
    virtual boost::asio::awaitable<void> write(boost::asio::const_buffer buffer,
                                               boost::system::error_code& ec) = 0;
    /// Closes the connection; reads and writes in flight fail.
    virtual void close() = 0;
    /// The client's address ("127.0.0.1"), for x-forwarded-for.
    [[nodiscard]] virtual std::string remoteAddress() const = 0;
};

/// DownstreamTransport over any Asio stream whose lowest layer is a TCP socket (tcp::socket,
/// ssl::stream<tcp::socket>).
template <class Stream> class StreamTransport final : public DownstreamTransport {
public:
    explicit StreamTransport(Stream stream)
        : m_stream(std::move(stream)) {}

    boost::asio::awaitable<std::size_t> readSome(boost::asio::mutable_buffer buffer,
                                                 boost::system::error_code& ec) override {
        co_return co_await m_stream.async_read_some(
            buffer, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }

    boost::asio::awaitable<void> write(boost::asio::const_buffer buffer,
                                       boost::system::error_code& ec) override {
        co_await boost::asio::async_write(m_stream, buffer,
                                          boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }

    void close() override {
        boost::system::error_code ignored;
        auto& socket = m_stream.lowest_layer();
        socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
    }

    [[nodiscard]] std::string remoteAddress() const override {
        boost::system::error_code ec;
        const auto remote = m_stream.lowest_layer().remote_endpoint(ec);
        return ec ? std::string("127.0.0.1") : remote.address().to_string();
    }

private:
    Stream m_stream;
};

} // namespace sluice::proxy
