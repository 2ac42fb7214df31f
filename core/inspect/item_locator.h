// SPDX-License-Identifier: Apache-2.0
#pragma once

// Selection by place: which item of a config a line of its YAML belongs to. Every view of the
// Studio (graph node, resource tree, editor cursor, problem row) can name a selection as a file
// and a line; the Inspector turns it back into the item to show.

#include "model/resource_set.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sluice::inspect {

/// A modelled resource of a ResourceSet (borrowed).
using ResourceRef =
    std::variant<const model::Gateway*, const model::VirtualService*, const model::DestinationRule*,
                 const model::ServiceEntry*, const model::Service*, const model::Secret*, const model::Pod*,
                 const model::Deployment*, const model::Workload*>;

/// What can be inspected: a whole resource, or one of the items inside it that the Studio shows
/// as a node of its own.
enum class ItemKind : std::uint8_t { Resource, GatewayServer, HttpRoute, TlsRoute, TcpRoute, Subset };

/// An inspectable item and the lines of its file it spans.
struct ItemLocation {
    ResourceRef resource;
    ItemKind kind = ItemKind::Resource;
    std::size_t index = 0;       ///< the server / rule / subset number within the resource
    std::string field;           ///< its path, "spec.servers[0]"; "" for the resource
    std::uint32_t file = 0;      ///< index into ResourceSet::files
    std::uint32_t firstLine = 0; ///< 1-based, inclusive
    std::uint32_t lastLine = 0;  ///< inclusive
};

/// Finds the innermost inspectable item whose lines contain a given line. A resource spans its
/// document (comments included); an item of a list spans from its own line to the line before the
/// next item, the last one to its last written field. Built once per ResourceSet, which must
/// outlive it; const and safe to share between threads afterwards.
class ItemLocator {
public:
    explicit ItemLocator(const model::ResourceSet& resources);

    /// The innermost item at `line` (1-based) of file `file`; nullopt between documents.
    [[nodiscard]] std::optional<ItemLocation> locate(std::uint32_t file, std::uint32_t line) const;
    /// As above, the file named by its path as loaded (or another spelling of the same file).
    [[nodiscard]] std::optional<ItemLocation> locate(std::string_view path, std::uint32_t line) const;
    /// The index of the file loaded from `path`; nullopt when it is not part of the set.
    [[nodiscard]] std::optional<std::uint32_t> fileIndex(std::string_view path) const;

    /// Every item, resources before the items inside them, in file and line order.
    [[nodiscard]] const std::vector<ItemLocation>& items() const { return m_items; }

private:
    template <class R> void addResources(const std::vector<R>& resources);
    void addItems(const ItemLocation& resource);
    void finishDocumentExtents();
    [[nodiscard]] std::uint32_t lineAt(std::uint32_t file, std::size_t offset) const;

    const model::ResourceSet& m_resources;
    std::vector<std::vector<std::size_t>> m_lineStarts; ///< per file: byte offset of every line
    std::vector<ItemLocation> m_items;
};

} // namespace sluice::inspect
