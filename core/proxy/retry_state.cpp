// SPDX-License-Identifier: Apache-2.0
#include "retry_state.h"

#include <algorithm>
#include <string_view>

namespace sluice::proxy {
namespace {

constexpr std::chrono::milliseconds kBaseInterval{25}; // Envoy's default retry back-off
constexpr std::chrono::milliseconds kMaxInterval{250}; // 10 x base, Envoy's default cap

} // namespace

RetryState::RetryState(const routing::RetryPolicy& policy)
    : m_policy(policy) {}

std::uint16_t RetryState::flags() const {
    if (m_parsed)
        return m_on;
    m_parsed = true;
    std::string_view list = m_policy.retryOn;
    while (!list.empty()) {
        const auto comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        if (item == "5xx")
            m_on |= On5xx;
        else if (item == "gateway-error")
            m_on |= OnGatewayError;
        else if (item == "reset")
            m_on |= OnReset;
        else if (item == "connect-failure")
            m_on |= OnConnectFailure;
        else if (item == "retriable-4xx")
            m_on |= OnRetriable4xx;
        else if (item == "retriable-status-codes")
            m_on |= OnStatusCodes;
        else if (item == "refused-stream")
            m_on |= OnRefusedStream;
        if (comma == std::string_view::npos)
            break;
        list.remove_prefix(comma + 1);
    }
    return m_on;
}

bool RetryState::retriable(AttemptEnd end, int status) const {
    // Nearly every request ends with an answer below 409, which only a listed status code can
    // retry: that case needs no look at retryOn.
    if (end == AttemptEnd::Response && status < 409 && m_policy.retriableStatusCodes.empty())
        return false;
    const std::uint16_t on = flags();
    switch (end) {
    case AttemptEnd::ConnectFailure:
        // 5xx and gateway-error cover an upstream that does not respond at all.
        return (on & (On5xx | OnGatewayError | OnConnectFailure | OnReset)) != 0;
    case AttemptEnd::Reset:
    case AttemptEnd::RemoteReset:
        return (on & (On5xx | OnGatewayError | OnReset)) != 0;
    case AttemptEnd::PerTryTimeout:
        return (on & (On5xx | OnGatewayError | OnReset)) != 0;
    case AttemptEnd::RefusedStream: // Envoy's wouldRetryFromReset
        return (on & (On5xx | OnGatewayError | OnReset | OnRefusedStream)) != 0;
    case AttemptEnd::Response:
        break;
    }
    if ((on & On5xx) && status >= 500 && status <= 599)
        return true;
    if ((on & OnGatewayError) && (status == 502 || status == 503 || status == 504))
        return true;
    if ((on & OnRetriable4xx) && status == 409)
        return true;
    if (on & OnStatusCodes)
        return std::find(m_policy.retriableStatusCodes.begin(), m_policy.retriableStatusCodes.end(),
                         static_cast<std::uint32_t>(status)) != m_policy.retriableStatusCodes.end();
    return false;
}

bool RetryState::retry(AttemptEnd end, int status) {
    if (m_attempt > m_policy.attempts || !retriable(end, status))
        return false;
    ++m_attempt;
    return true;
}

std::chrono::milliseconds RetryState::backoff(routing::Rng& rng) const {
    const int retries = std::max(1, m_attempt - 1);
    const std::int64_t ceiling = std::min<std::int64_t>(
        kMaxInterval.count(), ((std::int64_t{1} << std::min(retries, 10)) - 1) * kBaseInterval.count());
    return std::chrono::milliseconds(
        static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(ceiling) + 1)));
}

} // namespace sluice::proxy
