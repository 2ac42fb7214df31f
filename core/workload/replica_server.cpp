// SPDX-License-Identifier: Apache-2.0
#include "replica_server.h"

#include "proxy/access_log.h"
#include "proxy/http1_request_parser.h"
#include "proxy/mesh_caller.h"
#include "proxy/response_writers.h"

#include <array>
#include <chrono>
#include <cstring>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

namespace sluice::workload {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

/// One call the replica made, as its answer reports it.
void callJson(const proxy::MeshCallResult& r, std::string& out) {
    out += "{\"service\":";
    proxy::appendJsonString(out, r.service);
    out += ",\"port\":" + std::to_string(r.port) + ",\"path\":";
    proxy::appendJsonString(out, r.path);
    out += ",\"cluster\":";
    proxy::appendJsonString(out, r.cluster);
    out += ",\"status\":" + std::to_string(r.status) + ",\"workload\":";
    proxy::appendJsonString(out, r.workload);
    out += ",\"flags\":";
    proxy::appendJsonString(out, r.flags);
    out += ",\"attempts\":" + std::to_string(r.attempts) + ",\"millis\":" + std::to_string(r.millis);
    if (!r.error.empty()) {
        out += ",\"error\":";
        proxy::appendJsonString(out, r.error);
    }
    // The callee's own answer, nested as is when it is a JSON document (the call graph below it).
    if (!r.body.empty() && nlohmann::json::accept(r.body)) {
        std::string_view body = r.body;
        while (!body.empty() && (body.back() == '\n' || body.back() == ' '))
            body.remove_suffix(1);
        out += ",\"response\":";
        out += body;
    }
    out += '}';
}

/// The echo body: who answered, the request as received, and the calls made for it.
void echoBody(const std::string& workload, const proxy::RequestHead& head,
              const std::vector<proxy::MeshCallResult>& calls, std::string& out) {
    out += "{\"workload\":";
    proxy::appendJsonString(out, workload);
    out += ",\"method\":";
    proxy::appendJsonString(out, head.method);
    out += ",\"path\":";
    proxy::appendJsonString(out, head.target);
    out += ",\"host\":";
    proxy::appendJsonString(out, head.host);
    out += ",\"headers\":{";
    bool first = true;
    for (const auto& f : head.fields) {
        if (!first)
            out += ',';
        first = false;
        proxy::appendJsonString(out, f.name);
        out += ':';
        proxy::appendJsonString(out, f.value);
    }
    out += '}';
    if (!calls.empty()) {
        out += ",\"calls\":[";
        for (std::size_t i = 0; i < calls.size(); ++i) {
            if (i)
                out += ',';
            callJson(calls[i], out);
        }
        out += ']';
    }
    out += "}\n";
}

asio::awaitable<void> serveConnection(ReplicaServer& replica, tcp::socket socket, unsigned worker) {
    error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    proxy::Http1RequestParser parser;
    std::string in(16 * 1024, '\0');
    std::size_t used = 0;
    std::string out;
    std::string body;
    std::vector<proxy::MeshCallResult> calls;
    routing::Rng rng(static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                     replica.served() * 0x9E3779B97F4A7C15ull);
    asio::steady_timer timer(socket.get_executor());
    const auto readMore = [&]() -> asio::awaitable<bool> {
        if (in.size() - used < 4096)
            in.resize(in.size() * 2);
        const std::size_t n = co_await socket.async_read_some(
            asio::buffer(in.data() + used, in.size() - used), asio::redirect_error(asio::use_awaitable, ec));
        used += n;
        co_return !ec && n > 0;
    };
    for (;;) {
        auto step = parser.parseHead({in.data(), used});
        while (step.progress == proxy::Http1RequestParser::Progress::NeedMore) {
            if (!co_await readMore())
                co_return;
            step = parser.parseHead({in.data(), used});
        }
        bool keepAlive = parser.head().keepAlive;
        int status = 0;
        out.clear();
        body.clear();
        if (step.progress == proxy::Http1RequestParser::Progress::Failed) {
            status = parser.error().status;
            keepAlive = false;
            body = parser.error().reason + "\n";
        } else {
            const auto plan = replica.identity().behaviour.next(rng, replica.nextIndex());
            status = plan.status;
            // The calls come first (the head's views stay valid: nothing is read meanwhile).
            calls.clear();
            if (const auto& c = replica.calls(); c.sidecar)
                for (const proxy::MeshCall& call : c.calls)
                    calls.push_back(co_await c.sidecar->call(worker, call, parser.head()));
            echoBody(replica.identity().name, parser.head(), calls, body);
            if (plan.bodyBytes)
                body.resize(static_cast<std::size_t>(*plan.bodyBytes), ' ');
            // The body is read (and dropped) before answering, as a real service would.
            std::size_t consumed = step.consumed;
            auto rest = parser.parseBody({in.data() + consumed, used - consumed});
            consumed += rest.consumed;
            while (rest.progress == proxy::Http1RequestParser::Progress::NeedMore) {
                std::memmove(in.data(), in.data() + consumed, used - consumed);
                used -= consumed;
                consumed = 0;
                if (!co_await readMore())
                    co_return;
                rest = parser.parseBody({in.data(), used});
                consumed = rest.consumed;
            }
            if (rest.progress == proxy::Http1RequestParser::Progress::Failed)
                co_return;
            step.consumed = consumed;
            if (plan.delay.count() > 0) {
                timer.expires_after(plan.delay);
                co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }
        }
        out += "HTTP/1.1 ";
        out += std::to_string(status);
        out += ' ';
        out += proxy::LocalReplyWriter::reason(status);
        out += "\r\ncontent-type: application/json\r\nx-sluice-workload: ";
        out += replica.identity().name;
        out += "\r\ncontent-length: ";
        out += std::to_string(body.size());
        out += keepAlive ? "\r\n\r\n" : "\r\nconnection: close\r\n\r\n";
        const bool head = parser.head().method == "HEAD";
        const std::array<asio::const_buffer, 2> buffers{asio::buffer(out),
                                                        asio::buffer(body.data(), head ? 0 : body.size())};
        co_await asio::async_write(socket, buffers, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !keepAlive)
            break;
        std::memmove(in.data(), in.data() + step.consumed, used - step.consumed);
        used -= step.consumed;
        parser.reset();
    }
    socket.shutdown(tcp::socket::shutdown_both, ec);
}

asio::awaitable<void> acceptLoop(ReplicaServer& replica, std::shared_ptr<tcp::acceptor> acceptor,
                                 unsigned worker) {
    for (;;) {
        error_code ec;
        tcp::socket socket = co_await acceptor->async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (!acceptor->is_open() || ec == asio::error::operation_aborted)
            co_return;
        if (!ec)
            asio::co_spawn(acceptor->get_executor(), serveConnection(replica, std::move(socket), worker),
                           asio::detached);
    }
}

} // namespace

class ReplicaServer::Listeners {
public:
    std::vector<std::shared_ptr<tcp::acceptor>> acceptors;
};

ReplicaServer::ReplicaServer(ReplicaIdentity identity, ReplicaCalls calls)
    : m_identity(std::move(identity))
    , m_calls(std::move(calls))
    , m_listeners(std::make_unique<Listeners>()) {}

ReplicaServer::~ReplicaServer() = default;

std::string ReplicaServer::listenOn(asio::io_context& context, std::uint16_t port, unsigned worker) {
    if (port == 0)
        port = m_port;
    auto acceptor = std::make_shared<tcp::acceptor>(context);
    const tcp::endpoint at(asio::ip::address_v4::loopback(), port);
    error_code ec;
    acceptor->open(at.protocol(), ec);
    if (!ec)
        acceptor->set_option(ReusePort(true), ec);
    if (!ec)
        acceptor->bind(at, ec);
    if (!ec)
        acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return "workload " + m_identity.name + " cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
               ec.message();
    m_port = acceptor->local_endpoint().port();
    m_listeners->acceptors.push_back(acceptor);
    asio::co_spawn(context, acceptLoop(*this, acceptor, worker), asio::detached);
    return {};
}

void ReplicaServer::stop() {
    for (auto& acceptor : m_listeners->acceptors)
        asio::post(acceptor->get_executor(), [acceptor] {
            error_code ignored;
            acceptor->close(ignored);
        });
}

} // namespace sluice::workload
