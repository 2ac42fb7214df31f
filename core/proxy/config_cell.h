// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "live_config.h"
#include "serving_config.h"

#include <atomic>
#include <cstdint>
#include <mutex>

namespace sluice::proxy {

/// Where the current config lives. Writers publish under a mutex and bump the version; readers
/// (workers, the simulated workloads' sidecars) compare one atomic number per request and copy
/// the pointer only when it changed, so the hot path never takes the lock or touches a shared
/// reference count. Publishing builds the version's LiveConfig (clusters, balancers, the
/// gateway's upstream state) on the writer's thread.
class ConfigCell {
public:
    explicit ConfigCell(ServingConfigPtr config)
        : m_live(std::make_shared<const LiveConfig>(std::move(config))) {}

    void publish(ServingConfigPtr config) {
        auto live = std::make_shared<const LiveConfig>(std::move(config));
        const std::lock_guard lock(m_mutex);
        m_live = std::move(live);
        m_version.fetch_add(1, std::memory_order_release);
    }

    [[nodiscard]] std::uint64_t version() const { return m_version.load(std::memory_order_acquire); }

    /// The current config; it keeps its whole LiveConfig alive.
    [[nodiscard]] ServingConfigPtr load() const { return servingConfigOf(loadLive()); }

    [[nodiscard]] LiveConfigPtr loadLive() const {
        const std::lock_guard lock(m_mutex);
        return m_live;
    }

private:
    mutable std::mutex m_mutex;
    LiveConfigPtr m_live;
    std::atomic<std::uint64_t> m_version{0};
};

} // namespace sluice::proxy
