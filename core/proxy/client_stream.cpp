// SPDX-License-Identifier: Apache-2.0
#include "client_stream.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::proxy {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

/// Waits until `socket` is ready for what `want` says.
asio::awaitable<void> waitFor(asio::ip::tcp::socket& socket, TlsConnection::Want want, error_code& ec) {
    co_await socket.async_wait(want == TlsConnection::Want::Readable ? asio::ip::tcp::socket::wait_read
                                                                     : asio::ip::tcp::socket::wait_write,
                               asio::redirect_error(asio::use_awaitable, ec));
}

} // namespace

ClientStream::ClientStream(Socket socket, asio::ssl::context& context, std::string serverName,
                           std::string alreadyRead)
    : m_socket(socket.get_executor())
    , m_tls(TlsConnection::make(std::move(socket), context.native_handle(), std::move(alreadyRead)))
    , m_isTls(true)
    , m_serverName(std::move(serverName)) {}

std::string_view ClientStream::negotiatedProtocol() const {
    if (!m_tls)
        return {};
    const unsigned char* data = nullptr;
    unsigned length = 0;
    SSL_get0_alpn_selected(m_tls->native_handle(), &data, &length);
    return {reinterpret_cast<const char*>(data), length};
}

asio::awaitable<std::size_t> ClientStream::readSome(asio::mutable_buffer buffer, error_code& ec,
                                                    bool afterReadyWork) {
    if (afterReadyWork)
        co_await asio::post(m_socket.get_executor(), asio::use_awaitable);
    if (!m_isTls)
        co_return co_await m_socket.async_read_some(buffer, asio::redirect_error(asio::use_awaitable, ec));
    if (!m_tls) {
        ec = asio::error::not_connected;
        co_return 0;
    }
    for (;;) {
        const TlsConnection::Step step = m_tls->read(buffer.data(), buffer.size());
        if (step.want == TlsConnection::Want::Nothing) {
            ec = step.error;
            co_return step.bytes;
        }
        co_await waitFor(m_tls->socket(), step.want, ec);
        if (ec)
            co_return 0;
    }
}

asio::awaitable<void> ClientStream::writeAll(WriteBuffers buffers, error_code& ec) {
    if (!m_isTls) {
        const std::size_t now = writeImmediately(m_socket, buffers);
        if (now != totalSize(buffers))
            co_await asio::async_write(m_socket, skipBytes(buffers, now),
                                       asio::redirect_error(asio::use_awaitable, ec));
        co_return;
    }
    if (!m_tls) {
        ec = asio::error::not_connected;
        co_return;
    }
    while (totalSize(buffers) != 0) {
        // After Want::Writable the same bytes are gathered again (the record OpenSSL has begun).
        const asio::const_buffer record = gathered(buffers);
        const TlsConnection::Step step = m_tls->write(record.data(), record.size());
        if (step.error) {
            ec = step.error;
            co_return;
        }
        if (step.want != TlsConnection::Want::Nothing) {
            co_await waitFor(m_tls->socket(), step.want, ec);
            if (ec)
                co_return;
            continue;
        }
        buffers = skipBytes(buffers, step.bytes);
    }
}

} // namespace sluice::proxy
