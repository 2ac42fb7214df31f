// SPDX-License-Identifier: Apache-2.0
#include "load_connections.h"
#include "proxy/asio_executor.h"

#include <utility>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <openssl/ssl.h>

namespace sluice::traffic {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

tcp::endpoint targetEndpoint(const LoadTarget& t, error_code& ec) {
    return {asio::ip::make_address(t.address, ec), t.port};
}

/// TCP connect under the deadline; empty or why not.
proxy::Awaitable<std::string> connectTcp(LoadWorker& worker, proxy::TcpSocket& socket,
                                         StreamDeadline& deadline) {
    error_code ec;
    const tcp::endpoint to = targetEndpoint(worker.shared().options.target, ec);
    if (ec)
        co_return "bad target address " + worker.shared().options.target.address;
    deadline.timedOut = false;
    deadline.at = Clock::now() + worker.shared().options.connectTimeout;
    co_await socket.async_connect(to, asio::redirect_error(proxy::useAwaitable, ec));
    deadline.at = Clock::time_point::max();
    if (ec)
        co_return deadline.timedOut ? std::string("connect timeout") : describeFailure(ec, false);
    socket.set_option(tcp::no_delay(true), ec);
    co_return std::string();
}

} // namespace

std::string describeFailure(const error_code& ec, bool timedOut) {
    if (timedOut)
        return "timeout";
    if (ec == asio::error::connection_refused)
        return "connection refused";
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated)
        return "connection closed by the server";
    if (ec == asio::error::connection_reset)
        return "connection reset by the server";
    return ec.message();
}

proxy::Awaitable<std::string> openStream(LoadWorker& worker, std::optional<TcpStream>& stream,
                                         StreamDeadline& deadline) {
    stream.emplace(worker.context());
    co_return co_await connectTcp(worker, *stream, deadline);
}

proxy::Awaitable<std::string> openStream(LoadWorker& worker, std::optional<TlsStream>& stream,
                                         StreamDeadline& deadline) {
    stream.emplace(worker.context(), *worker.shared().tls);
    if (std::string error = co_await connectTcp(worker, stream->next_layer(), deadline); !error.empty())
        co_return error;
    const LoadTarget& target = worker.shared().options.target;
    SSL* ssl = stream->native_handle();
    if (!target.tls.sni.empty())
        SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(target.tls.sni.c_str())); // SSL_set_tlsext_host_name, without its C cast
    static constexpr unsigned char kH2[] = {2, 'h', '2'};
    static constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    if (target.h2)
        SSL_set_alpn_protos(ssl, kH2, sizeof kH2);
    else
        SSL_set_alpn_protos(ssl, kHttp11, sizeof kHttp11);
    if (!target.tls.caFile.empty() && !target.tls.sni.empty())
        stream->set_verify_callback(asio::ssl::host_name_verification(target.tls.sni));
    error_code ec;
    deadline.timedOut = false;
    deadline.at = Clock::now() + worker.shared().options.connectTimeout;
    co_await stream->async_handshake(asio::ssl::stream_base::client,
                                     asio::redirect_error(proxy::useAwaitable, ec));
    deadline.at = Clock::time_point::max();
    if (ec)
        co_return deadline.timedOut ? std::string("TLS handshake timeout") : "TLS handshake: " + ec.message();
    if (target.h2) {
        const unsigned char* alpn = nullptr;
        unsigned length = 0;
        SSL_get0_alpn_selected(ssl, &alpn, &length);
        if (length != 2 || alpn[0] != 'h' || alpn[1] != '2')
            co_return std::string("the server did not agree to h2 (ALPN): it does not speak HTTP/2 over TLS");
    }
    co_return std::string();
}

void closeStream(std::optional<TcpStream>& stream) {
    if (!stream || !stream->is_open())
        return;
    error_code ignored;
    stream->shutdown(proxy::TcpSocket::shutdown_both, ignored);
    stream->close(ignored);
}

void closeStream(std::optional<TlsStream>& stream) {
    if (!stream || !stream->next_layer().is_open())
        return;
    error_code ignored;
    stream->next_layer().shutdown(proxy::TcpSocket::shutdown_both, ignored);
    stream->next_layer().close(ignored);
}

} // namespace sluice::traffic
