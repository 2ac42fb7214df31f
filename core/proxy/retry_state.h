// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "routing/decision.h"
#include "routing/rng.h"

#include <chrono>
#include <cstdint>

namespace sluice::proxy {

/// How one upstream attempt ended, as Envoy's router tells its retry policy.
enum class AttemptEnd : std::uint8_t {
    Response,       ///< a response head arrived (its status decides)
    ConnectFailure, ///< no connection (refused, unreachable, connect timeout)
    Reset,          ///< the connection ended before a response head (Envoy's ConnectionTermination, UC)
    /// An HTTP/2 upstream reset the stream (RST_STREAM) before its head: Envoy's RemoteReset (UR),
    /// retried as a reset.
    RemoteReset,
    PerTryTimeout, ///< no response head within the per-try timeout
    /// An HTTP/2 upstream refused the stream (REFUSED_STREAM, also for streams a GOAWAY left out):
    /// it never processed it. Envoy's RemoteRefusedStreamReset: a reset, and what `refused-stream`
    /// retries (in Istio's default retryOn) where `reset` alone is not configured.
    RefusedStream,
};

/// Envoy's retry decision for one request under a route's RetryPolicy (Istio's conversion of
/// HTTPRetry): which ends are retried (retry_on: 5xx, gateway-error, reset, connect-failure,
/// refused-stream, retriable-4xx, retriable-status-codes; unavailable and cancelled concern gRPC
/// status codes), how many times, and the jittered exponential back-off between attempts
/// (25 ms base, 250 ms cap, Envoy's defaults).
class RetryState {
public:
    explicit RetryState(const routing::RetryPolicy& policy);

    /// Whether the attempt that ended so should be followed by another one. Counts the retry.
    [[nodiscard]] bool retry(AttemptEnd end, int status = 0);
    /// 1-based number of the attempt about to start or in flight.
    [[nodiscard]] int attempt() const { return m_attempt; }
    /// How long to wait before the next attempt: uniform in [0, (2^n - 1) x 25 ms], at most 250 ms.
    [[nodiscard]] std::chrono::milliseconds backoff(routing::Rng& rng) const;

    /// Would `end` (with `status`) be retried at all under this policy, attempts aside?
    [[nodiscard]] bool retriable(AttemptEnd end, int status) const;

private:
    enum Flag : std::uint16_t {
        On5xx = 1 << 0,
        OnGatewayError = 1 << 1,
        OnReset = 1 << 2,
        OnConnectFailure = 1 << 3,
        OnRetriable4xx = 1 << 4,
        OnStatusCodes = 1 << 5,
        OnRefusedStream = 1 << 6,
    };

    /// The retryOn flags, parsed on first need (most requests never need them).
    [[nodiscard]] std::uint16_t flags() const;

    const routing::RetryPolicy& m_policy;
    mutable std::uint16_t m_on = 0;
    mutable bool m_parsed = false;
    int m_attempt = 1;
};

} // namespace sluice::proxy
