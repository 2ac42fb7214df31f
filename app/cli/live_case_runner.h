// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/loader.h"
#include "routing/route_table.h"
#include "routing/route_test_runner.h"

#include <string>

namespace sluice::cli {

/// Runs one `live: true` route test (ARCHITECTURE.md "routing.yaml") against the real proxy: the
/// case's config served on ephemeral ports (workload::LiveGateway) with its `backends` scripted
/// onto the simulated replicas, the request sent `repeat` times by an HTTP/1.1 client, and every
/// expectation checked on what came back: status, response headers and body, the upstream path
/// and headers from the answering replica's JSON echo, attempts, latency; cluster, destination,
/// response flags and the distribution from the proxy's own metrics. Expectations only the
/// decision carries (timeout, retries, mirrors, rule, trace...) are checked by the routing engine.
class LiveCaseRunner {
public:
    LiveCaseRunner(const config::LoadResult& loaded, routing::RouteTablePtr table);

    [[nodiscard]] routing::RouteTestOutcome run(const routing::RouteTestCase& test) const;

private:
    const config::LoadResult& m_loaded;
    routing::RouteTablePtr m_table;
};

} // namespace sluice::cli
