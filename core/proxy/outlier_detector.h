// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cluster_policy.h"
#include "load_balancer.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace sluice::proxy {

/// Envoy's outlier detector for one cluster of one proxy (source/common/upstream/
/// outlier_detection_impl.cc), with the settings Istio gives it: consecutive 5xx and consecutive
/// gateway errors (502, 503, 504; local failures count as Envoy maps them: connect failures and
/// resets 503, timeouts 504) eject an endpoint at once, if one more ejection keeps the ejected
/// share within maxEjectionPercent (100 x (ejected + 1) / endpoints <= max: with the default 10 %
/// nothing is ejected below ten endpoints). An ejection lasts min(base x backoff, max) where the
/// backoff grows by one per ejection and shrinks by one per interval the endpoint stays healthy,
/// and ends at the first interval tick after that (Envoy un-ejects on its interval timer).
///
/// Envoy runs the detector on its main thread; here the per-endpoint counters are relaxed atomics
/// the workers update, ejection and its bookkeeping take a mutex (rare), and the interval ticks
/// are computed from the detector's start instead of a timer. The request path reads one atomic
/// per endpoint and never locks unless an ejection expired or one is due.
class OutlierDetector {
public:
    using Clock = std::chrono::steady_clock;

    OutlierDetector(const OutlierPolicy& policy, std::size_t endpoints, Clock::time_point start);

    [[nodiscard]] bool enabled() const { return m_policy.enabled; }
    [[nodiscard]] std::size_t size() const { return m_count; }

    /// Records how a request to `endpoint` ended: its HTTP status (0 or 1xx are ignored).
    void report(std::size_t endpoint, int status, Clock::time_point now);
    [[nodiscard]] bool ejected(std::size_t endpoint, Clock::time_point now) const;
    /// The endpoints a pick may use: the healthy ones (written to `scratch`), or every one when
    /// none is ejected or in panic mode (healthy share below minHealthPercent). Empty when every
    /// endpoint is ejected and panic mode is off: Envoy then answers 503 "no healthy upstream".
    [[nodiscard]] HostCandidates candidates(Clock::time_point now, std::vector<std::uint32_t>& scratch) const;

    struct EndpointView {
        bool ejected = false;
        std::uint32_t ejections = 0;            ///< times ejected so far
        std::chrono::milliseconds remaining{0}; ///< until it returns, when ejected
        std::uint32_t consecutive5xx = 0;
        std::uint32_t consecutiveGatewayErrors = 0;
    };
    [[nodiscard]] EndpointView view(std::size_t endpoint, Clock::time_point now) const;

private:
    struct Host {
        std::atomic<std::uint32_t> consecutive5xx{0};
        std::atomic<std::uint32_t> consecutiveGateway{0};
        std::atomic<std::int64_t> ejectedUntil{0}; ///< ns since m_start (an interval tick); 0: in service
        // Guarded by m_mutex.
        std::uint32_t ejections = 0;
        std::uint32_t backoff = 0;
        std::int64_t lastUneject = -1; ///< ns since m_start; -1: never
    };

    [[nodiscard]] std::int64_t nanos(Clock::time_point t) const;
    /// Puts back in service an endpoint whose ejection has run out. m_mutex held.
    void settle(Host& host, std::int64_t now);
    void onConsecutiveErrors(std::size_t endpoint, bool gateway, std::int64_t now);
    /// Envoy's ejectHost. m_mutex held.
    void eject(Host& host, bool gateway, std::int64_t now);

    OutlierPolicy m_policy;
    Clock::time_point m_start;
    std::size_t m_count = 0;
    std::unique_ptr<Host[]> m_hosts;
    std::atomic<std::uint32_t> m_marked{0}; ///< endpoints with ejectedUntil set (maybe run out)
    mutable std::mutex m_mutex;
};

} // namespace sluice::proxy
