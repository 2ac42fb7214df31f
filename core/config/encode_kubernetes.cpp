// SPDX-License-Identifier: Apache-2.0
// Canonical encoding of the Kubernetes kinds and our sluice.dev Workload.

#include "model/deployment_schema.h"
#include "model/pod_schema.h"
#include "model/secret_schema.h"
#include "model/service_schema.h"
#include "model/workload_schema.h"
#include "resource_encoder.h"
#include "schema_emitter.h"
#include "schema_encoder.h"

namespace sluice::config {

std::string encodeResource(const model::Service& resource) {
    return encodeToString(resource);
}

std::string encodeResource(const model::Secret& resource) {
    return encodeToString(resource);
}

std::string encodeResource(const model::Pod& resource) {
    return encodeToString(resource);
}

std::string encodeResource(const model::Deployment& resource) {
    return encodeToString(resource);
}

std::string encodeResource(const model::Workload& resource) {
    return encodeToString(resource);
}

std::string encodeResourceOver(const model::Service& resource, const YAML::Node& original) {
    return encodeToString(resource, &original);
}

std::string encodeResourceOver(const model::Secret& resource, const YAML::Node& original) {
    return encodeToString(resource, &original);
}

std::string encodeResourceOver(const model::Pod& resource, const YAML::Node& original) {
    return encodeToString(resource, &original);
}

std::string encodeResourceOver(const model::Deployment& resource, const YAML::Node& original) {
    return encodeToString(resource, &original);
}

std::string encodeResourceOver(const model::Workload& resource, const YAML::Node& original) {
    return encodeToString(resource, &original);
}

} // namespace sluice::config
