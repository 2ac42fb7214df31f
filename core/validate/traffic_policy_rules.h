// SPDX-License-Identifier: Apache-2.0
#pragma once

// DestinationRule traffic policies (VALIDATION_NOTES.md D3-D6, D10): Istio's validateTrafficPolicy,
// validatePortTrafficPolicies, validateOutlierDetection, validateConnectionPool,
// validateTunnelSettings and validateProxyProtocol. Load balancing and client TLS have their own files.

#include "model/destination_rule.h"
#include "resource_reporter.h"

#include <string>
#include <string_view>

namespace sluice::validate {

/// A `trafficPolicy` block at `field` (top level or in a subset) of a rule in namespace `ns`.
void checkTrafficPolicy(ResourceReporter& reporter, std::string_view ns, const model::TrafficPolicy& policy,
                        const std::string& field);

/// validateOutlierDetection.
void checkOutlierDetection(ResourceReporter& reporter, const model::OutlierDetection& outlier,
                           const std::string& field);

/// validateConnectionPool, plus the HTTP/2 keepalive pair (interval and timeout).
void checkConnectionPool(ResourceReporter& reporter, const model::ConnectionPoolSettings& pool,
                         const std::string& field);

} // namespace sluice::validate
