// SPDX-License-Identifier: Apache-2.0
#pragma once

// Header name and value checks the VirtualService rules use (ports of the Istio functions named
// beside them). Each returns an empty string when valid, else Istio's error text.

#include <string>
#include <string_view>

namespace sluice::validate::vs {

/// ValidateHTTPHeaderNameOrJwtClaimRoute (header match names).
[[nodiscard]] std::string checkMatchHeaderName(std::string_view name);
/// ValidateCORSHTTPHeaderName (allowHeaders / exposeHeaders).
[[nodiscard]] std::string checkCorsHeaderName(std::string_view name);
/// ValidateHTTPHeaderWithAuthorityOperationName (request add / set).
[[nodiscard]] std::string checkRequestHeaderSetName(std::string_view name);
/// ValidateHTTPHeaderOperationName (request remove, response add / set / remove).
[[nodiscard]] std::string checkHeaderOperationName(std::string_view name);
/// ValidateHTTPHeaderValue: no control characters and a well-formed Envoy `%VAR%` expression.
[[nodiscard]] std::string checkHeaderValue(std::string_view value);
/// isAuthorityHeader: `:authority` or `host`, case-insensitively.
[[nodiscard]] bool isAuthorityHeader(std::string_view name);
/// jwt.ToRoutingClaim(name).Match: `@request.auth.claims.a.b` or `@request.auth.claims[a][b]`.
[[nodiscard]] bool isJwtClaimRoute(std::string_view name);

} // namespace sluice::validate::vs
