// SPDX-License-Identifier: Apache-2.0
#include "item_locator.h"

#include "model/destination_rule_schema.h"
#include "model/gateway_schema.h"
#include "model/virtual_service_schema.h"
#include "schema_outline.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <utility>

namespace sluice::inspect {
namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/// Adds one location per written item of `list`, each from its own line to the line before the
/// next one (the last to its last written field), clipped to the resource.
template <class Item>
void addList(std::vector<ItemLocation>& out, const ItemLocation& resource, const std::vector<Item>& list,
             ItemKind kind, const std::string& field) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::uint32_t first = list[i].span.line;
        if (first == 0 || first < resource.firstLine || first > resource.lastLine)
            continue; // no source (created in memory), or somewhere unexpected
        std::uint32_t last = std::max(first, lastLine(list[i]));
        if (i + 1 < list.size() && list[i + 1].span.line > first)
            last = list[i + 1].span.line - 1;
        ItemLocation item = resource;
        item.kind = kind;
        item.index = i;
        item.field = field + "[" + std::to_string(i) + "]";
        item.firstLine = first;
        item.lastLine = std::min(last, resource.lastLine);
        out.push_back(std::move(item));
    }
}

} // namespace

ItemLocator::ItemLocator(const model::ResourceSet& resources)
    : m_resources(resources) {
    m_lineStarts.resize(resources.files.size());
    for (std::size_t f = 0; f < resources.files.size(); ++f) {
        const std::string& text = resources.files[f].text;
        auto& starts = m_lineStarts[f];
        starts.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n')
                starts.push_back(i + 1);
    }
    addResources(resources.gateways);
    addResources(resources.virtualServices);
    addResources(resources.destinationRules);
    addResources(resources.serviceEntries);
    addResources(resources.services);
    addResources(resources.secrets);
    addResources(resources.pods);
    addResources(resources.deployments);
    addResources(resources.workloads);
    finishDocumentExtents();
    const std::size_t resourceCount = m_items.size();
    for (std::size_t i = 0; i < resourceCount; ++i)
        addItems(ItemLocation(m_items[i]));
    std::stable_sort(m_items.begin(), m_items.end(), [](const ItemLocation& a, const ItemLocation& b) {
        return std::tuple(a.file, a.firstLine, a.kind != ItemKind::Resource) <
               std::tuple(b.file, b.firstLine, b.kind != ItemKind::Resource);
    });
}

std::uint32_t ItemLocator::lineAt(std::uint32_t file, std::size_t offset) const {
    const auto& starts = m_lineStarts[file];
    return static_cast<std::uint32_t>(std::upper_bound(starts.begin(), starts.end(), offset) -
                                      starts.begin());
}

template <class R> void ItemLocator::addResources(const std::vector<R>& resources) {
    for (const R& r : resources) {
        const model::DocumentInfo& doc = r.header.doc;
        if (doc.file >= m_resources.files.size() || doc.firstLine == 0)
            continue; // created in memory: no place in any file
        const std::string& text = m_resources.files[doc.file].text;
        std::size_t end = std::min(doc.end, text.size());
        while (end > doc.begin && isSpace(text[end - 1]))
            --end;
        ItemLocation location;
        location.resource = &r;
        location.file = doc.file;
        location.firstLine = doc.firstLine;
        location.lastLine =
            end > doc.begin ? std::max(doc.firstLine, lineAt(doc.file, end - 1)) : doc.firstLine;
        m_items.push_back(std::move(location));
    }
}

void ItemLocator::finishDocumentExtents() {
    // Several resources in one document (a `kind: List`): each spans from its own line to the next.
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::size_t>> byDocument;
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        const model::DocumentInfo& doc =
            std::visit([](const auto* r) { return r->header.doc; }, m_items[i].resource);
        byDocument[{doc.file, doc.index}].push_back(i);
    }
    for (auto& [key, members] : byDocument) {
        if (members.size() < 2)
            continue;
        const auto startOf = [this](std::size_t i) {
            return std::visit([](const auto* r) { return r->header.span.line; }, m_items[i].resource);
        };
        std::sort(members.begin(), members.end(),
                  [&](std::size_t a, std::size_t b) { return startOf(a) < startOf(b); });
        const std::uint32_t documentEnd = m_items[members.back()].lastLine;
        for (std::size_t m = 0; m < members.size(); ++m) {
            ItemLocation& item = m_items[members[m]];
            item.firstLine = std::max<std::uint32_t>(startOf(members[m]), 1);
            item.lastLine =
                m + 1 < members.size() ? std::max(item.firstLine, startOf(members[m + 1]) - 1) : documentEnd;
        }
    }
}

void ItemLocator::addItems(const ItemLocation& resource) {
    std::visit(
        [&](const auto* r) {
            using R = std::decay_t<decltype(*r)>;
            if constexpr (std::is_same_v<R, model::Gateway>) {
                addList(m_items, resource, r->spec.servers, ItemKind::GatewayServer, "spec.servers");
            } else if constexpr (std::is_same_v<R, model::VirtualService>) {
                addList(m_items, resource, r->spec.http, ItemKind::HttpRoute, "spec.http");
                addList(m_items, resource, r->spec.tls, ItemKind::TlsRoute, "spec.tls");
                addList(m_items, resource, r->spec.tcp, ItemKind::TcpRoute, "spec.tcp");
            } else if constexpr (std::is_same_v<R, model::DestinationRule>) {
                addList(m_items, resource, r->spec.subsets, ItemKind::Subset, "spec.subsets");
            }
        },
        resource.resource);
}

std::optional<ItemLocation> ItemLocator::locate(std::uint32_t file, std::uint32_t line) const {
    const ItemLocation* best = nullptr;
    for (const ItemLocation& item : m_items) {
        if (item.file != file || line < item.firstLine || line > item.lastLine)
            continue;
        // Innermost: the narrowest extent; on a tie the later item (an item inside its resource).
        if (!best || item.lastLine - item.firstLine <= best->lastLine - best->firstLine)
            best = &item;
    }
    if (!best)
        return std::nullopt;
    return *best;
}

std::optional<std::uint32_t> ItemLocator::fileIndex(std::string_view path) const {
    for (std::uint32_t f = 0; f < m_resources.files.size(); ++f)
        if (m_resources.files[f].path == path)
            return f;
    std::error_code ec;
    for (std::uint32_t f = 0; f < m_resources.files.size(); ++f)
        if (std::filesystem::equivalent(std::filesystem::path(path), m_resources.files[f].path, ec) && !ec)
            return f;
    return std::nullopt;
}

std::optional<ItemLocation> ItemLocator::locate(std::string_view path, std::uint32_t line) const {
    const std::optional<std::uint32_t> file = fileIndex(path);
    if (!file)
        return std::nullopt;
    return locate(*file, line);
}

} // namespace sluice::inspect
