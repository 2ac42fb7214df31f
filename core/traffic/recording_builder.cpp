// SPDX-License-Identifier: Apache-2.0
#include "recording_builder.h"

#include <algorithm>

namespace sluice::traffic {

RecordingBuilder::RecordingBuilder(std::string file, RecordingFormat format)
    : m_file(std::make_shared<const std::string>(file)) {
    m_recording.file = std::move(file);
    m_recording.format = format;
}

void RecordingBuilder::add(RecordedRequest request, std::optional<std::chrono::microseconds> stamp) {
    request.source.file = m_file;
    m_recording.requests.push_back(std::move(request));
    m_stamps.push_back(stamp);
}

void RecordingBuilder::skip(std::size_t line, std::size_t column, std::string reason) {
    ++m_recording.skippedCount;
    if (m_recording.skipped.size() < ReadLimits::kMaxListedSkips)
        m_recording.skipped.push_back(SkippedLine{line, column, std::move(reason)});
}

void RecordingBuilder::setDetail(std::string detail) {
    if (m_recording.detail.empty())
        m_recording.detail = std::move(detail);
}

ReadResult RecordingBuilder::finish(std::string whyNothing) {
    if (!recognised()) {
        if (whyNothing.empty())
            whyNothing = m_recording.skippedCount == 0
                             ? "the file holds no " + std::string(formatName(m_recording.format)) + " records"
                             : "no line could be read as " + std::string(formatName(m_recording.format));
        return fail(std::move(whyNothing));
    }
    auto& requests = m_recording.requests;
    // Requests without a stamp take the previous one's (the first known for the leading ones).
    std::optional<std::chrono::microseconds> carried;
    for (const auto& stamp : m_stamps)
        if (stamp) {
            carried = stamp;
            break;
        }
    for (std::size_t i = 0; i < requests.size(); ++i) {
        if (m_stamps[i])
            carried = m_stamps[i];
        requests[i].offset = carried.value_or(std::chrono::microseconds{0});
    }
    if (!requests.empty()) {
        const auto earliest =
            std::min_element(requests.begin(), requests.end(), [](const auto& a, const auto& b) {
                return a.offset < b.offset;
            })->offset;
        for (auto& request : requests)
            request.offset -= earliest;
        std::stable_sort(requests.begin(), requests.end(),
                         [](const auto& a, const auto& b) { return a.offset < b.offset; });
    }
    m_stamps.clear();
    return ReadResult(std::move(m_recording));
}

ReadResult RecordingBuilder::fail(std::string message) {
    ReadError error;
    error.file = m_recording.file;
    error.format = m_recording.format;
    error.message = std::move(message);
    error.skipped = std::move(m_recording.skipped);
    error.skippedCount = m_recording.skippedCount;
    return ReadResult(std::move(error));
}

} // namespace sluice::traffic
