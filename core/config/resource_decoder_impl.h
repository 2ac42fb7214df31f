// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "resource_decoder.h"
#include "schema_decoder.h"

namespace sluice::config {

template <class K>
void decodeResourceInto(const YAML::Node& root, model::ResourceHeader header, DecodeContext& ctx,
                        std::vector<K>& out) {
    K resource;
    resource.header = std::move(header);
    decodeFields(root, resource, ctx);
    out.push_back(std::move(resource));
}

} // namespace sluice::config
