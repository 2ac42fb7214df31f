// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "retry_state.h"

#include <string_view>

namespace sluice::proxy {

/// The bodies of Envoy's local replies when an upstream attempt failed before a response head
/// (the router's "upstream connect error or disconnect/reset before headers" with its reason).
inline constexpr std::string_view kUpstreamResetBeforeHeaders =
    "upstream connect error or disconnect/reset before headers. reset reason: connection termination";
inline constexpr std::string_view kUpstreamConnectFailure =
    "upstream connect error or disconnect/reset before headers. reset reason: connection failure";
inline constexpr std::string_view kUpstreamOverflow =
    "upstream connect error or disconnect/reset before headers. reset reason: overflow";

/// The 503 for a request whose cluster a reload removed (ProxyWorker::clusterNow): Envoy's router
/// finds no cluster before the first attempt (flag NC, no body); doRetry finds none before a
/// retry ("no healthy upstream", UH).
struct ClusterGoneReply {
    std::string_view flag;
    std::string_view body;
};
[[nodiscard]] constexpr ClusterGoneReply clusterGoneReply(int attempt) {
    return attempt == 1 ? ClusterGoneReply{"NC", {}} : ClusterGoneReply{"UH", "no healthy upstream"};
}

/// The status outlier detection records for an attempt (Envoy's mapping of local failures:
/// connect failures and resets 503, timeouts 504).
[[nodiscard]] constexpr int outlierStatus(AttemptEnd end, int status) {
    switch (end) {
    case AttemptEnd::Response:
        return status;
    case AttemptEnd::PerTryTimeout:
        return 504;
    case AttemptEnd::ConnectFailure:
    case AttemptEnd::Reset:
    case AttemptEnd::RefusedStream:
        break;
    }
    return 503;
}

} // namespace sluice::proxy
