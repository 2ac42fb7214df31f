// SPDX-License-Identifier: Apache-2.0
#pragma once

// Host names as Istio compares them (pkg/config/host/name.go): a name is wildcarded when it
// starts with `*`; `*.foo.com` covers every name ending in `.foo.com` at any depth, but not
// `foo.com`; `*` covers everything.

#include <string>
#include <string_view>
#include <vector>

namespace sluice::routing {

[[nodiscard]] inline bool isWildcard(std::string_view h) {
    return !h.empty() && h.front() == '*';
}

/// True when the two names have any host in common.
[[nodiscard]] bool hostsMatch(std::string_view a, std::string_view b);
/// True when every host `a` names is also named by `b`.
[[nodiscard]] bool hostSubsetOf(std::string_view a, std::string_view b);
/// Istio's Intersection: for each matching pair the more specific name, without duplicates.
[[nodiscard]] std::vector<std::string> hostIntersection(const std::vector<std::string>& a,
                                                        const std::vector<std::string>& b);

/// ASCII case-insensitive equality (header names, ignoreUriCase matches).
[[nodiscard]] bool equalsIgnoreCaseAscii(std::string_view a, std::string_view b);
/// Lower-cases ASCII, as Envoy does for domains and the Host header.
[[nodiscard]] std::string lowerAscii(std::string_view s);
/// Drops a `:port` suffix from an authority (keeps IPv6 brackets intact).
[[nodiscard]] std::string_view stripPort(std::string_view authority);
/// The FQDN a sidecar's caller in namespace `ns` means by `host` (no port), as Kubernetes DNS
/// search domains resolve it: "reviews" -> "reviews.<ns>.svc.cluster.local", "reviews.prod" ->
/// "reviews.prod.svc.cluster.local", "x.y.svc" -> "x.y.svc.cluster.local"; lower-cased.
[[nodiscard]] std::string meshHost(std::string_view host, std::string_view ns);

} // namespace sluice::routing
