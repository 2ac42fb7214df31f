// SPDX-License-Identifier: Apache-2.0
#pragma once

// Structural equality of model values, walking the same schema tables as the decoder and the
// encoder. Spans and document positions are ignored: two values are equal when the user wrote the
// same thing, wherever they wrote it. This is the equality of the `load(export(x)) == x` property.

#include "model/deployment_schema.h"
#include "model/destination_rule_schema.h"
#include "model/gateway_schema.h"
#include "model/pod_schema.h"
#include "model/resource_set.h"
#include "model/secret_schema.h"
#include "model/service_entry_schema.h"
#include "model/service_schema.h"
#include "model/virtual_service_schema.h"
#include "model/workload_schema.h"
#include "schema_traits.h"

#include <optional>
#include <string>
#include <vector>

namespace sluice::config {
namespace detail {

/// True when `a` and `b` differ; `path` then receives the segments of the first difference,
/// innermost first.
template <class T> bool differs(const T& a, const T& b, std::vector<std::string>& path);

template <model::schema::MessageType T>
bool fieldsDiffer(const T& a, const T& b, std::vector<std::string>& path) {
    bool found = false;
    model::schema::forEachField<T>([&](const auto& field) {
        if (found || !differs(a.*(field.member), b.*(field.member), path))
            return;
        found = true;
        path.emplace_back(field.name);
    });
    return found;
}

template <class T> bool differs(const T& a, const T& b, std::vector<std::string>& path) {
    if constexpr (IsLocated<T>::value) {
        return !(a == b);
    } else if constexpr (IsOptional<T>::value) {
        if (a.has_value() != b.has_value())
            return true;
        return a.has_value() && differs(*a, *b, path);
    } else if constexpr (IsVector<T>::value) {
        if (a.size() != b.size()) {
            path.push_back("(" + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " items)");
            return true;
        }
        for (std::size_t i = 0; i < a.size(); ++i)
            if (differs(a[i], b[i], path)) {
                path.push_back("[" + std::to_string(i) + "]");
                return true;
            }
        return false;
    } else if constexpr (IsMessageMap<T>::value) {
        auto ia = a.begin();
        auto ib = b.begin();
        for (; ia != a.end() && ib != b.end(); ++ia, ++ib) {
            if (ia->first != ib->first) {
                path.push_back("[" + ia->first + " vs " + ib->first + "]");
                return true;
            }
            if (differs(ia->second, ib->second, path)) {
                path.push_back(ia->first);
                return true;
            }
        }
        if (ia != a.end() || ib != b.end()) {
            path.push_back("(" + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " keys)");
            return true;
        }
        return false;
    } else if constexpr (ResourceType<T>) {
        if (differs(a.header.apiVersion, b.header.apiVersion, path)) {
            path.emplace_back("apiVersion");
            return true;
        }
        if (differs(a.header.kind, b.header.kind, path)) {
            path.emplace_back("kind");
            return true;
        }
        if (differs(a.header.metadata, b.header.metadata, path)) {
            path.emplace_back("metadata");
            return true;
        }
        return fieldsDiffer(a, b, path);
    } else if constexpr (model::schema::MessageType<T>) {
        return fieldsDiffer(a, b, path);
    } else {
        static_assert(sizeof(T) == 0, "no equality for this type");
    }
}

inline std::string joinPath(const std::vector<std::string>& reversed) {
    std::string out;
    for (auto it = reversed.rbegin(); it != reversed.rend(); ++it) {
        if (!out.empty() && !it->starts_with('[') && !it->starts_with('('))
            out += '.';
        out += *it;
    }
    return out;
}

} // namespace detail

/// The path of the first difference between two values of one model type (for example
/// "spec.http[0].route[1].weight"), or nullopt when they are structurally equal.
template <class T> [[nodiscard]] std::optional<std::string> schemaDifference(const T& a, const T& b) {
    std::vector<std::string> path;
    if (!detail::differs(a, b, path))
        return std::nullopt;
    return detail::joinPath(path);
}

/// Structural equality: what was written, not where (spans and document positions are ignored).
template <class T> [[nodiscard]] bool schemaEqual(const T& a, const T& b) {
    std::vector<std::string> path;
    return !detail::differs(a, b, path);
}

/// First difference between the modelled resources of two sets, kind by kind and in order
/// ("VirtualService[2] default/reviews: spec.http[0].timeout"); files and skipped kinds are not
/// compared. nullopt when equal.
[[nodiscard]] inline std::optional<std::string> schemaDifference(const model::ResourceSet& a,
                                                                 const model::ResourceSet& b) {
    std::optional<std::string> found;
    auto compare = [&](const auto& left, const auto& right) {
        using R = typename std::decay_t<decltype(left)>::value_type;
        if (found)
            return;
        if (left.size() != right.size()) {
            found = std::string(R::kKind) + ": " + std::to_string(left.size()) + " vs " +
                    std::to_string(right.size()) + " resources";
            return;
        }
        for (std::size_t i = 0; i < left.size() && !found; ++i)
            if (auto d = schemaDifference(left[i], right[i]))
                found = std::string(R::kKind) + "[" + std::to_string(i) + "] " + left[i].header.ns() + "/" +
                        left[i].header.name() + ": " + *d;
    };
    compare(a.gateways, b.gateways);
    compare(a.virtualServices, b.virtualServices);
    compare(a.destinationRules, b.destinationRules);
    compare(a.serviceEntries, b.serviceEntries);
    compare(a.services, b.services);
    compare(a.secrets, b.secrets);
    compare(a.pods, b.pods);
    compare(a.deployments, b.deployments);
    compare(a.workloads, b.workloads);
    return found;
}

[[nodiscard]] inline bool schemaEqual(const model::ResourceSet& a, const model::ResourceSet& b) {
    return !schemaDifference(a, b);
}

} // namespace sluice::config
