// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "access_log_sink.h"

#include <cstddef>
#include <mutex>
#include <vector>

namespace sluice::proxy {

/// The access log of the Studio: the last requests the proxy served, kept in a bounded ring in
/// memory and taken out in batches (drain()) by one reader, e.g. ten times a second.
///
/// The ring holds `capacity` records whose strings keep their memory from one request to the
/// next: once warm, write() allocates nothing and copies the record under one short lock (the
/// file log holds its lock for a formatted write). When more requests arrive between two drains
/// than the ring holds, the oldest are overwritten and counted as dropped.
///
/// Threads: write() from any number of proxy workers; drain() from one thread at a time.
class RecentRequests final : public AccessLogSink {
public:
    static constexpr std::size_t kDefaultCapacity = 2048;

    /// Precondition: capacity > 0.
    explicit RecentRequests(std::size_t capacity = kDefaultCapacity);

    void write(const RequestRecord& record) override;

    /// Appends to `out` the records written since the last drain, oldest first (at most
    /// capacity(): the newest). Returns how many older ones were overwritten unread since.
    std::size_t drain(std::vector<RequestRecord>& out);

    [[nodiscard]] std::size_t capacity() const { return m_capacity; }

private:
    const std::size_t m_capacity;
    std::mutex m_mutex; ///< guards the four below
    std::vector<RequestRecord> m_filling;
    std::size_t m_next = 0;  ///< the slot the next record goes to
    std::size_t m_count = 0; ///< records in m_filling not drained yet
    std::size_t m_dropped = 0;
    /// The buffer drain() reads while the workers fill the other one (its strings' memory is kept
    /// for when it becomes the filling one again). Only drain() touches it.
    std::vector<RequestRecord> m_draining;
};

} // namespace sluice::proxy
