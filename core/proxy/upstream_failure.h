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

/// What the gateway answers when the last attempt ended without a response head and no retry
/// follows: Envoy's response flag for the stream reset reason (Filter::
/// streamResetReasonToResponseFlag), the reply's body and %RESPONSE_CODE_DETAILS%, which both
/// name that reason (Http::Utility::resetReasonToString). Timeouts are answered 504 UT instead.
struct AttemptFailureReply {
    std::string_view flag;
    std::string_view body;
    std::string_view details;
};
[[nodiscard]] constexpr AttemptFailureReply attemptFailureReply(AttemptEnd end) {
    switch (end) {
    case AttemptEnd::ConnectFailure:
        return {"UF", kUpstreamConnectFailure, "upstream_reset_before_response_started{connection_failure}"};
    case AttemptEnd::RemoteReset:
        return {"UR", "upstream connect error or disconnect/reset before headers. reset reason: remote reset",
                "upstream_reset_before_response_started{remote_reset}"};
    case AttemptEnd::RefusedStream:
        return {"UR",
                "upstream connect error or disconnect/reset before headers. reset reason: remote refused "
                "stream reset",
                "upstream_reset_before_response_started{remote_refused_stream_reset}"};
    case AttemptEnd::Reset:
    case AttemptEnd::Response:
    case AttemptEnd::PerTryTimeout:
        break;
    }
    return {"UC", kUpstreamResetBeforeHeaders,
            "upstream_reset_before_response_started{connection_termination}"};
}

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
    case AttemptEnd::RemoteReset:
    case AttemptEnd::RefusedStream:
        break;
    }
    return 503;
}

} // namespace sluice::proxy
