// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "route_table.h"
#include "route_test_file.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sluice::routing {

struct RouteTestOutcome {
    enum class Result : std::uint8_t { Passed, Failed, Skipped };
    Result result = Result::Passed;
    std::vector<std::string> failures;                  ///< "expected status 404, got 200 (...)"
    std::string note;                                   ///< why it was skipped
    std::set<std::pair<std::string, int>> rulesReached; ///< (vs "ns/name", rule index)
};

/// The status string of the test format: "200", "conn_refused", "conn_reset", "connected".
[[nodiscard]] std::string statusText(const Decision& decision, bool tcp);

/// Headers the upstream would see: the request's, after the route's operations and rewrites.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> upstreamHeaders(const Request& request,
                                                                               const Decision& decision);

/// Runs one case against a compiled table (`repeat` times, deterministic seed) and checks every
/// expectation it gives. Pure: safe to run cases on several threads.
[[nodiscard]] RouteTestOutcome runRouteTest(const RouteTestCase& test, const RouteTable& table);

} // namespace sluice::routing
