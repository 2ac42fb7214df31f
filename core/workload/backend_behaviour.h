// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/workload.h"
#include "routing/rng.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace sluice::workload {

/// How long a simulated replica takes: a log-normal distribution through p50 and p99 (what
/// latency measurements usually report; real service latencies are close to log-normal with a
/// long right tail), or a fixed time.
class LatencySampler {
public:
    LatencySampler() = default; ///< answers at once
    [[nodiscard]] static LatencySampler fixed(std::chrono::microseconds value);
    /// p99 below p50 is treated as p99 == p50 (a fixed latency).
    [[nodiscard]] static LatencySampler fromPercentiles(std::chrono::microseconds p50,
                                                        std::chrono::microseconds p99);

    [[nodiscard]] std::chrono::microseconds sample(routing::Rng& rng) const;
    [[nodiscard]] double medianMicros() const;
    [[nodiscard]] double sigma() const { return m_sigma; }

private:
    double m_mu = 0.0; ///< ln(median in µs); unused when m_fixed
    double m_sigma = 0.0;
    bool m_fixed = true;
    std::chrono::microseconds m_value{0};
};

/// What a replica answers to its next request: status, delay before answering, body size.
struct PlannedResponse {
    int status = 200;
    std::chrono::microseconds delay{0};
    std::optional<std::uint64_t> bodyBytes; ///< nullopt: the echo body, whatever its size
};

/// A Workload's scripted behaviour, compiled once from its spec: latency model, error rate and
/// status, a cycled status sequence (which wins over the error rate), response size.
class BackendBehaviour {
public:
    BackendBehaviour() = default; ///< 200 at once, echo body
    [[nodiscard]] static BackendBehaviour fromSpec(const model::WorkloadSpec& spec);
    /// A scripted backend (route tests' `backends`): a fixed delay, one status for every answer,
    /// or a cycled sequence of statuses (which wins over `status`).
    [[nodiscard]] static BackendBehaviour scripted(std::chrono::microseconds delay, std::optional<int> status,
                                                   std::vector<int> sequence);

    /// `served` counts the requests this replica answered before this one (drives the sequence).
    [[nodiscard]] PlannedResponse next(routing::Rng& rng, std::uint64_t served) const;
    [[nodiscard]] const LatencySampler& latency() const { return m_latency; }

private:
    LatencySampler m_latency;
    double m_errorRate = 0.0; ///< 0..1
    int m_errorStatus = 503;
    std::vector<int> m_sequence;
    std::optional<std::uint64_t> m_bodyBytes;
};

} // namespace sluice::workload
