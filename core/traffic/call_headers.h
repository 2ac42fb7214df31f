// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "proxy/mesh_call.h"
#include "routing/decision.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::traffic {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// The headers that travel down a simulated call tree, with the live proxy's rules but without
/// writing or parsing heads: what a replica receives from its proxy (UpstreamRequestWriter: the
/// downstream headers it forwards, then the route's set and add operations, x-request-id and
/// x-forwarded-proto of its own), and what a call copies from that (MeshCaller: the call's
/// `propagate` names and the tracing headers, x-sluice-call-depth + 1, x-request-id). Only the
/// headers some call may copy are kept, so a replica without calls costs nothing. Every list is
/// rewritten in place, keeping its strings' storage.
class CallHeaders {
public:
    /// Whether a call of `calls` copies header `name` (case-insensitive).
    [[nodiscard]] static bool wanted(std::string_view name, const std::vector<proxy::MeshCall>& calls);

    /// What the replica receives of `downstream` (the request as its proxy got it) that one of
    /// `calls` may copy, into `out`; returns the request's call depth (x-sluice-call-depth, 0 when
    /// absent). `scheme` is what x-forwarded-proto says.
    static int received(const HeaderList& downstream, const routing::HeaderOperations& ops,
                        std::string_view scheme, const std::vector<proxy::MeshCall>& calls, HeaderList& out);

    /// The headers of `call` made while serving a request that carried `inbound` (as received())
    /// at depth `depth`: the copied ones, x-sluice-call-depth: depth + 1, x-request-id.
    static void forCall(const proxy::MeshCall& call, const HeaderList& inbound, int depth,
                        std::string_view requestId, HeaderList& out);
};

} // namespace sluice::traffic
