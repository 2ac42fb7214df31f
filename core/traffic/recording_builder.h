// SPDX-License-Identifier: Apache-2.0
#pragma once

// Collects what a reader finds (requests, skipped lines) and turns it into a Recording with
// offsets from the earliest request, or into a ReadError when nothing in the file was
// recognised as the format. Internal to core/traffic; one per read.

#include "recording.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::traffic {

class RecordingBuilder {
public:
    RecordingBuilder(std::string file, RecordingFormat format);

    /// A request read. `stamp` places it in time, in µs on any fixed axis (the Unix epoch for
    /// timestamps, the JSONL t_ms origin); a request without one takes the previous request's.
    void add(RecordedRequest request, std::optional<std::chrono::microseconds> stamp);
    /// Something that gave no request (listed up to ReadLimits::kMaxListedSkips, always counted).
    void skip(std::size_t line, std::size_t column, std::string reason);
    /// A record of this format was seen, even if it gave no request (an nginx "-" request
    /// line, an Envoy TCP entry): the file is of this format.
    void markRecognised() { m_recognised = true; }
    [[nodiscard]] bool recognised() const { return m_recognised || !m_recording.requests.empty(); }
    /// "HAR 1.2", "Istio text (1.9+)": kept once set.
    void setDetail(std::string detail);

    /// The requests in time order (stable), offsets from the earliest; or a ReadError saying
    /// `whyNothing` (default: "no line could be read as <format>") when nothing was recognised.
    [[nodiscard]] ReadResult finish(std::string whyNothing = {});
    /// A ReadError with `message` and the skips collected so far.
    [[nodiscard]] ReadResult fail(std::string message);

private:
    std::shared_ptr<const std::string> m_file;
    Recording m_recording;
    std::vector<std::optional<std::chrono::microseconds>> m_stamps;
    bool m_recognised = false;
};

} // namespace sluice::traffic
