// SPDX-License-Identifier: Apache-2.0
#include "admin_server.h"

#include "asio_executor.h"
#include "response_writers.h"

#include <array>
#include <atomic>
#include <charconv>
#include <cstring>
#include <thread>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace sluice::proxy {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

/// One admin connection; shared with its timer's handler, which may run after the coroutine ends.
struct Connection {
    explicit Connection(TcpSocket s)
        : socket(std::move(s))
        , timer(socket.get_executor()) {}
    TcpSocket socket;
    SteadyTimer timer;
};

std::string_view dateNow(std::string& buffer) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    buffer = httpDate(std::chrono::duration_cast<std::chrono::seconds>(now).count());
    return buffer;
}

} // namespace

class AdminServer::Impl {
public:
    Impl(AdminOptions o, const AdminPages& p)
        : options(std::move(o))
        , pages(p) {}

    Awaitable<void> accept();
    Awaitable<void> serve(std::shared_ptr<Connection> connection);

    AdminOptions options;
    const AdminPages& pages;
    asio::io_context context{1};
    TcpAcceptor acceptor{context};
    std::thread thread;
    std::uint16_t port = 0;
    std::size_t connections = 0; ///< on the admin thread only
};

Awaitable<void> AdminServer::Impl::accept() {
    for (;;) {
        error_code ec;
        TcpSocket socket = co_await acceptor.async_accept(asio::redirect_error(useAwaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor.is_open())
            co_return;
        if (ec)
            continue;
        if (connections >= options.maxConnections) {
            socket.close(ec);
            continue;
        }
        asio::co_spawn(context, serve(std::make_shared<Connection>(std::move(socket))), asio::detached);
    }
}

Awaitable<void> AdminServer::Impl::serve(std::shared_ptr<Connection> c) {
    ++connections;
    Http1RequestParser parser(options.limits);
    std::string in(8 * 1024, '\0');
    std::size_t used = 0;
    std::string out;
    std::string date;
    for (;;) {
        // The whole request must arrive in time, else the connection is closed (slowloris).
        c->timer.expires_after(options.requestTimeout);
        c->timer.async_wait([c](const error_code& ec) {
            if (!ec) {
                error_code ignored;
                c->socket.close(ignored);
            }
        });
        auto step = parser.parseHead({in.data(), used});
        while (step.progress == Http1RequestParser::Progress::NeedMore) {
            if (in.size() - used < 1024)
                in.resize(in.size() * 2);
            error_code ec;
            const std::size_t n = co_await c->socket.async_read_some(
                asio::buffer(in.data() + used, in.size() - used), asio::redirect_error(useAwaitable, ec));
            if (ec || n == 0)
                break;
            used += n;
            step = parser.parseHead({in.data(), used});
        }
        c->timer.cancel();
        if (step.progress == Http1RequestParser::Progress::NeedMore)
            break; // closed or timed out
        out.clear();
        bool keepAlive = false;
        if (step.progress == Http1RequestParser::Progress::Failed) {
            LocalReplyWriter::write(parser.error().status, parser.error().reason + "\n", {}, nullptr, {},
                                    false, dateNow(date), out);
        } else {
            const RequestHead& head = parser.head();
            keepAlive = head.keepAlive && !head.hasBody();
            const AdminReply reply = pages.answer(head.method, head.target);
            routing::HeaderOperations allow;
            if (reply.getOnly)
                allow.set.emplace_back("allow", "GET");
            LocalReplyWriter::write(reply.status, reply.body, reply.contentType, &allow, {}, keepAlive,
                                    dateNow(date), out);
        }
        error_code ec;
        co_await asio::async_write(c->socket, asio::buffer(out), asio::redirect_error(useAwaitable, ec));
        if (ec || !keepAlive)
            break;
        std::memmove(in.data(), in.data() + step.consumed, used - step.consumed);
        used -= step.consumed;
        parser.reset();
    }
    error_code ignored;
    c->socket.shutdown(TcpSocket::shutdown_both, ignored);
    c->socket.close(ignored);
    --connections;
}

AdminServer::AdminServer(AdminOptions options, const AdminPages& pages)
    : m_impl(std::make_unique<Impl>(std::move(options), pages)) {}

AdminServer::~AdminServer() {
    stop();
}

std::string AdminServer::start() {
    Impl& s = *m_impl;
    if (s.thread.joinable())
        return "the admin endpoint was started before";
    error_code ec;
    const asio::ip::address address = asio::ip::make_address(s.options.address, ec);
    if (ec)
        return "admin address \"" + s.options.address + "\" is not an IP address";
    const tcp::endpoint at(address, s.options.port);
    s.acceptor.open(at.protocol(), ec);
    if (!ec)
        s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        s.acceptor.bind(at, ec);
    if (!ec)
        s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return "cannot listen on " + s.options.address + ":" + std::to_string(s.options.port) +
               " (admin): " + ec.message();
    s.port = s.acceptor.local_endpoint().port();
    asio::co_spawn(s.context, s.accept(), asio::detached);
    s.thread = std::thread([&s] { s.context.run(); });
    return {};
}

void AdminServer::stop() {
    Impl& s = *m_impl;
    if (!s.thread.joinable())
        return;
    s.context.stop();
    s.thread.join();
    error_code ignored;
    s.acceptor.close(ignored);
}

std::uint16_t AdminServer::port() const {
    return m_impl->port;
}

bool parseAdminAddress(std::string_view text, AdminOptions& options) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return false;
    std::string_view host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    const std::string_view digits = text.substr(colon + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || end != digits.data() + digits.size() || port > 65535)
        return false;
    error_code bad;
    (void)asio::ip::make_address(std::string(host), bad);
    if (bad)
        return false;
    options.address = std::string(host);
    options.port = static_cast<std::uint16_t>(port);
    return true;
}

} // namespace sluice::proxy
