// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sluice::bench {

struct GeneratedFile {
    std::string path;
    std::string text;
};

/// A realistic config repository held in memory: `apps` applications spread over namespaces of
/// `appsPerNamespace`, each with a Gateway (HTTP + HTTPS), a VirtualService with several rules
/// (header, prefix, regex and weighted routes, retries, timeouts, a fault), a DestinationRule with
/// three subsets and traffic policies, a Service and a Deployment: five resources per app, one
/// multi-document file per namespace. Deterministic; every resource is valid.
[[nodiscard]] std::vector<GeneratedFile> generateConfig(std::size_t apps, std::size_t appsPerNamespace = 20);

/// `virtualServices` VirtualServices (4 rules, a 90/10 split) bound to ONE Gateway, each with a
/// DestinationRule (2 subsets), a Service and 2 Deployments: one connected flow graph, the worst
/// case for its layout. One multi-document YAML text.
[[nodiscard]] std::string sharedGatewayConfig(std::size_t virtualServices);

} // namespace sluice::bench
