// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace sluice::routing {

/// A request target split as Envoy sees it: the path matchers look at `path` only.
struct RequestTarget {
    std::string path;  ///< normalised path, always starting with '/'
    std::string query; ///< without the '?', empty when absent
    bool hasQuery = false;
};

/// Splits `path?query` and normalises the path as the gateway does with Istio's default
/// pathNormalization (BASE: Envoy normalize_path, RFC 3986 dot-segment removal, `%2e` counted as
/// a dot). Slashes are not merged and escaped slashes are kept as written.
[[nodiscard]] RequestTarget normaliseTarget(std::string_view target);

/// RFC 3986 section 5.2.4 remove_dot_segments on a path that starts with '/'.
[[nodiscard]] std::string removeDotSegments(std::string_view path);

} // namespace sluice::routing
