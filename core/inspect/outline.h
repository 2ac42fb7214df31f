// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the Inspector shows about one item of a config: a tree of labelled values, each with the
// place in the YAML it came from. Plain values: copy them, hand them to another thread.

#include "model/source_span.h"

#include <string>
#include <vector>

namespace sluice::inspect {

/// One row: a field ("hosts", "route[0]", "timeout") or a derived fact ("endpoints") and its value.
struct OutlineNode {
    std::string label;
    std::string value;      ///< the scalar as text, or a one-line summary of a message; may be empty
    model::SourceSpan span; ///< where it was written; line 0: derived, no single source
    std::vector<OutlineNode> children;
};

/// The selected item in full.
struct Outline {
    std::string kind;       ///< "Gateway server", "VirtualService http rule", "Service", ...
    std::string resource;   ///< "Kind namespace/name"
    std::string item;       ///< the item within the resource ("servers[0] http", "http[1] reviews-v2"), or ""
    std::string field;      ///< its path: "spec.servers[0]"; "" for the whole resource
    model::SourceSpan span; ///< where the item starts
    std::vector<OutlineNode> nodes; ///< its fields in schema order, then the derived sections
};

} // namespace sluice::inspect
