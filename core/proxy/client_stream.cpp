// SPDX-License-Identifier: Apache-2.0
#include "client_stream.h"

namespace sluice::proxy {

namespace asio = boost::asio;
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

std::size_t ClientStream::writeNow(const WriteBuffers& buffers) {
    if (!m_isTls)
        return writeImmediately(m_socket, buffers);
    if (!m_tls)
        return 0;
    std::size_t taken = 0;
    const std::size_t total = totalSize(buffers);
    while (taken < total) {
        const asio::const_buffer record = gathered(skipBytes(buffers, taken));
        const TlsConnection::Step step = m_tls->write(record.data(), record.size());
        if (step.want != TlsConnection::Want::Nothing || step.error)
            break; // async_write offers the same bytes again (OpenSSL's record begun), or reports
        taken += step.bytes;
    }
    return taken;
}

} // namespace sluice::proxy
