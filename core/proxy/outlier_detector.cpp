// SPDX-License-Identifier: Apache-2.0
#include "outlier_detector.h"

#include <algorithm>

namespace sluice::proxy {
namespace {

bool isGatewayError(int status) {
    return status == 502 || status == 503 || status == 504;
}

std::int64_t toNanos(std::chrono::milliseconds d) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

} // namespace

OutlierDetector::OutlierDetector(const OutlierPolicy& policy, std::size_t endpoints, Clock::time_point start)
    : m_policy(policy)
    , m_start(start)
    , m_count(endpoints)
    , m_hosts(std::make_unique<Host[]>(endpoints)) {
    if (m_policy.interval.count() <= 0)
        m_policy.interval = std::chrono::milliseconds(1);
}

std::int64_t OutlierDetector::nanos(Clock::time_point t) const {
    return std::max<std::int64_t>(0,
                                  std::chrono::duration_cast<std::chrono::nanoseconds>(t - m_start).count());
}

bool OutlierDetector::ejected(std::size_t endpoint, Clock::time_point now) const {
    const std::int64_t until = m_hosts[endpoint].ejectedUntil.load(std::memory_order_acquire);
    return until != 0 && nanos(now) < until;
}

void OutlierDetector::settle(Host& host, std::int64_t now) {
    const std::int64_t until = host.ejectedUntil.load(std::memory_order_relaxed);
    if (until == 0 || now < until)
        return;
    // Envoy's unejectHost: back in service, its consecutive counters start over.
    host.consecutive5xx.store(0, std::memory_order_relaxed);
    host.consecutiveGateway.store(0, std::memory_order_relaxed);
    host.lastUneject = until;
    host.ejectedUntil.store(0, std::memory_order_release);
    m_marked.fetch_sub(1, std::memory_order_relaxed);
}

void OutlierDetector::report(std::size_t endpoint, int status, Clock::time_point now) {
    if (!m_policy.enabled || endpoint >= m_count || status < 200)
        return;
    Host& host = m_hosts[endpoint];
    const std::int64_t t = nanos(now);
    if (const std::int64_t until = host.ejectedUntil.load(std::memory_order_acquire);
        until != 0 && t >= until) {
        const std::lock_guard lock(m_mutex);
        settle(host, t);
    }
    if (status < 500 || status > 599) {
        host.consecutive5xx.store(0, std::memory_order_relaxed);
        host.consecutiveGateway.store(0, std::memory_order_relaxed);
        return;
    }
    // Envoy's putHttpResponseCode: the detector is told when a count reaches the threshold.
    if (isGatewayError(status)) {
        if (host.consecutiveGateway.fetch_add(1, std::memory_order_relaxed) + 1 ==
            m_policy.consecutiveGatewayErrors)
            onConsecutiveErrors(endpoint, true, t);
    } else {
        host.consecutiveGateway.store(0, std::memory_order_relaxed);
    }
    if (host.consecutive5xx.fetch_add(1, std::memory_order_relaxed) + 1 == m_policy.consecutive5xx)
        onConsecutiveErrors(endpoint, false, t);
}

void OutlierDetector::onConsecutiveErrors(std::size_t endpoint, bool gateway, std::int64_t now) {
    const std::lock_guard lock(m_mutex);
    Host& host = m_hosts[endpoint];
    settle(host, now);
    if (host.ejectedUntil.load(std::memory_order_relaxed) != 0)
        return; // already out (Envoy ignores the event)
    eject(host, gateway, now);
    // Whether or not it was ejected, the count starts over (onConsecutiveErrorWorker).
    (gateway ? host.consecutiveGateway : host.consecutive5xx).store(0, std::memory_order_relaxed);
}

void OutlierDetector::eject(Host& host, bool gateway, std::int64_t now) {
    std::size_t active = 0;
    for (std::size_t i = 0; i < m_count; ++i) {
        settle(m_hosts[i], now);
        active += m_hosts[i].ejectedUntil.load(std::memory_order_relaxed) != 0;
    }
    const double percent = 100.0 * static_cast<double>(active + 1) / static_cast<double>(m_count);
    if (percent > static_cast<double>(std::min<std::uint32_t>(100, m_policy.maxEjectionPercent)))
        return; // ejections_overflow
    if (!(gateway ? m_policy.enforceGatewayErrors : m_policy.enforce5xx))
        return;
    const std::int64_t interval = toNanos(m_policy.interval);
    const std::int64_t base = toNanos(m_policy.baseEjectionTime);
    const std::int64_t max = toNanos(m_policy.maxEjectionTime);
    // The interval timer took one off the backoff at every tick the endpoint spent in service.
    if (host.lastUneject >= 0) {
        const std::int64_t ticks = (now - host.lastUneject) / interval;
        host.backoff = static_cast<std::uint32_t>(std::max<std::int64_t>(0, host.backoff - ticks));
    }
    if (static_cast<std::int64_t>(host.backoff) * base < max + base)
        ++host.backoff;
    ++host.ejections;
    const std::int64_t duration = std::min(base * host.backoff, max);
    // Un-ejected at the first interval tick (start + k x interval, k >= 1) at or after that.
    const std::int64_t due = now + duration;
    const std::int64_t tick = std::max<std::int64_t>(1, (due + interval - 1) / interval) * interval;
    host.ejectedUntil.store(tick, std::memory_order_release);
    m_marked.fetch_add(1, std::memory_order_relaxed);
}

HostCandidates OutlierDetector::candidates(Clock::time_point now, std::vector<std::uint32_t>& scratch) const {
    if (!m_policy.enabled || m_marked.load(std::memory_order_relaxed) == 0)
        return HostCandidates::every(m_count);
    scratch.clear();
    for (std::size_t i = 0; i < m_count; ++i)
        if (!ejected(i, now))
            scratch.push_back(static_cast<std::uint32_t>(i));
    if (scratch.size() == m_count)
        return HostCandidates::every(m_count);
    // Envoy's panic threshold: below it the balancer ignores health and uses every endpoint.
    if (scratch.size() * 100 < static_cast<std::size_t>(m_policy.minHealthPercent) * m_count)
        return HostCandidates::every(m_count);
    return {m_count, scratch, false};
}

OutlierDetector::EndpointView OutlierDetector::view(std::size_t endpoint, Clock::time_point now) const {
    EndpointView v;
    if (endpoint >= m_count)
        return v;
    const Host& host = m_hosts[endpoint];
    const std::int64_t t = nanos(now);
    const std::lock_guard lock(m_mutex);
    const std::int64_t until = host.ejectedUntil.load(std::memory_order_relaxed);
    v.ejected = until != 0 && t < until;
    v.ejections = host.ejections;
    if (v.ejected)
        v.remaining =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(until - t));
    v.consecutive5xx = host.consecutive5xx.load(std::memory_order_relaxed);
    v.consecutiveGatewayErrors = host.consecutiveGateway.load(std::memory_order_relaxed);
    return v;
}

} // namespace sluice::proxy
