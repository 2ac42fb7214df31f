// SPDX-License-Identifier: Apache-2.0
#pragma once

// The loop every line-based reader (Envoy text and JSON, nginx, JSONL) shares: bounded lines,
// blank lines ignored, each other line parsed into a request or a counted skip with its line
// number. Internal to core/traffic.

#include "recording.h"
#include "recording_builder.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::traffic {

/// What one line gave.
struct LineOutcome {
    enum class Kind {
        Request,     ///< `request` (and `stamp`) filled
        NotARequest, ///< a well-formed record of the format that carries no request: skipped, `reason`
        Malformed,   ///< not a record of the format: skipped, `reason` (and `column` if known)
        Ignored,     ///< a comment line the format allows
    };
    Kind kind = Kind::Malformed;
    RecordedRequest request;
    std::optional<std::chrono::microseconds> stamp;
    std::string reason;
    std::size_t column = 0;
    std::string_view detail; ///< the variant this line is in ("nginx combined"); static text

    static LineOutcome malformed(std::string why, std::size_t column = 0) {
        LineOutcome out;
        out.reason = std::move(why);
        out.column = column;
        return out;
    }
    static LineOutcome notARequest(std::string why) {
        LineOutcome out = malformed(std::move(why));
        out.kind = Kind::NotARequest;
        return out;
    }
};

using LineParser = std::function<LineOutcome(std::string_view line)>;

/// Reads every line of `in` with `parse` into `builder`, then finishes it.
[[nodiscard]] ReadResult readLineRecords(std::istream& in, RecordingBuilder& builder,
                                         const LineParser& parse);

} // namespace sluice::traffic
