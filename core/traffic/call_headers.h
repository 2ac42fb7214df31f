// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "proxy/mesh_call.h"
#include "recorded_request.h"
#include "routing/decision.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::traffic {

// HeaderList (recorded_request.h): name-value pairs, the same type as routing::Request::headers.

/// Header names, compared case-insensitively, with a quick test on the length first (most names
/// asked about are not in the set).
class HeaderNameSet {
public:
    /// What `call` copies from the request being served: its `propagate` names and the tracing
    /// headers (MeshCaller's rule).
    [[nodiscard]] static HeaderNameSet copiedBy(const proxy::MeshCall& call);

    void add(std::string_view name);
    void add(const HeaderNameSet& other);
    [[nodiscard]] bool contains(std::string_view name) const;
    [[nodiscard]] bool empty() const { return m_names.empty(); }

private:
    std::vector<std::string> m_names; ///< lowercase
    std::uint64_t m_lengths = 0;      ///< bit (length mod 64) set for every name
};

/// The headers that travel down a simulated call tree, with the live proxy's rules but without
/// writing or parsing heads: what a replica receives from its proxy (UpstreamRequestWriter: the
/// downstream headers it forwards, then the route's set and add operations, x-request-id and
/// x-forwarded-proto of its own), and what a call copies from that (MeshCaller: the call's
/// `propagate` names and the tracing headers, x-sluice-call-depth + 1, x-request-id). Only the
/// headers some call may copy are kept, so a replica without calls costs nothing. Every list is
/// rewritten in place, keeping its strings' storage.
class CallHeaders {
public:
    /// What the replica receives of `downstream` (the request as its proxy got it) that its calls
    /// may copy (`wanted`: what they copy together), into `out`; returns the request's call depth
    /// (x-sluice-call-depth, 0 when absent). `scheme` is what x-forwarded-proto says.
    static int received(const HeaderList& downstream, const routing::HeaderOperations& ops,
                        std::string_view scheme, const HeaderNameSet& wanted, HeaderList& out);

    /// The headers of a call that copies `copied` (HeaderNameSet::copiedBy), made while serving a
    /// request that carried `inbound` (as received()) at depth `depth`: the copied ones,
    /// x-sluice-call-depth: depth + 1, x-request-id.
    static void forCall(const HeaderNameSet& copied, const HeaderList& inbound, int depth,
                        std::string_view requestId, HeaderList& out);
};

} // namespace sluice::traffic
