// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/virtual_service.h"
#include "string_matcher.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::routing {

/// An HTTP rule's corsPolicy as istiod hands it to Envoy's CORS filter: origins as string
/// matchers (the deprecated allowOrigin list as exact ones), methods and headers joined with ",",
/// maxAge in whole seconds, and whether preflights from other origins still reach the upstream.
struct CorsPolicy {
    std::vector<StringMatcher> allowOrigins;
    std::string allowMethods;
    std::string allowHeaders;
    std::string exposeHeaders;
    std::string maxAge;
    std::optional<bool> allowCredentials;
    bool forwardNotMatchingPreflights = true; ///< unmatchedPreflights: FORWARD (Envoy's default) or IGNORE

    /// Envoy's isOriginAllowed: a matcher that accepts "*" allows every origin.
    [[nodiscard]] bool allows(std::string_view origin) const;
};

/// Translates a VirtualService corsPolicy; regexes that do not compile are left out (the
/// validator reports them).
[[nodiscard]] CorsPolicy compileCorsPolicy(const model::CorsPolicy& policy);

} // namespace sluice::routing
