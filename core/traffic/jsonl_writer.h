// SPDX-License-Identifier: Apache-2.0
#pragma once

// Writes a RecordedRequest as one Sluice JSONL line (schema in jsonl_reader.h), so any recording
// can be converted to the format Sluice owns and read back unchanged.

#include "recorded_request.h"

#include <string>

namespace sluice::traffic {

/// One line with its '\n'. Keys in schema order; empty fields and absent recorded values are
/// left out; headers as an object when no name repeats, else as [name, value] pairs; a body
/// that is not valid UTF-8 goes to body_base64. Bytes of the other strings that are not valid
/// UTF-8 are replaced by U+FFFD.
[[nodiscard]] std::string formatJsonlLine(const RecordedRequest& request);

} // namespace sluice::traffic
