// SPDX-License-Identifier: Apache-2.0
#include "upstream_write.h"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::proxy {

namespace asio = boost::asio;

asio::awaitable<void> writeUpstream(asio::ip::tcp::socket& socket, WriteBuffers buffers,
                                    boost::system::error_code& ec) {
    co_await asio::post(socket.get_executor(), asio::use_awaitable);
    const std::size_t now = writeImmediately(socket, buffers);
    if (now != totalSize(buffers))
        co_await asio::async_write(socket, skipBytes(buffers, now),
                                   asio::redirect_error(asio::use_awaitable, ec));
}

} // namespace sluice::proxy
