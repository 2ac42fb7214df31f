// SPDX-License-Identifier: Apache-2.0
#include "replica_responder.h"

#include "proxy/access_log.h"
#include "proxy/asio_executor.h"
#include "proxy/grpc_protocol.h"
#include "proxy/header_names.h"
#include "proxy/mesh_caller.h"
#include "proxy/response_writers.h"
#include "replica_server.h"

#include <utility>
#include <vector>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

namespace sluice::workload {
namespace {

namespace asio = boost::asio;

/// An empty gRPC message: not compressed, length 0.
constexpr std::string_view kEmptyGrpcMessage{"\0\0\0\0\0", 5};

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
void echoBody(const std::string& workload, const proxy::RequestHead& head, std::string_view protocol,
              const std::vector<proxy::MeshCallResult>& calls, std::string& out) {
    out += "{\"workload\":";
    proxy::appendJsonString(out, workload);
    out += ",\"protocol\":";
    proxy::appendJsonString(out, protocol);
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

} // namespace

ReplicaResponder::ReplicaResponder(ReplicaServer& replica, unsigned worker)
    : m_replica(replica)
    , m_worker(worker)
    , m_rng(static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
            replica.served() * 0x9E3779B97F4A7C15ull) {}

const std::string& ReplicaResponder::name() const {
    return m_replica.identity().name;
}

proxy::Awaitable<PlannedResponse> ReplicaResponder::prepare(const proxy::RequestHead& head,
                                                            std::string_view protocol, std::string* echo) {
    const PlannedResponse plan = m_replica.identity().behaviour.next(m_rng, m_replica.nextIndex());
    std::vector<proxy::MeshCallResult> calls;
    if (const auto& c = m_replica.calls(); c.sidecar)
        for (const proxy::MeshCall& call : c.calls)
            calls.push_back(co_await c.sidecar->call(m_worker, call, head));
    if (echo) {
        echoBody(name(), head, protocol, calls, *echo);
        if (plan.bodyBytes)
            echo->resize(static_cast<std::size_t>(*plan.bodyBytes), ' ');
    }
    co_return plan;
}

proxy::Awaitable<void> ReplicaResponder::wait(std::chrono::microseconds delay) {
    if (delay.count() <= 0)
        co_return;
    proxy::SteadyTimer timer(co_await asio::this_coro::executor);
    timer.expires_after(delay);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(proxy::useAwaitable, ec));
}

bool ReplicaResponder::isGrpc(const proxy::RequestHead& head) {
    for (const auto& f : head.fields)
        if (proxy::headerNameIs(f.name, "content-type"))
            return proxy::GrpcProtocol::isGrpcContentType(f.value);
    return false;
}

GrpcAnswer ReplicaResponder::grpcAnswer(int httpStatus, std::string_view requestBody, bool truncated) {
    GrpcAnswer a;
    if (truncated) {
        a.code = 8; // RESOURCE_EXHAUSTED: larger than the server's maximum receive size
        a.message = proxy::GrpcProtocol::percentEncode("Received message larger than max (" +
                                                       std::to_string(kMaxGrpcRequest - 5) + " bytes)");
        return a;
    }
    a.code = httpStatus == 200 ? 0 : proxy::GrpcProtocol::httpToGrpcStatus(httpStatus);
    if (a.code != 0) {
        a.message = proxy::GrpcProtocol::percentEncode(proxy::LocalReplyWriter::reason(httpStatus));
        return a;
    }
    if (requestBody.empty()) {
        a.echo = kEmptyGrpcMessage;
        return a;
    }
    const auto byte = [&](std::size_t i) {
        return requestBody.size() > i ? static_cast<std::uint64_t>(static_cast<std::uint8_t>(requestBody[i]))
                                      : 0;
    };
    const std::uint64_t length = byte(1) << 24 | byte(2) << 16 | byte(3) << 8 | byte(4);
    if (requestBody.size() >= 5 && 5 + length <= requestBody.size()) {
        a.echo = requestBody.substr(0, static_cast<std::size_t>(5 + length));
    } else {
        a.code = 13; // INTERNAL: bytes that are no complete length-prefixed message
        a.message = "Incomplete gRPC message";
    }
    return a;
}

} // namespace sluice::workload
