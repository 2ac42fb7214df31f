// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "asio_executor.h"

// Internal to core/proxy (includes Asio).

#include <array>
#include <cstddef>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <sys/socket.h>
#include <sys/uio.h>

namespace sluice::proxy {

using WriteBuffers = std::array<boost::asio::const_buffer, 2>;

/// Sends what the socket takes right now, without waiting: one sendmsg with MSG_DONTWAIT. On
/// loopback and on any socket whose send buffer has room that is the whole message, and the
/// asynchronous write (an operation, a trip through the scheduler and a coroutine resume) is
/// skipped; the caller waits only for what is left. Returns the bytes sent; 0 when the socket
/// would block or failed (the asynchronous write that follows reports the error).
/// Only while no other write is pending on the socket (the HTTP/1.1 session writes in turn).
inline std::size_t writeImmediately(TcpSocket& socket, const WriteBuffers& buffers) {
    std::array<iovec, 2> iov{};
    for (std::size_t i = 0; i < buffers.size(); ++i)
        iov[i] = {const_cast<void*>(buffers[i].data()), buffers[i].size()}; // sendmsg does not write
    msghdr message{};
    message.msg_iov = iov.data();
    message.msg_iovlen = iov.size();
    const ssize_t sent = ::sendmsg(socket.native_handle(), &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    return sent > 0 ? static_cast<std::size_t>(sent) : 0;
}

/// `buffers` without their first `n` bytes.
inline WriteBuffers skipBytes(WriteBuffers buffers, std::size_t n) {
    for (auto& b : buffers) {
        const std::size_t k = n < b.size() ? n : b.size();
        b += k;
        n -= k;
    }
    return buffers;
}

inline std::size_t totalSize(const WriteBuffers& buffers) {
    return buffers[0].size() + buffers[1].size();
}

} // namespace sluice::proxy
