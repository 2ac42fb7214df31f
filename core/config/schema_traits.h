// SPDX-License-Identifier: Apache-2.0
#pragma once

// Type traits shared by everything that walks the schema tables (decoder, encoder, equality).
// Header-only and free of yaml-cpp, so public headers may include it.

#include "model/schema.h"

#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace sluice::config {

template <class T> struct IsLocated : std::false_type {};
template <class T> struct IsLocated<model::Located<T>> : std::true_type {};
template <class T> struct IsVector : std::false_type {};
template <class T> struct IsVector<std::vector<T>> : std::true_type {};
template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};
template <class T> struct IsMessageMap : std::false_type {};
template <class V> struct IsMessageMap<std::map<std::string, V, std::less<>>> : std::true_type {};

/// A top-level resource (Gateway, Service, ...): a schema message with a ResourceHeader.
template <class T>
concept ResourceType = model::schema::MessageType<T> && requires(const T& r) {
    r.header;
};

/// True for kinds whose spec the model covers only in part (open schema: Service, Pod,
/// Deployment), which must never be rewritten from the model alone.
template <ResourceType R> constexpr bool hasPartialModel() {
    if constexpr (requires { R::spec; })
        return model::schema::isOpen<std::decay_t<decltype(R::spec)>>();
    else
        return false;
}

} // namespace sluice::config
