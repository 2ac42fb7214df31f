// SPDX-License-Identifier: Apache-2.0
#include "recording.h"

#include <array>
#include <utility>

namespace sluice::traffic {
namespace {

constexpr std::array<std::pair<RecordingFormat, std::string_view>, 5> kNames{{
    {RecordingFormat::Har, "har"},
    {RecordingFormat::EnvoyText, "envoy"},
    {RecordingFormat::EnvoyJson, "envoy-json"},
    {RecordingFormat::Nginx, "nginx"},
    {RecordingFormat::Jsonl, "jsonl"},
}};

} // namespace

std::string_view formatName(RecordingFormat format) {
    for (const auto& [f, name] : kNames)
        if (f == format)
            return name;
    return "unknown";
}

std::optional<RecordingFormat> formatFromName(std::string_view name) {
    for (const auto& [f, n] : kNames)
        if (n == name)
            return f;
    return std::nullopt;
}

} // namespace sluice::traffic
