// SPDX-License-Identifier: Apache-2.0
#pragma once

// Sluice JSONL ("jsonl"): the recording format Sluice owns, read by `sluice replay` and written
// for the load generator's profiles. One JSON object per line, UTF-8. Blank lines and lines whose
// first non-blank character is '#' are ignored.
//
//   key               type            meaning
//   t_ms              number          when the request starts, in milliseconds from any fixed
//                                     origin (the recording's start, or the Unix epoch); a
//                                     fraction keeps microseconds. Offsets are re-based on the
//                                     earliest request. A line without t_ms starts with the line
//                                     before it (0 when no line has one). 0 <= t_ms <= 1e13.
//   method            string          default "GET"; an HTTP token
//   scheme            string          "http" or "https"
//   authority         string          Host / :authority
//   path              string          REQUIRED: path with query, starting with '/' (or "*")
//   headers           object | array  {"name": "value" | ["v1", "v2"]} or [["name", "value"], ...]
//                                     (order and repeats kept); names lowercased; "host" and
//                                     ":authority" fill `authority` when that key is absent;
//                                     other pseudo-headers are an error
//   body              string          request body as text
//   body_base64       string          request body in base64 (binary bodies); not with `body`
//   protocol          string          "HTTP/1.1", "HTTP/2"
//   status            integer         recorded answer, 0..999 (0: no response)
//   duration_ms       number          recorded duration
//   response_flags    string          recorded Envoy response flags
//   upstream_cluster  string          recorded Envoy cluster
//
// Any other key makes the line malformed, so a typo ("header") never passes silently.
// Example:
//   {"t_ms": 0, "authority": "bookinfo.example.com", "path": "/productpage", "headers": {"end-user":
//   "jason"}}
//   {"t_ms": 12.5, "method": "POST", "authority": "httpbin.example.com", "path": "/post", "body": "{}"}

#include "line_records.h"
#include "recording.h"

#include <istream>
#include <string>
#include <string_view>

namespace sluice::traffic {

class JsonlReader {
public:
    [[nodiscard]] static ReadResult read(std::istream& in, const std::string& file);
    [[nodiscard]] static LineOutcome parseLine(std::string_view line);
};

} // namespace sluice::traffic
