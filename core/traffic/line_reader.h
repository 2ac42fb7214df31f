// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reads a stream line by line with bounded memory: a line longer than the cap is reported with
// its length and skipped, never held whole. Internal to core/traffic.

#include "recording.h"

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::traffic {

class LineReader {
public:
    struct Line {
        std::string_view text;  ///< without "\n" or "\r\n"; a leading UTF-8 BOM removed on line 1
        std::size_t number = 0; ///< 1-based
        std::size_t length = 0; ///< bytes in the line, also when it is over the cap
        bool tooLong = false;   ///< over the cap: `text` is empty
    };

    /// Reads at most `maxTotalBytes` from `in` (a file still growing stops there).
    explicit LineReader(std::istream& in, std::size_t maxLineBytes = ReadLimits::kMaxLineBytes,
                        std::uint64_t maxTotalBytes = ReadLimits::kMaxFileBytes);

    /// The next line; false at the end of the stream (or of the byte budget).
    /// `line.text` stays valid until the next call.
    bool next(Line& line);

    /// True when reading stopped at maxTotalBytes with more data in the stream.
    [[nodiscard]] bool stoppedAtLimit() const { return m_stoppedAtLimit; }

private:
    bool fill();

    std::istream& m_in;
    std::size_t m_maxLine;
    std::uint64_t m_maxTotal;
    std::uint64_t m_total = 0;
    std::vector<char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    std::string m_line;
    std::size_t m_number = 0;
    bool m_stoppedAtLimit = false;
};

} // namespace sluice::traffic
