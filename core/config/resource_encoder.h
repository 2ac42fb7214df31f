// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to core/config (names yaml-cpp types): encoding a resource over the YAML it was read
// from, for the exporter. See "Merged emission" in schema_emitter.h.

#include "model/resource_set.h"

#include <string>

namespace YAML {
class Node;
}

namespace sluice::config {

/// encodeResource(), except that a kind the model covers only in part (Service, Pod, Deployment)
/// is merged over `original`, the map it was read from, so fields the model does not hold survive.
/// Fully modelled kinds are encoded canonically whatever `original` holds.
[[nodiscard]] std::string encodeResourceOver(const model::Gateway& resource, const YAML::Node& original);
[[nodiscard]] std::string encodeResourceOver(const model::VirtualService& resource,
                                             const YAML::Node& original);
[[nodiscard]] std::string encodeResourceOver(const model::DestinationRule& resource,
                                             const YAML::Node& original);
[[nodiscard]] std::string encodeResourceOver(const model::ServiceEntry& resource, const YAML::Node& original);
[[nodiscard]] std::string encodeResourceOver(const model::Service& resource, const YAML::Node& original);
[[nodiscard]] std::string encodeResourceOver(const model::Secret& resource, const YAML::Node& original);
[[nodiscard]] std::string encodeResourceOver(const model::Pod& resource, const YAML::Node& original);
[[nodiscard]] std::string encodeResourceOver(const model::Deployment& resource, const YAML::Node& original);
[[nodiscard]] std::string encodeResourceOver(const model::Workload& resource, const YAML::Node& original);

} // namespace sluice::config
