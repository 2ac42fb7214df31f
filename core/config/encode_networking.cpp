// SPDX-License-Identifier: Apache-2.0
// Canonical encoding of the networking.istio.io kinds (one .cpp per API group, as the decoder).

#include "model/destination_rule_schema.h"
#include "model/gateway_schema.h"
#include "model/service_entry_schema.h"
#include "model/virtual_service_schema.h"
#include "resource_encoder.h"
#include "schema_emitter.h"
#include "schema_encoder.h"

namespace sluice::config {

std::string encodeResource(const model::Gateway& resource) {
    return encodeToString(resource);
}

std::string encodeResource(const model::VirtualService& resource) {
    return encodeToString(resource);
}

std::string encodeResource(const model::DestinationRule& resource) {
    return encodeToString(resource);
}

std::string encodeResource(const model::ServiceEntry& resource) {
    return encodeToString(resource);
}

std::string encodeResourceOver(const model::Gateway& resource, const YAML::Node& original) {
    return encodeToString(resource, &original);
}

std::string encodeResourceOver(const model::VirtualService& resource, const YAML::Node& original) {
    return encodeToString(resource, &original);
}

std::string encodeResourceOver(const model::DestinationRule& resource, const YAML::Node& original) {
    return encodeToString(resource, &original);
}

std::string encodeResourceOver(const model::ServiceEntry& resource, const YAML::Node& original) {
    return encodeToString(resource, &original);
}

} // namespace sluice::config
