// SPDX-License-Identifier: Apache-2.0
#pragma once

// One keep-alive client connection driven by hand, for tests that need the same connection across
// something happening on the server (a reload, a drain), which curl cannot hold open.

#include <string>
#include <string_view>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace sluice::test {

class RawHttpConnection {
public:
    /// Connects to 127.0.0.1:`port`; reads give up after 5 s.
    explicit RawHttpConnection(int port) {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in at{};
        at.sin_family = AF_INET;
        at.sin_port = htons(static_cast<std::uint16_t>(port));
        at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const timeval timeout{5, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        m_connected = ::connect(m_fd, reinterpret_cast<const sockaddr*>(&at), sizeof at) == 0;
    }
    ~RawHttpConnection() { ::close(m_fd); }
    RawHttpConnection(const RawHttpConnection&) = delete;
    RawHttpConnection& operator=(const RawHttpConnection&) = delete;

    [[nodiscard]] bool connected() const { return m_connected; }

    /// Sends `request` and returns the response head and body (a body of Content-Length bytes),
    /// or what arrived before the peer closed or the read timed out.
    std::string exchange(std::string_view request) {
        if (::send(m_fd, request.data(), request.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(request.size()))
            return {};
        std::string in;
        char buffer[4096];
        for (;;) {
            const auto end = in.find("\r\n\r\n");
            if (end != std::string::npos) {
                const auto at = in.find("content-length: ");
                const std::size_t length = at < end ? std::stoul(in.substr(at + 16)) : 0;
                if (in.size() >= end + 4 + length)
                    return in;
            }
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                return in;
            in.append(buffer, static_cast<std::size_t>(n));
        }
    }

    /// True when the peer closes the connection (within the read timeout).
    bool closedByPeer() {
        char byte;
        return ::recv(m_fd, &byte, 1, 0) == 0;
    }

private:
    int m_fd = -1;
    bool m_connected = false;
};

} // namespace sluice::test
