// SPDX-License-Identifier: Apache-2.0
#pragma once

// A --port-offset for tests that run `sluice serve` itself (which binds Gateway ports P + offset).

#include <cstdint>
#include <initializer_list>

#include <QRandomGenerator>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sluice::test {

/// True when nothing listens on 127.0.0.1:`port` now.
inline bool portIsFree(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(static_cast<std::uint16_t>(port));
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool free = ::bind(fd, reinterpret_cast<const sockaddr*>(&at), sizeof at) == 0;
    ::close(fd);
    return free;
}

/// An offset whose Gateway ports 80, 81 and 443 are free now and below Linux's ephemeral range
/// (32768 and up), where other tests' client and replica sockets come and go.
inline int freePortOffset() {
    for (;;) {
        const int offset = 20000 + QRandomGenerator::global()->bounded(12000);
        bool free = true;
        for (const int port : {80, 81, 443})
            free = free && portIsFree(offset + port);
        if (free)
            return offset;
    }
}

} // namespace sluice::test
