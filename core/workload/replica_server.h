// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "backend_behaviour.h"
#include "proxy/mesh_call.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace sluice::proxy {
class MeshCaller;
}

namespace sluice::workload {

class ReplicaLoopState;

/// Who a simulated replica is: its name in answers and the behaviour it plays.
struct ReplicaIdentity {
    std::string name; ///< "reviews-v2-1": the workload name and the replica's 1-based index
    BackendBehaviour behaviour;
};

/// The calls a replica makes for every request it serves, and the sidecar that makes them.
struct ReplicaCalls {
    std::vector<proxy::MeshCall> calls;
    std::shared_ptr<proxy::MeshCaller> sidecar;
};

/// One simulated replica: a real HTTP/1.1 and HTTP/2 server on a loopback port that answers every
/// request after its latency model's delay, with its scripted status, naming itself in
/// `x-sluice-workload` and echoing what it received as JSON ("protocol", "method", "path",
/// "host", "headers"). A connection that starts with HTTP/2's client preface (h2c with prior
/// knowledge, as the gateway's HTTP/2 upstreams connect) is served by a ReplicaHttp2Connection,
/// its streams answered concurrently. Runs on the event loops it is given (the proxy's workers),
/// one accept socket per loop on the same port.
///
/// gRPC mode: a request whose content-type is application/grpc gets 200, content-type
/// application/grpc, its own message echoed as the one response message (an empty message for an
/// empty request), then grpc-status (the planned status through gRPC's HTTP-to-gRPC mapping: 200
/// OK, 503 UNAVAILABLE...) and grpc-message; an error is trailers-only. Over HTTP/1.1 the same
/// answer goes chunked, grpc-status in the chunked trailers.
///
/// With calls, it first calls each Service in turn through its sidecar (the mesh view of the
/// config being served) and then answers; the answer's status stays its own, and the JSON body
/// lists every call in "calls" (status, which workload answered, the sidecar's response flags,
/// the callee's own JSON answer) with an "error" for a call that failed, as bookinfo's productpage
/// still renders its page and says "Error fetching product reviews".
class ReplicaServer {
public:
    explicit ReplicaServer(ReplicaIdentity identity, ReplicaCalls calls = {});
    ~ReplicaServer();
    ReplicaServer(const ReplicaServer&) = delete;
    ReplicaServer& operator=(const ReplicaServer&) = delete;

    /// Listens on 127.0.0.1:`port` (0: an ephemeral port, then shared by the later calls) on
    /// `context`, the loop of proxy worker `worker` (whose sidecar pools the calls use). Empty on
    /// success, else why.
    [[nodiscard]] std::string listenOn(boost::asio::io_context& context, std::uint16_t port = 0,
                                       unsigned worker = 0);
    [[nodiscard]] std::uint16_t port() const { return m_port; }
    [[nodiscard]] const ReplicaIdentity& identity() const { return m_identity; }
    [[nodiscard]] const ReplicaCalls& calls() const { return m_calls; }
    /// Requests answered so far (drives scripted sequences across all loops).
    [[nodiscard]] std::uint64_t served() const { return m_served.load(std::memory_order_relaxed); }
    /// Claims the next position in the replica's sequence.
    std::uint64_t nextIndex() { return m_served.fetch_add(1, std::memory_order_relaxed); }
    /// Retires the replica (ReplicaLoopState): closes the accept sockets and the idle connections
    /// on their loops; a connection serving a request answers it, then closes; whatever is still
    /// open after `grace` is closed.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(30));
    /// After stop(): nothing on any loop refers to the replica any more (it may be destroyed while
    /// the loops run on). Otherwise destroy it only once its loops no longer run.
    [[nodiscard]] bool retired() const;

private:
    ReplicaIdentity m_identity;
    ReplicaCalls m_calls;
    std::uint16_t m_port = 0;
    std::atomic<std::uint64_t> m_served{0};
    std::vector<std::shared_ptr<ReplicaLoopState>> m_loops; ///< one per listenOn()
};

} // namespace sluice::workload
