// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/proxy (includes Asio through proxy_worker.h).

#include "proxy_worker.h"
#include "upstream_request_writer.h"

#include <chrono>
#include <string>

namespace sluice::proxy {

/// Envoy's request shadowing: a copy of a request goes to the mirror cluster, fire and forget.
/// Its answer is read to the end (so that the connection can serve again) and dropped; failures
/// and timeouts touch nothing but the shadow.
class MirrorSender {
public:
    /// Shadows a request whose whole body is `body` to each of the decision's mirrors its
    /// percentage picks, with the head the primary gets (the Host unchanged, as current Istio does).
    static void shadow(ProxyWorker& worker, const routing::Decision& decision, const RequestHead& head,
                       std::string_view body, const DownstreamFacts& facts);
    /// Sends `request` (head and whole body) to `endpoint` on `worker`'s loop and returns at once.
    static void send(ProxyWorker& worker, const Endpoint& endpoint, std::string request, bool headRequest,
                     std::chrono::milliseconds timeout);
};

} // namespace sluice::proxy
