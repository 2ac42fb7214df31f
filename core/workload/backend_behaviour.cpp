// SPDX-License-Identifier: Apache-2.0
#include "backend_behaviour.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sluice::workload {
namespace {

// The standard normal's 99th percentile: ln(p99) = mu + kZ99 * sigma for a log-normal.
constexpr double kZ99 = 2.3263478740408408;

std::chrono::microseconds micros(const model::Located<model::Duration>& d) {
    return std::chrono::duration_cast<std::chrono::microseconds>(d.value.value());
}

/// Uniform in (0, 1]: never 0, so its logarithm is finite.
double unitOpen(routing::Rng& rng) {
    return (static_cast<double>(rng.next() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
}

} // namespace

LatencySampler LatencySampler::fixed(std::chrono::microseconds value) {
    LatencySampler s;
    s.m_value = std::max(value, std::chrono::microseconds{0});
    return s;
}

LatencySampler LatencySampler::fromPercentiles(std::chrono::microseconds p50, std::chrono::microseconds p99) {
    if (p50.count() <= 0 || p99 <= p50)
        return fixed(std::max(p50, p99));
    LatencySampler s;
    s.m_fixed = false;
    s.m_mu = std::log(static_cast<double>(p50.count()));
    s.m_sigma = (std::log(static_cast<double>(p99.count())) - s.m_mu) / kZ99;
    return s;
}

std::chrono::microseconds LatencySampler::sample(routing::Rng& rng) const {
    if (m_fixed)
        return m_value;
    // Box-Muller: one standard normal from two uniforms.
    const double z =
        std::sqrt(-2.0 * std::log(unitOpen(rng))) * std::cos(2.0 * std::numbers::pi * unitOpen(rng));
    const double value = std::exp(m_mu + m_sigma * z);
    // A day caps the tail: far beyond any timeout, and no overflow on the way to an integer.
    return std::chrono::microseconds(static_cast<std::int64_t>(std::min(value, 86400e6)));
}

double LatencySampler::medianMicros() const {
    return m_fixed ? static_cast<double>(m_value.count()) : std::exp(m_mu);
}

BackendBehaviour BackendBehaviour::fromSpec(const model::WorkloadSpec& spec) {
    BackendBehaviour b;
    if (const auto& l = spec.latency) {
        if (l->fixed.present)
            b.m_latency = LatencySampler::fixed(micros(l->fixed));
        else if (l->p50.present && l->p99.present)
            b.m_latency = LatencySampler::fromPercentiles(micros(l->p50), micros(l->p99));
        else if (l->p50.present || l->p99.present) // one point fixes no spread: answer at that value
            b.m_latency = LatencySampler::fixed(micros(l->p50.present ? l->p50 : l->p99));
    }
    if (const auto& e = spec.errors) {
        b.m_errorRate = e->rate.present ? std::clamp(e->rate.value, 0.0, 1.0) : 0.0;
        if (e->status.present)
            b.m_errorStatus = static_cast<int>(e->status.value);
    }
    for (const auto& status : spec.sequence)
        b.m_sequence.push_back(static_cast<int>(status.value));
    if (spec.responseBytes.present)
        b.m_bodyBytes = spec.responseBytes.value;
    return b;
}

BackendBehaviour BackendBehaviour::scripted(std::chrono::microseconds delay, std::optional<int> status,
                                            std::vector<int> sequence) {
    BackendBehaviour b;
    b.m_latency = LatencySampler::fixed(delay);
    if (status) {
        b.m_errorRate = 1.0;
        b.m_errorStatus = *status;
    }
    b.m_sequence = std::move(sequence);
    return b;
}

PlannedResponse BackendBehaviour::next(routing::Rng& rng, std::uint64_t served) const {
    PlannedResponse r;
    r.delay = m_latency.sample(rng);
    r.bodyBytes = m_bodyBytes;
    if (!m_sequence.empty())
        r.status = m_sequence[served % m_sequence.size()];
    else if (m_errorRate > 0.0 && rng.percent() < m_errorRate * 100.0)
        r.status = m_errorStatus;
    return r;
}

} // namespace sluice::workload
