// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to MeshCaller (mesh_caller.cpp, mesh_forwarding.cpp): the per-worker sidecar state and
// one call in flight. Includes Asio.

#include "live_config.h"
#include "mesh_caller.h"
#include "routing/decision.h"
#include "routing/response_flags.h"
#include "upstream_failure.h"
#include "upstream_state.h"
#include "worker_upstreams.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sluice::proxy {

struct MeshCaller::Worker {
    std::uint64_t version = ~std::uint64_t{0};
    LiveConfigPtr live;
    std::shared_ptr<UpstreamState> state;
    routing::Rng rng;
    std::unique_ptr<WorkerUpstreams> upstreams;
    metrics::MetricsShard* metrics = nullptr; ///< the proxy worker's shard; null: not counted
};

/// One call in flight: owns what its frames refer to (the config version and sidecar state).
struct MeshCaller::Exchange {
    Worker& worker;
    LiveConfigPtr live;
    std::shared_ptr<UpstreamState> state;
    routing::Decision decision;
    const ServedCluster* cluster = nullptr;
    std::vector<std::pair<std::string, std::string>> headers;
    RequestHead head;
    std::string authority;
    std::string requestId;
    MeshCallResult result;
    const Endpoint* answered = nullptr; ///< the endpoint whose answer the call got
    std::int64_t upstreamMicros = -1;   ///< to that answer's head
    unsigned workerIndex = 0;

    /// After a reload: the config served now, and the call's cluster in it (null: none). Envoy's
    /// router looks the cluster up when it runs (after the fault filter's delay) and again for
    /// each retry, so a call never goes to the replaced config's replicas, which are going away.
    bool moveToCurrent(MeshCaller& caller);

    /// The call's cluster was removed by a reload: the gateway's reply (clusterGoneReply) as the
    /// result, `attempt` being the attempt it would have been.
    void clusterGone(int attempt);
};

inline bool MeshCaller::Exchange::moveToCurrent(MeshCaller& caller) {
    Worker& now = caller.refresh(workerIndex);
    if (now.live == live)
        return false;
    live = now.live;
    state = now.state;
    cluster = live->clusters().find(decision.destination->cluster);
    return true;
}

inline void MeshCaller::Exchange::clusterGone(int attempt) {
    const ClusterGoneReply reply = clusterGoneReply(attempt);
    result.status = 503;
    routing::ResponseFlags::add(result.flags, reply.flag);
    result.error = reply.body.empty() ? "cluster not found" : std::string(reply.body);
}

} // namespace sluice::proxy
