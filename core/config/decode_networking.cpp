// SPDX-License-Identifier: Apache-2.0
#include "model/destination_rule_schema.h"
#include "model/gateway_schema.h"
#include "model/service_entry_schema.h"
#include "model/virtual_service_schema.h"
#include "resource_decoder_impl.h"

namespace sluice::config {

void decodeGateway(const YAML::Node& root, model::ResourceHeader header, DecodeContext& ctx, model::ResourceSet& into) {
    decodeResourceInto(root, std::move(header), ctx, into.gateways);
}

void decodeVirtualService(const YAML::Node& root, model::ResourceHeader header, DecodeContext& ctx,
                          model::ResourceSet& into) {
    decodeResourceInto(root, std::move(header), ctx, into.virtualServices);
}

void decodeDestinationRule(const YAML::Node& root, model::ResourceHeader header, DecodeContext& ctx,
                           model::ResourceSet& into) {
    decodeResourceInto(root, std::move(header), ctx, into.destinationRules);
}

void decodeServiceEntry(const YAML::Node& root, model::ResourceHeader header, DecodeContext& ctx,
                        model::ResourceSet& into) {
    decodeResourceInto(root, std::move(header), ctx, into.serviceEntries);
}

} // namespace sluice::config
