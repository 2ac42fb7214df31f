// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "serving_config.h"

#include <atomic>
#include <cstdint>
#include <mutex>

namespace sluice::proxy {

/// Where the current ServingConfig lives. Writers publish under a mutex and bump the version;
/// readers (workers) compare one atomic number per request and copy the pointer only when it
/// changed, so the hot path never takes the lock or touches a shared reference count.
class ConfigCell {
public:
    explicit ConfigCell(ServingConfigPtr config)
        : m_config(std::move(config)) {}

    void publish(ServingConfigPtr config) {
        const std::lock_guard lock(m_mutex);
        m_config = std::move(config);
        m_version.fetch_add(1, std::memory_order_release);
    }

    [[nodiscard]] std::uint64_t version() const { return m_version.load(std::memory_order_acquire); }

    [[nodiscard]] ServingConfigPtr load() const {
        const std::lock_guard lock(m_mutex);
        return m_config;
    }

private:
    mutable std::mutex m_mutex;
    ServingConfigPtr m_config;
    std::atomic<std::uint64_t> m_version{0};
};

} // namespace sluice::proxy
