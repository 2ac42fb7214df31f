// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/destination_rule.h"
#include "resource_reporter.h"

#include <string>
#include <string_view>

namespace sluice::validate {

/// Istio's agent.ValidateTLS for a DestinationRule `tls` block (VALIDATION_NOTES.md D8), for a rule
/// in namespace `ns`: MUTUAL needs a client certificate and key unless a credentialName supplies
/// them, credentialName excludes inline certificates, insecureSkipVerify excludes verification
/// settings, and a `configmap://` credential must live in the rule's namespace.
void checkClientTls(ResourceReporter& reporter, std::string_view ns, const model::ClientTlsSettings& tls,
                    const std::string& field);

} // namespace sluice::validate
