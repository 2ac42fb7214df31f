// SPDX-License-Identifier: Apache-2.0
#pragma once

// Decoding of one resource document per kind; one .cpp per API group keeps template
// instantiation (and compile time) spread out.

#include "decode_context.h"
#include "model/resource_set.h"

namespace YAML {
class Node;
}

namespace sluice::config {

using KindDecoder = void (*)(const YAML::Node& root, model::ResourceHeader header, DecodeContext& ctx,
                             model::ResourceSet& into);

/// Decodes ObjectMeta and fills namespace "default" when absent.
void decodeHeader(const YAML::Node& root, model::ResourceHeader& header, DecodeContext& ctx);

void decodeGateway(const YAML::Node&, model::ResourceHeader, DecodeContext&, model::ResourceSet&);
void decodeVirtualService(const YAML::Node&, model::ResourceHeader, DecodeContext&, model::ResourceSet&);
void decodeDestinationRule(const YAML::Node&, model::ResourceHeader, DecodeContext&, model::ResourceSet&);
void decodeServiceEntry(const YAML::Node&, model::ResourceHeader, DecodeContext&, model::ResourceSet&);
void decodeService(const YAML::Node&, model::ResourceHeader, DecodeContext&, model::ResourceSet&);
void decodeSecret(const YAML::Node&, model::ResourceHeader, DecodeContext&, model::ResourceSet&);
void decodePod(const YAML::Node&, model::ResourceHeader, DecodeContext&, model::ResourceSet&);
void decodeDeployment(const YAML::Node&, model::ResourceHeader, DecodeContext&, model::ResourceSet&);
void decodeWorkload(const YAML::Node&, model::ResourceHeader, DecodeContext&, model::ResourceSet&);

} // namespace sluice::config
