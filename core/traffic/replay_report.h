// SPDX-License-Identifier: Apache-2.0
#pragma once

// What `sluice replay` reports: each request as sent and answered, the lines that could not be
// read or sent (with their line numbers), the statistics every traffic command shares
// (TrafficReport), and with --diff the requests whose routing changed.

#include "metrics/traffic_report.h"
#include "recording.h"
#include "routing_diff.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::traffic {

struct ReplayedRequest {
    std::size_t record = 0;           ///< index in the recording
    std::size_t line = 0;             ///< 1-based; 0: unknown
    std::optional<std::size_t> entry; ///< HAR entry
    std::int64_t dueMicros = 0;       ///< from the replay's start
    std::int64_t sentMicros = 0;      ///< from the replay's start; -1: not sent (stopped)
    std::string method;
    std::string authority;
    std::string path;
    std::optional<int> recordedStatus;
    int status = 0; ///< 0: no response
    std::string workload;
    std::string destination; ///< empty: unknown
    std::string subset;
    std::string route; ///< the rule that routed it (RouteSummary::text()); empty: unknown (a URL target)
    std::uint64_t latencyMicros = 0;
    std::string error;
};

struct ReplayReport {
    std::string file;
    std::string format;                  ///< "HAR 1.2", "nginx combined"...
    std::string target;                  ///< "embedded gateway (samples/bookinfo)" / "http://127.0.0.1:8080"
    std::size_t recorded = 0;            ///< requests read
    std::vector<SkippedLine> unreadable; ///< lines the reader skipped (first ones)
    std::size_t unreadableCount = 0;     ///< all of them
    std::vector<SkippedLine> unsendable; ///< read but not sendable
    std::vector<ReplayedRequest> requests; ///< in recording order
    metrics::TrafficReport traffic;
    bool interrupted = false;
    std::optional<std::string> diffConfig; ///< --diff's config, when given
    RoutingDiff diff;
};

class ReplayReportText {
public:
    /// The report as text: the requests (the first `maxRequests`, then a count), skipped lines,
    /// the routing changes, then TrafficReportText's summary.
    [[nodiscard]] static std::string render(const ReplayReport& report, std::size_t maxRequests = 1000);
};

/// JSON (`sluice replay -o json`):
///
///     {"schema": "sluice.replay/v1", "file": ..., "format": ..., "target": ..., "interrupted": false,
///      "recorded": 12, "skipped": {"unreadable": 1, "unsendable": 0,
///                                  "lines": [{"line": 7, "column": 0, "reason": "..."}]},
///      "requests": [{"index": 0, "line": 3, "due_ms": 0.0, "sent_ms": 0.1, "method": "GET",
///                    "authority": "...", "path": "/", "recorded_status": 200, "status": 200,
///                    "workload": "productpage-v1-1", "destination": "...", "subset": "",
///                    "route": "...", "latency_ms": 1.2, "error": null}],
///      "diff": null | {"config": "...", "compared": 12,
///                      "changed": [{"index": 4, "line": 9, "method": ..., "authority": ...,
///                                   "path": ..., "before": "...", "after": "..."}]},
///      "report": { TrafficReportJson's schema }}
class ReplayReportJson {
public:
    static constexpr std::string_view kSchema = "sluice.replay/v1";
    [[nodiscard]] static std::string write(const ReplayReport& report);
};

} // namespace sluice::traffic
