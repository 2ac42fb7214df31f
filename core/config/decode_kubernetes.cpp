// SPDX-License-Identifier: Apache-2.0
#include "model/deployment_schema.h"
#include "model/pod_schema.h"
#include "model/secret_schema.h"
#include "model/service_schema.h"
#include "model/workload_schema.h"
#include "resource_decoder_impl.h"

namespace sluice::config {

void decodeHeader(const YAML::Node& root, model::ResourceHeader& header, DecodeContext& ctx) {
    for (const auto& kv : root) {
        if (!kv.first.IsScalar())
            continue;
        const std::string& key = kv.first.Scalar();
        if (key == "metadata") {
            DecodeContext::PathGuard guard(ctx, "metadata");
            decodeValue(kv.second, header.metadata, ctx);
        }
    }
    if (!header.metadata.namespace_.present)
        header.metadata.namespace_.value = "default";
}

void decodeService(const YAML::Node& root, model::ResourceHeader header, DecodeContext& ctx, model::ResourceSet& into) {
    decodeResourceInto(root, std::move(header), ctx, into.services);
}

void decodeSecret(const YAML::Node& root, model::ResourceHeader header, DecodeContext& ctx, model::ResourceSet& into) {
    decodeResourceInto(root, std::move(header), ctx, into.secrets);
}

void decodePod(const YAML::Node& root, model::ResourceHeader header, DecodeContext& ctx, model::ResourceSet& into) {
    decodeResourceInto(root, std::move(header), ctx, into.pods);
}

void decodeDeployment(const YAML::Node& root, model::ResourceHeader header, DecodeContext& ctx,
                      model::ResourceSet& into) {
    decodeResourceInto(root, std::move(header), ctx, into.deployments);
}

void decodeWorkload(const YAML::Node& root, model::ResourceHeader header, DecodeContext& ctx, model::ResourceSet& into) {
    decodeResourceInto(root, std::move(header), ctx, into.workloads);
}

} // namespace sluice::config
