// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy, core/workload and core/traffic (includes Asio).

#include <chrono>
#include <utility> // before Asio's awaitable.hpp on GCC 12 (std::exchange)

#include <boost/asio/awaitable.hpp>
#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sluice::proxy {

/// What every socket, timer and coroutine of the proxy, its workloads and the load generator runs
/// on: a worker's io_context, by its own executor type. Asio's default, any_io_executor, erases the
/// type: each handler's dispatch, work count and executor copy went through it, with an allocation
/// per dispatch. Measured with callgrind, a proxied request cost 2,300 instructions more over
/// HTTP/1.1 (17,490 against 15,171) and 3,200 more over HTTP/2 with it.
using Executor = boost::asio::io_context::executor_type;
template <typename T = void> using Awaitable = boost::asio::awaitable<T, Executor>;
using TcpSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;
using TcpAcceptor = boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, Executor>;
using SteadyTimer =
    boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                      boost::asio::wait_traits<std::chrono::steady_clock>, Executor>;
/// The completion token of the coroutines above.
inline constexpr boost::asio::use_awaitable_t<Executor> useAwaitable{};

} // namespace sluice::proxy
