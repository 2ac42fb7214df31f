// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <utility> // before Asio on GCC 12

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace sluice::test {

/// A connected TCP pair on loopback (an acceptor on port 0): {client, server}.
inline std::pair<boost::asio::ip::tcp::socket, boost::asio::ip::tcp::socket>
connectedPair(boost::asio::io_context& context) {
    using boost::asio::ip::tcp;
    tcp::acceptor acceptor(context, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    tcp::socket client(context);
    client.connect(acceptor.local_endpoint());
    tcp::socket server = acceptor.accept();
    return {std::move(client), std::move(server)};
}

} // namespace sluice::test
