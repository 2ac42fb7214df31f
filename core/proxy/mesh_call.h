// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a simulated workload calls per request it serves, and how each call ended. Plain values.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::proxy {

/// Counts the hops of a call chain: a call made while serving a request of depth N carries N + 1,
/// and none is made at depth kMaxCallDepth or more (call cycles stop there).
inline constexpr std::string_view kCallDepthHeader = "x-sluice-call-depth";
inline constexpr int kMaxCallDepth = 8;

/// What Istio's sample applications propagate besides what a call lists (bookinfo productpage's
/// headers_to_propagate): request id and every tracing system's context. x-request-id is written
/// by the request writer itself.
inline constexpr std::array<std::string_view, 15> kTracingHeaders{"traceparent",
                                                                  "tracestate",
                                                                  "x-b3-traceid",
                                                                  "x-b3-spanid",
                                                                  "x-b3-parentspanid",
                                                                  "x-b3-sampled",
                                                                  "x-b3-flags",
                                                                  "b3",
                                                                  "x-ot-span-context",
                                                                  "x-cloud-trace-context",
                                                                  "grpc-trace-bin",
                                                                  "sw8",
                                                                  "x-datadog-trace-id",
                                                                  "x-datadog-parent-id",
                                                                  "x-datadog-sampling-priority"};

/// One call of a Workload's `calls` list.
struct MeshCall {
    std::string service;     ///< as the application names it: "reviews", "reviews.default"
    std::string ns;          ///< calls[].namespace: appended to a short name when given
    std::uint32_t port = 80; ///< the Service port
    std::string path = "/";
    std::vector<std::string> propagate; ///< header names copied from the request being served
};

/// The workload that calls: what its sidecar's routes match (sourceLabels, sourceNamespace).
struct CallerIdentity {
    std::string name; ///< the replica: "productpage-v1-1"
    std::string ns = "default";
    std::map<std::string, std::string> labels;
    std::string workload; ///< what the replica belongs to: "productpage-v1" (empty: `name`)
};

/// How one call ended, as the calling workload reports it in its answer.
struct MeshCallResult {
    std::string service;
    std::uint32_t port = 0;
    std::string path;
    std::string cluster;  ///< the cluster its sidecar routed to; empty: none
    int status = 0;       ///< what the application got; 0: no HTTP answer (connection refused)
    std::string flags;    ///< the sidecar's Envoy response flags (UF, UO, UT, URX, NR, UH, FI, DI...)
    std::string workload; ///< x-sluice-workload of the answer: which replica served it
    std::string error;    ///< why the call failed (no answer, or a 4xx/5xx); empty on success
    std::string body;     ///< the answer's body when it is a JSON document, else empty
    int attempts = 0;     ///< upstream attempts the sidecar made
    std::int64_t millis = 0;
};

} // namespace sluice::proxy
