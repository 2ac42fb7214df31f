// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio).

#include "asio_executor.h"
#include "immediate_write.h"

#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::proxy {

/// What a session knows of its downstream connection, read once when it begins.
struct ConnectionInfo {
    std::string clientAddress; ///< "127.0.0.1", for x-forwarded-for
    std::string remote;        ///< "127.0.0.1:51234" (access log); empty when unknown
    std::string local;         ///< "127.0.0.1:8443" (access log); empty when unknown
    std::string serverName;    ///< the SNI of a TLS connection (lower-case), else empty
};

/// The byte stream under a downstream connection, as a protocol session that runs over several
/// kinds of streams (plain TCP, TLS) sees it. Used at the connection level only: one virtual call
/// per read or write of a buffer, never per request or per byte.
class DownstreamTransport {
public:
    virtual ~DownstreamTransport() = default;
    virtual Awaitable<std::size_t> readSome(boost::asio::mutable_buffer buffer,
                                            boost::system::error_code& ec) = 0;
    virtual Awaitable<void> write(boost::asio::const_buffer buffer, boost::system::error_code& ec) = 0;
    /// Closes the connection; reads and writes in flight fail.
    virtual void close() = 0;
    [[nodiscard]] virtual const ConnectionInfo& info() const = 0;
};

/// DownstreamTransport over an Asio stream with the TCP socket's operations (TcpSocket, or
/// ClientStream: plain or TLS).
template <class Stream> class StreamTransport final : public DownstreamTransport {
public:
    explicit StreamTransport(Stream stream)
        : m_stream(std::move(stream)) {
        boost::system::error_code ec;
        const auto remote = m_stream.remote_endpoint(ec);
        m_info.clientAddress = ec ? std::string("127.0.0.1") : remote.address().to_string();
        if (!ec)
            m_info.remote = m_info.clientAddress + ":" + std::to_string(remote.port());
        const auto local = m_stream.local_endpoint(ec);
        if (!ec)
            m_info.local = local.address().to_string() + ":" + std::to_string(local.port());
        if constexpr (requires { m_stream.serverName(); })
            m_info.serverName = m_stream.serverName();
    }

    Awaitable<std::size_t> readSome(boost::asio::mutable_buffer buffer,
                                    boost::system::error_code& ec) override {
        co_return co_await m_stream.async_read_some(buffer, boost::asio::redirect_error(useAwaitable, ec));
    }

    Awaitable<void> write(boost::asio::const_buffer buffer, boost::system::error_code& ec) override {
        const WriteBuffers buffers{buffer, boost::asio::const_buffer()};
        std::size_t now = 0;
        if constexpr (requires { m_stream.writeNow(buffers); })
            now = m_stream.writeNow(buffers); // plain TCP as below, TLS in records
        else
            now = writeImmediately(m_stream, buffers);
        if (now != buffer.size())
            co_await boost::asio::async_write(m_stream, skipBytes(buffers, now)[0],
                                              boost::asio::redirect_error(useAwaitable, ec));
    }

    void close() override {
        boost::system::error_code ignored;
        m_stream.shutdown(TcpSocket::shutdown_both, ignored);
        m_stream.close(ignored);
    }

    [[nodiscard]] const ConnectionInfo& info() const override { return m_info; }

private:
    Stream m_stream;
    ConnectionInfo m_info;
};

} // namespace sluice::proxy
