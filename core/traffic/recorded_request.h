// SPDX-License-Identifier: Apache-2.0
#pragma once

// One request read back from a recording (HAR, Envoy/Istio or nginx access log, Sluice JSONL).
// Plain value; no I/O.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::traffic {

/// A header as recorded: name lowercased, value as written.
using Header = std::pair<std::string, std::string>;
using HeaderList = std::vector<Header>;

/// Where a request was read, so a report can point at it.
struct RecordSource {
    std::shared_ptr<const std::string> file; ///< shared by every request of one recording
    std::size_t line = 0;                    ///< 1-based; 0: unknown
    std::optional<std::size_t> entry;        ///< HAR only: the index in log.entries

    /// The file name, or "" when none was given.
    [[nodiscard]] const std::string& fileName() const;
};

/// What one recorded request was, and what was recorded about its answer when the format says.
///
/// Pseudo-headers (":authority", ":method", ":path", ":scheme") and Host never appear in
/// `headers`: they fill `authority`, `method`, `path` and `scheme`, so a replayer adds Host itself.
struct RecordedRequest {
    /// Since the earliest request of the recording (offset 0). Recordings without timestamps
    /// (JSONL lines without t_ms) give 0.
    std::chrono::microseconds offset{0};
    /// The wall-clock start when the recording has one (HAR, access logs).
    std::optional<std::chrono::system_clock::time_point> startedAt;

    std::string method;    ///< "GET", as recorded (not upper-cased)
    std::string scheme;    ///< "http" or "https" when known, else empty
    std::string authority; ///< :authority or Host; empty when the format does not record it (nginx)
    std::string path;      ///< request target with its query: "/productpage?u=1"
    std::string protocol;  ///< "HTTP/1.1", "HTTP/2"... when recorded, else empty
    HeaderList headers;    ///< in recorded order; names lowercased
    std::string body;      ///< HAR postData / JSONL body, decoded; empty otherwise

    // What was recorded about the answer.
    std::optional<int> status; ///< 0: no response was sent (Envoy, HAR: request failed)
    std::optional<std::chrono::microseconds> duration; ///< HAR time, Envoy %DURATION%
    std::string responseFlags;   ///< Envoy %RESPONSE_FLAGS% ("UH", "NR,URX"); empty: none or unknown
    std::string upstreamCluster; ///< Envoy %UPSTREAM_CLUSTER%; empty: unknown

    RecordSource source;

    /// The first value of header `lowercaseName`, or nullptr.
    [[nodiscard]] const std::string* header(std::string_view lowercaseName) const;
    /// Appends a header, lowercasing its name.
    void addHeader(std::string_view name, std::string_view value);
};

/// ASCII lowercase copy.
[[nodiscard]] std::string toLowerAscii(std::string_view text);

} // namespace sluice::traffic
