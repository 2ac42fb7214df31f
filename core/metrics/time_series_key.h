// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "series_key.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::metrics {

/// Status classes counted per second. `Other`: no response (code 0: connect failure, reset,
/// client-side timeout) or a code outside 100..599.
enum class StatusClass : std::uint8_t {
    Other,
    Informational,
    Success,
    Redirection,
    ClientError,
    ServerError
};
inline constexpr std::size_t kStatusClasses = 6;
using StatusClassCounts = std::array<std::uint64_t, kStatusClasses>; ///< indexed by StatusClass

[[nodiscard]] constexpr StatusClass statusClassOf(int code) {
    return code >= 100 && code <= 599 ? static_cast<StatusClass>(code / 100) : StatusClass::Other;
}
/// What every report counts as an error: no response, a code outside 100..599, or a 5xx.
[[nodiscard]] constexpr bool isError(int code) {
    const StatusClass c = statusClassOf(code);
    return c == StatusClass::Other || c == StatusClass::ServerError;
}
[[nodiscard]] constexpr std::uint64_t errorsOf(const StatusClassCounts& c) {
    return c[static_cast<std::size_t>(StatusClass::Other)] +
           c[static_cast<std::size_t>(StatusClass::ServerError)];
}
[[nodiscard]] constexpr std::uint64_t requestsOf(const StatusClassCounts& c) {
    std::uint64_t n = 0;
    for (const std::uint64_t v : c)
        n += v;
    return n;
}

/// What the time series tells apart: the route (VirtualService rule) and the destination
/// (service, port, subset). Replicas, status codes and flags fall together.
struct TimeSeriesKeyView {
    std::string_view virtualService; ///< "ns/name"; empty: no route matched
    int ruleIndex = -1;
    std::string_view ruleName;
    std::string_view service; ///< FQDN; empty: no destination
    std::uint32_t port = 0;
    std::string_view subset;

    bool operator==(const TimeSeriesKeyView&) const = default;
};

struct TimeSeriesKey {
    std::string virtualService;
    int ruleIndex = -1;
    std::string ruleName;
    std::string service;
    std::uint32_t port = 0;
    std::string subset;

    [[nodiscard]] TimeSeriesKeyView view() const {
        return {virtualService, ruleIndex, ruleName, service, port, subset};
    }
    [[nodiscard]] static TimeSeriesKey of(const TimeSeriesKeyView& v) {
        return {std::string(v.virtualService), v.ruleIndex, std::string(v.ruleName),
                std::string(v.service),        v.port,      std::string(v.subset)};
    }
    bool operator==(const TimeSeriesKey&) const = default;
};

[[nodiscard]] inline TimeSeriesKeyView timeSeriesKeyOf(const SeriesKey& k) {
    return {k.virtualService, k.ruleIndex, k.ruleName, k.service, k.port, k.subset};
}

/// Transparent hash and equality: maps keyed by TimeSeriesKey are searched with views.
struct TimeSeriesKeyHash {
    using is_transparent = void;
    std::size_t operator()(const TimeSeriesKeyView& v) const {
        const std::hash<std::string_view> h;
        std::size_t seed = h(v.virtualService);
        seed = IdentityHash::mix(seed, static_cast<std::size_t>(v.ruleIndex));
        seed = IdentityHash::mix(seed, h(v.ruleName));
        seed = IdentityHash::mix(seed, h(v.service));
        seed = IdentityHash::mix(seed, v.port);
        return IdentityHash::mix(seed, h(v.subset));
    }
    std::size_t operator()(const TimeSeriesKey& k) const { return (*this)(k.view()); }
};

struct TimeSeriesKeyEqual {
    using is_transparent = void;
    template <class A, class B> bool operator()(const A& a, const B& b) const { return view(a) == view(b); }

private:
    static TimeSeriesKeyView view(const TimeSeriesKey& k) { return k.view(); }
    static const TimeSeriesKeyView& view(const TimeSeriesKeyView& v) { return v; }
};

/// Which keys a reader wants; an unset field matches anything (an empty subset matches only
/// "no subset").
struct TimeSeriesFilter {
    std::optional<std::string> virtualService;
    std::optional<int> ruleIndex;
    std::optional<std::string> service;
    std::optional<std::string> subset;

    [[nodiscard]] bool matches(const TimeSeriesKey& k) const {
        return (!virtualService || *virtualService == k.virtualService) &&
               (!ruleIndex || *ruleIndex == k.ruleIndex) && (!service || *service == k.service) &&
               (!subset || *subset == k.subset);
    }
};

} // namespace sluice::metrics
