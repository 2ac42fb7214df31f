// SPDX-License-Identifier: Apache-2.0
#pragma once

// Recorded requests made ready to send again (`sluice replay`): hop-by-hop headers dropped,
// HTTP/1.1 bytes built once, the recorded timing turned into a schedule.

#include "recording.h"
#include "request_source.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::traffic {

struct PreparedRequest {
    std::size_t record = 0; ///< index in Recording::requests
    std::string method;
    std::string scheme; ///< "http" / "https" as recorded (empty: unknown)
    std::string authority;
    std::string path;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string http1;
};

struct ReplayPreparation {
    std::vector<PreparedRequest> requests;
    /// Recorded requests that cannot be sent, with their line and why (no Host recorded and no
    /// --host, a method that is not a token, a target that is not origin-form, CR/LF in a header).
    std::vector<SkippedLine> unsendable;
};

/// Prepares every request of `recording`. `fallbackAuthority`: the Host of requests that recorded
/// none (nginx logs); empty: such requests are unsendable.
[[nodiscard]] ReplayPreparation prepareReplay(const Recording& recording,
                                              const std::string& fallbackAuthority);

/// How replayed requests are paced.
struct ReplayTiming {
    double speed = 1;           ///< recorded gaps divided by this
    std::optional<double> rate; ///< instead: evenly at this many requests per second
};

/// When each prepared request is due, from the replay's start: its recorded offset (relative to
/// the first prepared request) divided by the speed, or k / rate.
[[nodiscard]] std::vector<std::chrono::microseconds>
replayOffsets(const Recording& recording, const std::vector<PreparedRequest>& requests,
              const ReplayTiming& timing);

/// Sends prepared requests: slot k is requests[slots[k]].
class ReplaySourceFactory final : public RequestSourceFactory {
public:
    ReplaySourceFactory(std::shared_ptr<const std::vector<PreparedRequest>> requests,
                        std::shared_ptr<const std::vector<std::size_t>> slots)
        : m_requests(std::move(requests))
        , m_slots(std::move(slots)) {}

    [[nodiscard]] std::unique_ptr<RequestSource> make(std::uint64_t seed) const override;

private:
    std::shared_ptr<const std::vector<PreparedRequest>> m_requests;
    std::shared_ptr<const std::vector<std::size_t>> m_slots;
};

} // namespace sluice::traffic
