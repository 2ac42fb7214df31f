// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/workload (includes Asio): what both protocols of a ReplicaServer share.

#include "backend_behaviour.h"
#include "proxy/asio_executor.h"
#include "proxy/http1_request_parser.h"
#include "routing/rng.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

namespace sluice::workload {

class ReplicaServer;

/// The gRPC answer of a replica in gRPC mode: the request's message echoed, or no message and an
/// error status.
struct GrpcAnswer {
    int code = 0;          ///< grpc-status
    std::string message;   ///< grpc-message, percent-encoded; empty for OK
    std::string_view echo; ///< the length-prefixed message to send (OK only), into what it was made of
};

/// What a replica does for every request it serves, whatever protocol carried it (HTTP/1.1 in
/// ReplicaServer, HTTP/2 in ReplicaHttp2Connection): plans the answer with the replica's
/// BackendBehaviour, makes its mesh calls through its sidecar, writes the JSON echo body, waits the
/// planned latency, and shapes gRPC answers. One per connection, on that connection's loop.
class ReplicaResponder {
public:
    /// gRPC request messages kept for the echo (gRPC's default maximum receive size, plus a prefix).
    static constexpr std::size_t kMaxGrpcRequest = 4 * 1024 * 1024 + 5;

    ReplicaResponder(ReplicaServer& replica, unsigned worker);

    /// Plans the answer to `head` (views valid until the awaitable completes), received over
    /// `protocol` ("HTTP/1.1", "HTTP/2"): the next status and delay, then the calls. With `echo`,
    /// the JSON echo body (who answered, the request, the calls) is written there, sized to the
    /// behaviour's responseBytes when it has one.
    [[nodiscard]] proxy::Awaitable<PlannedResponse> prepare(const proxy::RequestHead& head,
                                                            std::string_view protocol, std::string* echo);
    /// Waits `delay` on the calling coroutine's executor.
    [[nodiscard]] static proxy::Awaitable<void> wait(std::chrono::microseconds delay);

    [[nodiscard]] const std::string& name() const;

    /// Whether `head` is a gRPC request (content-type application/grpc[+...|;...]).
    [[nodiscard]] static bool isGrpc(const proxy::RequestHead& head);
    /// The gRPC answer for the planned `httpStatus` (gRPC's HTTP-to-gRPC mapping), echoing the first
    /// message of `requestBody` (an empty message when it has none). `truncated`: the body was
    /// longer than kMaxGrpcRequest (RESOURCE_EXHAUSTED, as a gRPC server answers).
    [[nodiscard]] static GrpcAnswer grpcAnswer(int httpStatus, std::string_view requestBody, bool truncated);

private:
    ReplicaServer& m_replica;
    unsigned m_worker;
    routing::Rng m_rng;
};

} // namespace sluice::workload
