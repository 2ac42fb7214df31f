// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "metrics/metrics_snapshot.h"
#include "proxy/http1_client.h"
#include "routing/route_test_file.h"

#include <string>
#include <vector>

namespace sluice::cli {

/// What a live case observed: every answer the client got, and the proxy's metrics of them.
struct LiveExchanges {
    std::vector<proxy::ClientResponse> responses;
    metrics::MetricsSnapshotPtr metrics;
};

/// The route-test status word for one exchange: "200", "conn_refused", "conn_reset", "timeout".
[[nodiscard]] std::string liveStatusText(const proxy::ClientResponse& response);

/// Checks the live-observable expectations of `test` against `observed`, appending what differs.
void checkLiveExpectations(const routing::RouteTestCase& test, const LiveExchanges& observed,
                           std::vector<std::string>& failures);

} // namespace sluice::cli
