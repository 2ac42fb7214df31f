// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/resource_set.h"
#include "routing/route_table.h"
#include "tls_context_set.h"

#include <memory>
#include <string>
#include <vector>

namespace sluice::proxy {

class DevCertificateAuthority;

/// The TLS side of one config version, and what the user should hear about it.
struct TlsSetup {
    std::shared_ptr<const TlsContextSet> contexts; ///< never null
    /// Terminating servers left without a certificate ("file:line: Gateway ns/name server port
    /// 443 (https): credentialName "x": secret ns/x not found in the loaded YAML"): their
    /// handshakes fail, as on a gateway whose Secret is missing.
    std::vector<std::string> problems;
    /// Servers given a certificate by the development CA ("shop.example.com (Gateway ...)").
    std::vector<std::string> devCertificates;
    /// A MUTUAL server trusts the development CA for client certificates.
    bool mutualWithDevCa = false;
};

/// Builds the TLS context of every terminating filter chain of `table`'s TLS listeners from the
/// certificates the Gateway server names (resolveServerCredentials: Secrets of the gateway
/// workload's namespace in `resources`, or PEM files). A server whose certificate is missing or
/// unusable gets one from `devCa` when given (for its hosts; MUTUAL then trusts the CA for
/// client certificates), else it is listed in `problems`. Call once per config version.
[[nodiscard]] TlsSetup buildTlsContexts(const routing::RouteTablePtr& table,
                                        const model::ResourceSet& resources,
                                        const DevCertificateAuthority* devCa);

} // namespace sluice::proxy
