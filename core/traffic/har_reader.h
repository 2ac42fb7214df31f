// SPDX-License-Identifier: Apache-2.0
#pragma once

// HAR 1.1 and 1.2 (browser devtools, mitmproxy, Charles, Insomnia...): log.entries[] into
// requests (what each entry gives: har_entry.h). The document is parsed as a stream: each
// entry is converted as soon as it is complete and then dropped, response bodies and pages are
// never kept, so memory follows the largest entry, not the file. A UTF-8 byte-order mark is
// skipped.
//
// An entry that cannot be used (wrong types, no URL, a data: URL...) is skipped with its index
// and the line its '{' is on. A document cut short keeps the entries completed before the cut
// and reports the cut with its line and column; with no complete entry it is an error value,
// as is anything that is not a JSON object with a log.entries array.

#include "recording.h"

#include <istream>
#include <string>

namespace sluice::traffic {

class HarReader {
public:
    /// Reads at most ReadLimits::kMaxFileBytes of `in`; `file` names it in the result.
    [[nodiscard]] static ReadResult read(std::istream& in, const std::string& file);
};

} // namespace sluice::traffic
