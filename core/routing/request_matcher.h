// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "match_input.h"
#include "model/virtual_service.h"
#include "string_matcher.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::routing {

/// One Istio HTTPMatchRequest translated to an Envoy route match. The request-time parts only:
/// port, gateways and sourceLabels were applied when the table was compiled.
class RequestMatcher {
public:
    struct HeaderCondition {
        std::string name; ///< lower-case; pseudo-headers for method/authority/scheme
        StringMatcher matcher;
        bool invert = false; ///< withoutHeaders
    };
    struct QueryCondition {
        std::string name;
        StringMatcher matcher;
    };

    /// A matcher for a rule with no `match` block: Envoy's default prefix "/".
    [[nodiscard]] static RequestMatcher matchAll();
    /// nullopt (with `error`) when a regex does not compile (validation reports those; the route is skipped).
    [[nodiscard]] static std::optional<RequestMatcher> compile(const model::HTTPMatchRequest& match,
                                                               std::string* error = nullptr);

    [[nodiscard]] bool matches(const MatchInput& input) const { return !mismatch(input, false); }
    /// The first condition that fails, in words ("header end-user is absent"); nullopt on a match.
    [[nodiscard]] std::optional<std::string> mismatch(const MatchInput& input, bool explain = true) const;

    /// Istio's IsCatchAllRoute: prefix "/" (or regex ".*") with no header or query conditions.
    [[nodiscard]] bool isCatchAll() const;
    [[nodiscard]] const StringMatcher& uri() const { return m_uri; }
    [[nodiscard]] std::string describe() const;

private:
    explicit RequestMatcher(StringMatcher uri)
        : m_uri(std::move(uri)) {}

    StringMatcher m_uri;
    std::vector<HeaderCondition> m_headers;
    std::vector<QueryCondition> m_query;
    std::vector<std::string> m_unsupported; ///< e.g. JWT claim matches, which need a RequestAuthentication
};

} // namespace sluice::routing
