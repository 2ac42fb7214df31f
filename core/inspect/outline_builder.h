// SPDX-License-Identifier: Apache-2.0
#pragma once

// Turns an inspectable item (item_locator.h) into what the Inspector shows: every field written for
// it, from the schema tables, each with its source line, plus the derived sections (destinations
// and their weights, endpoints, selected by).

#include "item_locator.h"
#include "outline.h"
#include "selection_index.h"

#include <optional>
#include <string_view>

namespace sluice::inspect {

/// Built once per ResourceSet, which must outlive it. Pure and const afterwards: safe to share.
class OutlineBuilder {
public:
    explicit OutlineBuilder(const model::ResourceSet& resources);

    /// The outline of `item`, which must come from an ItemLocator over the same ResourceSet.
    [[nodiscard]] Outline build(const ItemLocation& item) const;
    /// The item at a line of a file (path as loaded) and its outline; nullopt where there is none.
    [[nodiscard]] std::optional<Outline> inspectAt(std::string_view path, std::uint32_t line) const;

    [[nodiscard]] const ItemLocator& locator() const { return m_locator; }

private:
    [[nodiscard]] std::vector<OutlineNode> resourceNodes(const ResourceRef& resource) const;
    [[nodiscard]] std::vector<OutlineNode> itemNodes(const ItemLocation& item) const;

    const model::ResourceSet& m_resources;
    ItemLocator m_locator;
    SelectionIndex m_selection;
};

} // namespace sluice::inspect
