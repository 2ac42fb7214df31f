// SPDX-License-Identifier: Apache-2.0
#include "http1_client.h"

#include "asio_executor.h"
#include "chunked_decoder.h"
#include "http1_response_parser.h"
#include "upstream_request_writer.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
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
using Clock = std::chrono::steady_clock;

} // namespace

std::optional<std::string> ClientResponse::header(std::string_view name) const {
    const auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    for (const auto& [k, v] : headers)
        if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(),
                                                  [&](char a, char b) { return lower(a) == lower(b); }))
            return v;
    return std::nullopt;
}

class Http1Client::Impl {
public:
    Impl(std::string a, std::uint16_t p, std::chrono::milliseconds t)
        : address(std::move(a))
        , port(p)
        , timeout(t) {}

    Awaitable<void> exchange(const ClientRequest& request, ClientResponse& response);
    /// Spawned with pointers (copied into the coroutine frame): awaitables start lazily.
    static Awaitable<void> run(Impl* self, const ClientRequest* request, ClientResponse* response,
                               bool* finished) {
        co_await self->exchange(*request, *response);
        *finished = true;
    }

    std::string address;
    std::uint16_t port;
    std::chrono::milliseconds timeout;
    asio::io_context context{1};
    std::optional<TcpSocket> socket;
};

Awaitable<void> Http1Client::Impl::exchange(const ClientRequest& request, ClientResponse& response) {
    error_code ec;
    const bool reused = socket.has_value();
    if (!socket) {
        socket.emplace(context);
        const tcp::endpoint to(asio::ip::make_address(address, ec), port);
        if (!ec)
            co_await socket->async_connect(to, asio::redirect_error(useAwaitable, ec));
        if (ec) {
            response.outcome = ec == asio::error::connection_refused ? ClientResponse::Outcome::Refused
                                                                     : ClientResponse::Outcome::Error;
            response.error = ec.message();
            socket.reset();
            co_return;
        }
    }
    std::string head = request.method + " " + request.target + " HTTP/1.1\r\nhost: " + request.host + "\r\n";
    for (const auto& [k, v] : request.headers)
        head += k + ": " + v + "\r\n";
    if (!request.body.empty())
        head += "content-length: " + std::to_string(request.body.size()) + "\r\n";
    head += "\r\n";
    head += request.body;
    co_await asio::async_write(*socket, asio::buffer(head), asio::redirect_error(useAwaitable, ec));
    Http1ResponseParser parser;
    parser.expect(request.method == "HEAD");
    std::string in(16 * 1024, '\0');
    std::size_t used = 0;
    std::string raw;
    bool headDone = false, done = false;
    while (!ec && !done) {
        if (in.size() - used < 4096)
            in.resize(in.size() * 2);
        const std::size_t n = co_await socket->async_read_some(
            asio::buffer(in.data() + used, in.size() - used), asio::redirect_error(useAwaitable, ec));
        if (ec || n == 0) {
            if (headDone && parser.finishAtEof() == Http1ResponseParser::Progress::Done)
                done = true;
            break;
        }
        used += n;
        if (!headDone) {
            const auto step = parser.parseHead({in.data(), used});
            if (step.progress == Http1ResponseParser::Progress::Failed) {
                response.error = "malformed response: " + parser.error();
                break;
            }
            if (step.progress == Http1ResponseParser::Progress::NeedMore)
                continue;
            headDone = true;
            response.status = parser.head().status;
            for (const auto& f : parser.head().fields)
                response.headers.emplace_back(std::string(f.name), std::string(f.value));
            std::memmove(in.data(), in.data() + step.consumed, used - step.consumed);
            used -= step.consumed;
        }
        const auto body = parser.parseBody({in.data(), used});
        if (body.progress == Http1ResponseParser::Progress::Failed) {
            response.error = "malformed response body: " + parser.error();
            break;
        }
        raw.append(in.data(), body.consumed);
        std::memmove(in.data(), in.data() + body.consumed, used - body.consumed);
        used -= body.consumed;
        done = body.progress == Http1ResponseParser::Progress::Done;
    }
    if (done) {
        response.outcome = ClientResponse::Outcome::Response;
        if (parser.head().chunked) { // the payload only (extensions and trailers dropped)
            ChunkedDecoder decoder;
            std::string payload;
            (void)decoder.decode(raw, payload); // the parser checked the framing
            raw = std::move(payload);
        }
        response.body = std::move(raw);
        if (!parser.head().keepAlive || parser.head().closeDelimited)
            socket.reset();
        co_return;
    }
    socket.reset();
    if (reused && !headDone && used == 0 && response.error.empty()) {
        response.outcome = ClientResponse::Outcome::Error; // a stale keep-alive connection: caller retries
        response.error = "stale";
        co_return;
    }
    response.outcome =
        response.error.empty() ? ClientResponse::Outcome::Reset : ClientResponse::Outcome::Error;
    if (response.error.empty())
        response.error = ec ? ec.message() : std::string("connection closed before a whole response");
}

Http1Client::Http1Client(std::string address, std::uint16_t port, std::chrono::milliseconds timeout)
    : m_impl(std::make_unique<Impl>(std::move(address), port, timeout)) {}

Http1Client::~Http1Client() = default;

ClientResponse Http1Client::send(const ClientRequest& request) {
    Impl& s = *m_impl;
    for (int attempt = 0; attempt < 2; ++attempt) {
        ClientResponse response;
        bool finished = false;
        const auto started = Clock::now();
        asio::co_spawn(s.context, Impl::run(&s, &request, &response, &finished), asio::detached);
        s.context.restart();
        s.context.run_for(s.timeout);
        if (!finished) { // out of time: close, let the exchange unwind
            if (s.socket) {
                error_code ignored;
                s.socket->close(ignored);
            }
            s.context.restart();
            s.context.run();
            s.socket.reset();
            response = ClientResponse{};
            response.outcome = ClientResponse::Outcome::Timeout;
            response.error = "no response within " + std::to_string(s.timeout.count()) + " ms";
        }
        response.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
        if (response.error != "stale")
            return response;
    }
    ClientResponse failed;
    failed.error = "the connection closed twice before a response";
    return failed;
}

} // namespace sluice::proxy
