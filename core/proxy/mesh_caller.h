// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy and the simulated workloads (includes Asio).

#include "asio_executor.h"
#include "config_cell.h"
#include "http1_request_parser.h"
#include "mesh_call.h"
#include "routing/rng.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

namespace sluice::metrics {
class MetricsShard;
}

namespace sluice::proxy {

struct Endpoint;
class UpstreamState;
class WorkerUpstreams;

/// The sidecar of one simulated replica: the calls the replica makes while serving a request go
/// through the mesh view of the config being served (RouteTable::route with Request::mesh, the
/// replica's labels and namespace as the source), with a sidecar's semantics: VirtualServices
/// bound to `mesh`, fault delays and aborts, direct responses, the route's timeout and retries,
/// the cluster's load balancer, circuit breakers and outlier detection — its own, as every
/// sidecar is its own Envoy — and HTTP/1.1 to the decided endpoint, with keep-alive pools.
///
/// The application's request carries the headers the call propagates, the tracing headers
/// Istio's samples propagate (x-request-id, W3C traceparent/tracestate, B3, ...), and
/// x-sluice-call-depth, which stops call cycles after kMaxDepth hops. The cluster policies are the
/// gateway's (compiled for the gateway's namespace; DestinationRule visibility by the caller's
/// namespace is not modelled).
///
/// With metrics, every call the sidecar routed (whatever its outcome) is one RequestSample in the
/// shard of the worker it ran on, as the gateway counts its requests, with the calling workload
/// as the source (Istio's source_workload); a call the depth limit stopped is not counted.
///
/// Thread affinity: call() runs on worker `worker`'s loop; each worker has its own pools.
class MeshCaller {
public:
    static constexpr int kMaxDepth = kMaxCallDepth;

    /// `metrics`: each worker's shard (by worker index; missing or null: not counted), recorded
    /// into only from that worker's loop.
    MeshCaller(const ConfigCell& cell, CallerIdentity identity, unsigned workers,
               std::vector<metrics::MetricsShard*> metrics = {});
    ~MeshCaller();
    MeshCaller(const MeshCaller&) = delete;
    MeshCaller& operator=(const MeshCaller&) = delete;

    /// Makes call `spec` on behalf of the request `inbound` the replica is serving, and reports how it
    /// ended. Never throws; every failure is a result.
    [[nodiscard]] Awaitable<MeshCallResult> call(unsigned worker, const MeshCall& spec,
                                                 const RequestHead& inbound);

    [[nodiscard]] const CallerIdentity& identity() const { return m_identity; }
    /// Frees worker `worker`'s pools and state (a retired replica's, on that worker's loop, once
    /// no call of it can run there any more).
    void release(unsigned worker);

private:
    struct Worker;
    struct Exchange;

    /// Worker `worker`'s state for the config being served now.
    Worker& refresh(unsigned worker);
    Awaitable<void> forward(Exchange& x);
    /// Counts the finished call `x` into its worker's shard (when metrics are on).
    void record(const Exchange& x, std::chrono::steady_clock::duration elapsed) const;

    const ConfigCell& m_cell;
    CallerIdentity m_identity;
    std::string m_app;     ///< the caller's `app` label
    std::string m_version; ///< the caller's `version` label
    std::vector<std::unique_ptr<Worker>> m_workers;
    std::mutex m_mutex; ///< guards the shared sidecar state below (taken once per config version)
    LiveConfigPtr m_stateFor;
    std::shared_ptr<UpstreamState> m_state;
};

} // namespace sluice::proxy
