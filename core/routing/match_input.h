// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "path_normalizer.h"
#include "request.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::routing {

/// A request prepared once for matching: normalised path, decoded query parameters, and the
/// pseudo-headers Envoy exposes (:method, :authority, :scheme, :path).
class MatchInput {
public:
    explicit MatchInput(const Request& request);

    [[nodiscard]] const Request& request() const { return m_request; }
    [[nodiscard]] const std::string& path() const { return m_target.path; }
    [[nodiscard]] const RequestTarget& target() const { return m_target; }
    [[nodiscard]] const std::string& scheme() const { return m_scheme; }
    /// Header value by case-insensitive name, including the pseudo-headers; nullopt when absent.
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
    /// First value of a query parameter (Envoy semantics); nullopt when absent.
    [[nodiscard]] std::optional<std::string_view> queryParam(std::string_view name) const;

private:
    const Request& m_request;
    RequestTarget m_target;
    std::string m_scheme;
    std::vector<std::pair<std::string, std::string>> m_query;
};

/// Percent-decodes a query component ('+' stays '+', as Envoy's query parser does).
[[nodiscard]] std::string percentDecode(std::string_view s);

} // namespace sluice::routing
