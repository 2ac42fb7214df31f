// SPDX-License-Identifier: Apache-2.0
#include "outline_builder.h"

#include "derived_sections.h"
#include "model/deployment_schema.h"
#include "model/destination_rule_schema.h"
#include "model/gateway_schema.h"
#include "model/pod_schema.h"
#include "model/secret_schema.h"
#include "model/selectors_schema.h"
#include "model/service_entry_schema.h"
#include "model/service_schema.h"
#include "model/virtual_service_schema.h"
#include "model/workload_schema.h"
#include "schema_outline.h"

namespace sluice::inspect {
namespace {

std::string_view kindName(ItemKind kind) {
    switch (kind) {
    case ItemKind::GatewayServer:
        return "Gateway server";
    case ItemKind::HttpRoute:
        return "VirtualService http rule";
    case ItemKind::TlsRoute:
        return "VirtualService tls rule";
    case ItemKind::TcpRoute:
        return "VirtualService tcp rule";
    case ItemKind::Subset:
        return "DestinationRule subset";
    case ItemKind::Resource:
        break;
    }
    return {};
}

/// Secret values are never shown: only how long they are.
void hideValues(std::vector<OutlineNode>& nodes) {
    for (OutlineNode& node : nodes) {
        if (node.label != "data" && node.label != "stringData")
            continue;
        node.value.clear();
        for (OutlineNode& entry : node.children)
            entry.value = "(hidden, " + std::to_string(entry.value.size()) + " characters)";
    }
}

template <class T> const T& at(const std::vector<T>& list, std::size_t index);

/// "servers[0] https", "http[1] reviews-v2", "subsets[0] v1": the item's place and its name.
std::string itemName(const ItemLocation& item) {
    if (item.field.empty())
        return {};
    std::string out = item.field.substr(item.field.find('.') + 1);
    const std::string name = std::visit(
        [&](const auto* r) -> std::string {
            using R = std::decay_t<decltype(*r)>;
            if constexpr (std::is_same_v<R, model::Gateway>) {
                const model::Server& server = at(r->spec.servers, item.index);
                return server.name   ? server.name.value
                       : server.port ? server.port->name.value
                                     : std::string();
            } else if constexpr (std::is_same_v<R, model::VirtualService>) {
                return item.kind == ItemKind::HttpRoute ? at(r->spec.http, item.index).name.value
                                                        : std::string();
            } else if constexpr (std::is_same_v<R, model::DestinationRule>) {
                return at(r->spec.subsets, item.index).name.value;
            } else {
                return {};
            }
        },
        item.resource);
    if (!name.empty())
        out += " " + name;
    return out;
}

template <class T> const T& at(const std::vector<T>& list, std::size_t index) {
    return list[std::min(index, list.size() - 1)];
}

} // namespace

OutlineBuilder::OutlineBuilder(const model::ResourceSet& resources)
    : m_resources(resources)
    , m_locator(resources)
    , m_selection(resources) {}

std::optional<Outline> OutlineBuilder::inspectAt(std::string_view path, std::uint32_t line) const {
    const std::optional<ItemLocation> item = m_locator.locate(path, line);
    if (!item)
        return std::nullopt;
    return build(*item);
}

Outline OutlineBuilder::build(const ItemLocation& item) const {
    Outline out;
    std::visit(
        [&](const auto* r) {
            using R = std::decay_t<decltype(*r)>;
            out.resource = model::resourceName(*r);
            out.kind =
                item.kind == ItemKind::Resource ? std::string(R::kKind) : std::string(kindName(item.kind));
            out.span = item.kind == ItemKind::Resource ? resourceStart(r->header)
                                                       : model::SourceSpan{item.file, item.firstLine, 1};
        },
        item.resource);
    out.field = item.field;
    out.item = itemName(item);
    out.nodes = item.kind == ItemKind::Resource ? resourceNodes(item.resource) : itemNodes(item);
    return out;
}

std::vector<OutlineNode> OutlineBuilder::resourceNodes(const ResourceRef& resource) const {
    return std::visit(
        [&](const auto* r) {
            using R = std::decay_t<decltype(*r)>;
            std::vector<OutlineNode> nodes;
            appendField(nodes, "apiVersion", r->header.apiVersion);
            appendField(nodes, "kind", r->header.kind);
            appendField(nodes, "metadata", r->header.metadata);
            for (OutlineNode& node : fieldNodes(*r))
                nodes.push_back(std::move(node));
            if constexpr (std::is_same_v<R, model::Secret>)
                hideValues(nodes);
            if constexpr (std::is_same_v<R, model::Service>)
                nodes.push_back(endpointsSection(m_selection, *r));
            if (const WorkloadInfo* workload = m_selection.workload(resource))
                nodes.push_back(selectedBySection(m_selection, *workload));
            return nodes;
        },
        resource);
}

std::vector<OutlineNode> OutlineBuilder::itemNodes(const ItemLocation& item) const {
    std::vector<OutlineNode> nodes;
    std::visit(
        [&](const auto* r) {
            using R = std::decay_t<decltype(*r)>;
            if constexpr (std::is_same_v<R, model::Gateway>) {
                nodes = fieldNodes(at(r->spec.servers, item.index));
            } else if constexpr (std::is_same_v<R, model::VirtualService>) {
                if (item.kind == ItemKind::HttpRoute) {
                    const model::HTTPRoute& rule = at(r->spec.http, item.index);
                    nodes = fieldNodes(rule);
                    if (!rule.route.empty())
                        nodes.push_back(destinationsSection(m_selection, *r, rule.route));
                } else if (item.kind == ItemKind::TlsRoute) {
                    const model::TLSRoute& rule = at(r->spec.tls, item.index);
                    nodes = fieldNodes(rule);
                    nodes.push_back(destinationsSection(m_selection, *r, rule.route));
                } else {
                    const model::TCPRoute& rule = at(r->spec.tcp, item.index);
                    nodes = fieldNodes(rule);
                    nodes.push_back(destinationsSection(m_selection, *r, rule.route));
                }
            } else if constexpr (std::is_same_v<R, model::DestinationRule>) {
                const model::Subset& subset = at(r->spec.subsets, item.index);
                nodes = fieldNodes(subset);
                for (OutlineNode& node : subsetSections(m_selection, *r, subset))
                    nodes.push_back(std::move(node));
            }
        },
        item.resource);
    return nodes;
}

} // namespace sluice::inspect
