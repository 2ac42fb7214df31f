// SPDX-License-Identifier: Apache-2.0
#include "tunnel_upstreams.h"

#include <utility>

#include <arpa/inet.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace sluice::test {
namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

std::uint16_t boundPort(int fd) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    return ntohs(a.sin_port);
}

} // namespace

LoopbackServer::LoopbackServer() {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in a = loopback(0);
    ::bind(m_listen, reinterpret_cast<const sockaddr*>(&a), sizeof a);
    ::listen(m_listen, 64);
    m_port = boundPort(m_listen);
}

LoopbackServer::~LoopbackServer() = default;

void LoopbackServer::start() {
    m_thread = std::thread([this] {
        for (;;) {
            const int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0 || m_stopping)
                break;
            const std::lock_guard lock(m_mutex);
            m_open.push_back(fd);
            m_connections.emplace_back([this, fd] {
                serve(fd);
                ::close(fd);
            });
        }
    });
}

void LoopbackServer::stop() {
    m_stopping = true;
    ::shutdown(m_listen, SHUT_RDWR); // wakes accept()
    if (m_thread.joinable())
        m_thread.join();
    ::close(m_listen);
    const std::lock_guard lock(m_mutex);
    for (int fd : m_open)
        ::shutdown(fd, SHUT_RDWR); // wakes a connection still reading
    for (auto& t : m_connections)
        t.join();
}

void HalfCloseEchoServer::serve(int fd) {
    char buffer[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0)
            break;
        if (!sendAll(fd, std::string(buffer, static_cast<std::size_t>(n))))
            return;
    }
    // The client's half-close arrived: data still flows the other way, then our own close.
    sendAll(fd, "EOF-SEEN\n");
    ::shutdown(fd, SHUT_WR);
}

void WebSocketEchoServer::serve(int fd) {
    namespace beast = boost::beast;
    boost::asio::io_context context;
    boost::asio::ip::tcp::socket socket(context);
    socket.assign(boost::asio::ip::tcp::v4(), ::dup(fd));
    beast::websocket::stream<boost::asio::ip::tcp::socket> ws(std::move(socket));
    beast::error_code ec;
    ws.accept(ec);
    while (!ec) {
        beast::flat_buffer message;
        ws.read(message, ec);
        if (ec)
            break;
        ws.text(ws.got_text());
        ws.write(message.data(), ec);
    }
}

std::uint16_t closedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in a = loopback(0);
    ::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a);
    const std::uint16_t port = boundPort(fd);
    ::close(fd);
    return port;
}

int connectLoopback(std::uint16_t port, int timeoutSeconds) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv{timeoutSeconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    const sockaddr_in a = loopback(port);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

std::string readAll(int fd, std::size_t limit) {
    std::string out;
    char buffer[16384];
    while (out.size() < limit) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0)
            break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
}

bool sendAll(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace sluice::test
