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

} // namespace sluice::bench
