// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a recording reader returns: the requests it read, the lines it could not use (each with
// its line number and why), or an error value when the file as a whole cannot be read.
// Plain values; no exception ever leaves the traffic readers.

#include "recorded_request.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sluice::traffic {

/// The recording formats Sluice reads. Names (for --format) in formatName().
enum class RecordingFormat : std::uint8_t {
    Har,       ///< "har": HAR 1.1 / 1.2 (browser devtools, mitmproxy, Charles, Insomnia)
    EnvoyText, ///< "envoy": Envoy's default text access log, and Istio's (Istio 1.9+ and older)
    EnvoyJson, ///< "envoy-json": one JSON object per line (Istio's JSON encoding, Sluice's own)
    Nginx,     ///< "nginx": nginx/Apache combined and common (optionally behind a syslog prefix)
    Jsonl,     ///< "jsonl": Sluice JSONL (schema in jsonl_reader.h)
};

/// "har", "envoy", "envoy-json", "nginx", "jsonl".
[[nodiscard]] std::string_view formatName(RecordingFormat format);
/// The format named `name` (as formatName() spells it), or nullopt.
[[nodiscard]] std::optional<RecordingFormat> formatFromName(std::string_view name);

/// Limits every reader applies (documented in the CLI help too).
struct ReadLimits {
    /// A larger file is refused as a whole (an error value), before anything is read.
    static constexpr std::uint64_t kMaxFileBytes = std::uint64_t(1) << 30; // 1 GiB
    /// A longer line (line formats) is skipped with its length, never held in memory whole.
    static constexpr std::size_t kMaxLineBytes = std::size_t(1) << 20; // 1 MiB
    /// Skipped lines are all counted; the first this many are listed with line and reason.
    static constexpr std::size_t kMaxListedSkips = 10000;
};

/// A line (or HAR entry) that gave no request, and why.
struct SkippedLine {
    std::size_t line = 0;   ///< 1-based; 0: unknown
    std::size_t column = 0; ///< 1-based; 0: unknown
    std::string reason;     ///< "expected [time_local] after the remote user", "log.entries[3]: ..."
};

/// The requests read from one file, in time order (stable: file order among equal times).
struct Recording {
    std::string file; ///< as given; "" for text read from memory without a name
    RecordingFormat format = RecordingFormat::Jsonl;
    std::string detail; ///< "HAR 1.2", "Istio text (1.9+)", "nginx combined"...
    std::vector<RecordedRequest> requests;
    std::vector<SkippedLine> skipped; ///< at most ReadLimits::kMaxListedSkips, in file order
    std::size_t skippedCount = 0;     ///< all of them, listed or not
};

/// Why a file could not be read at all.
struct ReadError {
    std::string file;
    std::optional<RecordingFormat> format; ///< the format tried; nullopt: none was recognised
    std::string message;                   ///< "no line could be read as nginx combined/common"
    std::vector<SkippedLine> skipped;      ///< the lines that failed, when the format was tried
    std::size_t skippedCount = 0;
};

/// A Recording, or a ReadError.
class ReadResult {
public:
    ReadResult(Recording recording)
        : m_value(std::move(recording)) {}
    ReadResult(ReadError error)
        : m_value(std::move(error)) {}

    [[nodiscard]] bool ok() const { return std::holds_alternative<Recording>(m_value); }
    /// Precondition: ok().
    [[nodiscard]] const Recording& recording() const { return std::get<Recording>(m_value); }
    [[nodiscard]] Recording& recording() { return std::get<Recording>(m_value); }
    /// Precondition: !ok().
    [[nodiscard]] const ReadError& error() const { return std::get<ReadError>(m_value); }

private:
    std::variant<Recording, ReadError> m_value;
};

} // namespace sluice::traffic
