// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy.

#include "access_log.h"
#include "routing/decision.h"
#include "serving_config.h"

#include <chrono>

namespace sluice::metrics {
class MetricsShard;
}

namespace sluice::proxy {

/// A request is over (HTTP/1.1 or an HTTP/2 stream): its access log line when `log` is set, its
/// metrics sample when `metrics` is. `record` holds what the session filled in (status, flags,
/// bytes, upstream time; the request's fields only while logging); `decision` is the routing
/// decision (null: the request was not routed), `endpoint` the last upstream attempt's (null:
/// none), `elapsed` the request's duration.
void recordRequest(AccessLogSink* log, metrics::MetricsShard* metrics, RequestRecord& record,
                   const routing::Decision* decision, const Endpoint* endpoint,
                   std::chrono::steady_clock::duration elapsed);

} // namespace sluice::proxy
