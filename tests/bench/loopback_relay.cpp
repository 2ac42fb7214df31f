// SPDX-License-Identifier: Apache-2.0
// sluice-bench-relay: the least any proxy can add here. A single-threaded epoll relay that opens one
// upstream connection per client connection and copies bytes both ways without looking at them: no
// parsing, no routing, no allocation per request. proxy_bench.sh runs it as the proxy under test of
// an -L row, so the latency it adds at ~1,000 rps (a wake-up, two context switches and four system
// calls on a CPU that idles between requests) is the floor the proxies' rows are read against.
// Usage: sluice-bench-relay LISTEN_PORT UPSTREAM_PORT   (both on 127.0.0.1; runs until killed)

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

/// One direction's bytes not yet accepted by the receiving socket.
struct Side {
    int fd = -1;
    int peer = -1;
    std::string pending;  ///< what `peer` has not taken yet; reading from `fd` pauses meanwhile
    bool waiting = false; ///< `pending` waits for the peer's EPOLLOUT (the epoll masks say so)
};

sockaddr_in loopback(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

class Relay {
public:
    Relay(int listener, int upstreamPort)
        : m_listener(listener)
        , m_upstreamPort(upstreamPort)
        , m_epoll(epoll_create1(EPOLL_CLOEXEC)) {
        watch(m_listener, EPOLLIN, EPOLL_CTL_ADD);
    }

    [[noreturn]] void run() {
        epoll_event events[64];
        for (;;) {
            const int n = epoll_wait(m_epoll, events, 64, -1);
            for (int i = 0; i < n; ++i) {
                const int fd = events[i].data.fd;
                if (fd == m_listener)
                    accept();
                else
                    serve(fd, events[i].events);
            }
        }
    }

private:
    void serve(int fd, std::uint32_t events) {
        if (fd >= static_cast<int>(m_sides.size()) || m_sides[fd].fd != fd)
            return; // closed earlier in this batch
        Side& side = m_sides[fd];
        if (events & EPOLLOUT)
            flush(m_sides[side.peer]);
        if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && side.fd == fd && side.pending.empty())
            copy(side);
    }

    /// A socket is read while what it sent last has all gone, and written when its peer's bytes wait.
    void rearm(const Side& side) {
        const Side& peer = m_sides[side.peer];
        watch(side.fd, (side.pending.empty() ? EPOLLIN : 0u) | (peer.pending.empty() ? 0u : EPOLLOUT),
              EPOLL_CTL_MOD);
    }

    void watch(int fd, std::uint32_t events, int op) {
        epoll_event ev{};
        ev.events = events;
        ev.data.fd = fd;
        epoll_ctl(m_epoll, op, fd, &ev);
    }

    void accept() {
        const int client = accept4(m_listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (client < 0)
            return;
        const int upstream = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const sockaddr_in to = loopback(m_upstreamPort);
        // A blocking connect on loopback completes at once; then both sockets go non-blocking.
        if (upstream < 0 || connect(upstream, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
            close(client);
            if (upstream >= 0)
                close(upstream);
            return;
        }
        const int one = 1;
        for (int fd : {client, upstream}) {
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            if (fd >= static_cast<int>(m_sides.size()))
                m_sides.resize(fd + 1);
        }
        setNonBlocking(upstream);
        m_sides[client] = {client, upstream, {}, false};
        m_sides[upstream] = {upstream, client, {}, false};
        watch(client, EPOLLIN, EPOLL_CTL_ADD);
        watch(upstream, EPOLLIN, EPOLL_CTL_ADD);
    }

    static void setNonBlocking(int fd) {
        const int flags = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    }

    void copy(Side& from) {
        const ssize_t n = recv(from.fd, m_buffer, sizeof m_buffer, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            closePair(from);
            return;
        }
        if (n < 0)
            return;
        from.pending.assign(m_buffer, static_cast<std::size_t>(n));
        flush(from);
    }

    /// Sends what `from` read to its peer; what the peer does not take waits for EPOLLOUT, and
    /// `from` is not read again until it has all gone (back-pressure, as a proxy's).
    void flush(Side& from) {
        Side& to = m_sides[from.peer];
        const bool wasWaiting = from.waiting;
        while (!from.pending.empty()) {
            const ssize_t n = send(to.fd, from.pending.data(), from.pending.size(), MSG_NOSIGNAL);
            if (n < 0 && errno == EAGAIN)
                break;
            if (n < 0) {
                closePair(from);
                return;
            }
            from.pending.erase(0, static_cast<std::size_t>(n));
        }
        from.waiting = !from.pending.empty();
        if (from.waiting != wasWaiting) { // the common case, all sent at once, costs no epoll_ctl
            rearm(from);
            rearm(to);
        }
    }

    void closePair(Side& side) {
        Side& peer = m_sides[side.peer];
        for (Side* s : {&side, &peer}) {
            close(s->fd);
            *s = Side{};
        }
    }

    int m_listener;
    int m_upstreamPort;
    int m_epoll;
    std::vector<Side> m_sides; ///< by descriptor
    char m_buffer[64 * 1024];
};

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: sluice-bench-relay LISTEN_PORT UPSTREAM_PORT\n");
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);
    const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const sockaddr_in at = loopback(std::atoi(argv[1]));
    if (bind(listener, reinterpret_cast<const sockaddr*>(&at), sizeof at) != 0 ||
        listen(listener, 1024) != 0) {
        std::perror("sluice-bench-relay: listen");
        return 2;
    }
    Relay(listener, std::atoi(argv[2])).run();
}
