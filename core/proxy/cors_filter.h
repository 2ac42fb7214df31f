// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http1_request_parser.h"
#include "routing/cors_policy.h"

#include <string>

namespace sluice::proxy {

/// Envoy's CORS filter for one request whose route has a corsPolicy. It runs after the fault
/// filter and before the router: a preflight (OPTIONS with Origin and
/// Access-Control-Request-Method) from an allowed origin — or from any origin when unmatched
/// preflights are ignored — is answered by the gateway; every other request goes on, and a
/// response to an allowed origin carries the access-control headers.
class CorsFilter {
public:
    struct Outcome {
        bool answerPreflight = false; ///< reply 200 with `headers` and nothing else
        std::string headers;          ///< header lines ("name: value\r\n") to add to the response
    };

    [[nodiscard]] static Outcome apply(const routing::CorsPolicy& policy, const RequestHead& head);
};

} // namespace sluice::proxy
