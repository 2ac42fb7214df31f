// SPDX-License-Identifier: Apache-2.0
#pragma once

// The entry point of core/traffic's readers: a recording file (or text) in, a Recording or a
// ReadError out. Never throws. Thread-safe (no shared state); call from any thread.
//
// Limits (ReadLimits): files over 1 GiB are refused whole; line formats skip lines over 1 MiB
// with their length; skipped lines are all counted and the first 10,000 listed. Requests are
// held in memory (roughly 2-3 times their text), so the size cap bounds memory too.

#include "recording.h"

#include <istream>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::traffic {

/// Reads the regular file `path` in `format`, or in the format detectFormat() finds in its
/// first 64 KiB. Errors: the file cannot be opened, is not a regular file, is empty or over
/// the size cap, no format is recognised, or nothing in it reads as the format.
[[nodiscard]] ReadResult readRecordingFile(const std::string& path,
                                           std::optional<RecordingFormat> format = {});

/// The same for text in memory (an editor buffer, a test); `name` stands for the file.
[[nodiscard]] ReadResult readRecordingText(std::string_view text, const std::string& name,
                                           std::optional<RecordingFormat> format = {});

/// Reads `in` in `format` (no detection, no size check beyond the readers' own limits).
[[nodiscard]] ReadResult readRecording(std::istream& in, const std::string& name, RecordingFormat format);

} // namespace sluice::traffic
