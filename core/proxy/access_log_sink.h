// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "request_record.h"

namespace sluice::proxy {

/// Where the proxy hands every finished request (ServeOptions::accessLog): the file log of
/// `sluice serve` (AccessLog) or the Studio's ring of recent requests (RecentRequests).
///
/// Threads: write() is called on the proxy's worker threads, concurrently, once per request;
/// implementations are thread-safe and quick (no allocation once warm; one short lock at most).
class AccessLogSink {
public:
    virtual ~AccessLogSink() = default;
    /// One request is over. `record` is valid only during the call.
    virtual void write(const RequestRecord& record) = 0;
};

} // namespace sluice::proxy
