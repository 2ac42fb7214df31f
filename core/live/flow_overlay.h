// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "flow/flow_graph.h"
#include "series_window.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sluice::live {

/// Kiali's edge health: Failure when no-response and 5xx answers reach 10 % of the requests,
/// Degraded when 4xx answers do, else Healthy; Idle without requests.
enum class EdgeHealth : std::uint8_t { Idle, Healthy, Degraded, Failure };

[[nodiscard]] EdgeHealth edgeHealth(std::uint64_t requests, std::uint64_t clientErrors,
                                    std::uint64_t serverErrors);

/// The traffic one flow edge carried over the window.
struct EdgeTraffic {
    std::uint64_t requests = 0;
    std::uint64_t clientErrors = 0; ///< 4xx
    std::uint64_t serverErrors = 0; ///< 5xx and no response
    double rps = 0;
    double share = 0; ///< percent of the requests leaving the edge's source node
    EdgeHealth health = EdgeHealth::Idle;

    /// "12.5 rps · 90%" ("0.3 rps · 100%"); empty when idle.
    [[nodiscard]] std::string label() const;
};

/// Traffic per edge of a flow graph (indexed like FlowGraph::edges()).
struct FlowOverlay {
    std::vector<EdgeTraffic> edges;
    double seconds = 0;
    double maxRps = 0;

    /// Stroke width for an edge carrying `rps`: 1 when idle, up to 8 for the busiest edge, on a
    /// log scale so a 1 % canary stays visible next to its 99 %.
    [[nodiscard]] double widthFor(double rps) const;
};

/// Lays the metrics series onto the flow graph's edges by node id, the way a request crossed
/// them: gateway server -> rule (VirtualService and rule index) -> destination (cluster) ->
/// subset -> Service -> workload (the replica's owner; a Service's default replica). The metrics
/// do not say which Gateway server took a request: a rule bound to several servers shows its
/// traffic on each of its incoming edges. A call between workloads (a series with a source
/// workload) crosses the mesh edge from its caller to the Service it reached, then the same hops
/// from its rule (a mesh VirtualService's, when one matched) on; it never crosses a gateway
/// server's edge, and the gateway's requests never cross a mesh edge. Edges no series crosses
/// stay idle.
[[nodiscard]] FlowOverlay flowOverlay(const flow::FlowGraph& graph, std::span<const SeriesCount> counts,
                                      double seconds);

} // namespace sluice::live
