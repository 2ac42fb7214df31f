// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/gateway.h"
#include "resource_reporter.h"

#include <string>

namespace sluice::validate {

/// Istio's validateTLSOptions for a Gateway server's `tls` block at `field` (G10-G14): certificate
/// requirements per mode, one certificate source, ISTIO_MUTUAL and PASSTHROUGH restrictions, caCrl,
/// minimum protocol version and cipher suites.
void checkServerTls(ResourceReporter& reporter, const model::ServerTlsSettings& tls,
                    const std::string& field);

} // namespace sluice::validate
