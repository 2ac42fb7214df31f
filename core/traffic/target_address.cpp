// SPDX-License-Identifier: Apache-2.0
#include "target_address.h"

#include <cerrno>
#include <charconv>
#include <cstring>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sluice::traffic {
namespace {

struct HostPort {
    std::string host;
    std::optional<std::uint16_t> port;
};

std::optional<HostPort> splitAuthority(std::string_view a) {
    HostPort out;
    std::string_view portText;
    bool hasPort = false;
    if (a.starts_with('[')) {
        const std::size_t close = a.find(']');
        if (close == std::string_view::npos)
            return std::nullopt;
        out.host = std::string(a.substr(1, close - 1));
        if (close + 1 < a.size()) {
            if (a[close + 1] != ':')
                return std::nullopt;
            portText = a.substr(close + 2);
            hasPort = true;
        }
    } else {
        const std::size_t colon = a.rfind(':');
        out.host = std::string(a.substr(0, colon));
        if (colon != std::string_view::npos) {
            portText = a.substr(colon + 1);
            hasPort = true;
        }
    }
    if (hasPort) {
        unsigned port = 0;
        const auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
        if (ec != std::errc() || end != portText.data() + portText.size() || port == 0 || port > 65535)
            return std::nullopt;
        out.port = static_cast<std::uint16_t>(port);
    }
    if (out.host.empty())
        return std::nullopt;
    return out;
}

} // namespace

std::string authorityHost(std::string_view authority) {
    const auto hp = splitAuthority(authority);
    return hp ? hp->host : std::string(authority);
}

std::optional<ResolvedTarget> resolveAuthority(std::string_view authority, std::uint16_t defaultPort,
                                               std::string& error) {
    const auto hp = splitAuthority(authority);
    if (!hp) {
        error = "`" + std::string(authority) + "` is not host[:port]";
        return std::nullopt;
    }
    ResolvedTarget t;
    t.port = hp->port.value_or(defaultPort);
    in6_addr v6{};
    in_addr v4{};
    if (inet_pton(AF_INET, hp->host.c_str(), &v4) == 1 || inet_pton(AF_INET6, hp->host.c_str(), &v6) == 1) {
        t.address = hp->host;
        return t;
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = AF_UNSPEC;
    addrinfo* found = nullptr;
    if (const int rc = getaddrinfo(hp->host.c_str(), nullptr, &hints, &found); rc != 0 || !found) {
        error = "cannot resolve " + hp->host + ": " + gai_strerror(rc);
        return std::nullopt;
    }
    const addrinfo* pick = found;
    for (const addrinfo* p = found; p; p = p->ai_next)
        if (p->ai_family == AF_INET) {
            pick = p;
            break;
        }
    char text[INET6_ADDRSTRLEN] = {};
    if (pick->ai_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(pick->ai_addr)->sin_addr, text, sizeof text);
    else
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(pick->ai_addr)->sin6_addr, text,
                  sizeof text);
    freeaddrinfo(found);
    t.address = text;
    return t;
}

std::string probeTarget(const ResolvedTarget& target, std::chrono::milliseconds timeout) {
    sockaddr_storage storage{};
    socklen_t length = 0;
    int family = AF_INET;
    if (inet_pton(AF_INET, target.address.c_str(), &reinterpret_cast<sockaddr_in*>(&storage)->sin_addr) ==
        1) {
        auto* a = reinterpret_cast<sockaddr_in*>(&storage);
        a->sin_family = AF_INET;
        a->sin_port = htons(target.port);
        length = sizeof(sockaddr_in);
    } else if (inet_pton(AF_INET6, target.address.c_str(),
                         &reinterpret_cast<sockaddr_in6*>(&storage)->sin6_addr) == 1) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(target.port);
        length = sizeof(sockaddr_in6);
        family = AF_INET6;
    } else {
        return "bad address " + target.address;
    }
    const int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return std::strerror(errno);
    std::string error;
    if (connect(fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
        if (errno != EINPROGRESS) {
            error = errno == ECONNREFUSED ? "connection refused" : std::strerror(errno);
        } else {
            pollfd p{fd, POLLOUT, 0};
            const int ready = poll(&p, 1, static_cast<int>(timeout.count()));
            int so = 0;
            socklen_t soLength = sizeof so;
            if (ready <= 0)
                error = "no answer within " + std::to_string(timeout.count()) + " ms";
            else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &soLength) != 0 || so != 0)
                error = so == ECONNREFUSED ? "connection refused" : std::strerror(so ? so : errno);
        }
    }
    close(fd);
    return error;
}

} // namespace sluice::traffic
