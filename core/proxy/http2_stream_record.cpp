// SPDX-License-Identifier: Apache-2.0
// Http2Stream's bookkeeping, as Http1Session keeps it: upstream attempts counted per endpoint in
// the worker's metrics shard, and when the stream closes the access log line and metrics sample
// of its request.

#include "http2_session.h"
#include "http2_stream.h"
#include "metrics/metrics_shard.h"
#include "request_recording.h"

namespace sluice::proxy {

void Http2Stream::attemptStarted(const routing::Decision& d, const Endpoint& endpoint) {
    m_endpoint = &endpoint;
    if (!m_metrics)
        return;
    m_endpointSlot = m_metrics->attemptStarted(
        {d.destination->cluster, endpoint.workload, endpoint.address, endpoint.port});
    m_attemptOpen = true;
}

void Http2Stream::attemptEnded(bool answered, int status) {
    if (!m_attemptOpen)
        return;
    m_attemptOpen = false;
    m_metrics->attemptEnded(m_endpointSlot, answered && status < 500);
}

void Http2Stream::finishRecord() {
    m_recordOpen = false;
    attemptEnded(false, 0); // the stream ended with an attempt in flight
    m_record.bytesReceived = m_received;
    recordRequest(m_logging ? m_session.worker().options().accessLog : nullptr, m_metrics, m_record,
                  m_routed ? &m_decision : nullptr, m_endpoint, std::chrono::steady_clock::now() - m_started);
}

} // namespace sluice::proxy
