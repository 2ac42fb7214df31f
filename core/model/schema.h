// SPDX-License-Identifier: Apache-2.0
#pragma once

// Compile-time field tables for the resource model. One table per message type describes its
// fields once; the YAML decoder, the canonical encoder, structural equality and the
// "did you mean" suggestions all walk the same table, so they cannot drift apart.
//
// A message type T is any struct with a `SourceSpan span` member and a specialisation
//     template <> struct schema::Message<T> {
//         static constexpr std::string_view name = "Destination";
//         static constexpr auto fields = std::tuple{Field{"host", &T::host}, ...};
//     };
// Optional members of the specialisation:
//     static constexpr bool open = true;          // unknown keys are ignored (partial k8s kinds)
//     static constexpr std::array ignored{...};   // known keys we do not model (not an error)

#include "source_span.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace sluice::model::schema {

template <class Owner, class Member>
struct Field {
    std::string_view name; ///< JSON (camelCase) name; the proto snake_case name is derived
    Member Owner::*member;
    std::string_view deprecated{}; ///< non-empty: the field is deprecated; text says what to use instead
};
template <class O, class M>
Field(std::string_view, M O::*) -> Field<O, M>;
template <class O, class M>
Field(std::string_view, M O::*, std::string_view) -> Field<O, M>;

template <class T>
struct Message;

template <class T>
concept MessageType = requires { Message<T>::fields; };

template <class E>
struct EnumValue {
    std::string_view name;
    E value;
    int number; ///< protobuf enum number (protojson accepts it in place of the name)
};

/// Specialise with `static constexpr std::array values{EnumValue<E>{...}, ...};`
template <class E>
struct Enum;

template <class E>
concept EnumType = requires { Enum<E>::values; };

template <class T>
constexpr bool isOpen() {
    if constexpr (requires { Message<T>::open; })
        return Message<T>::open;
    else
        return false;
}

template <class T>
constexpr auto ignoredKeys() {
    if constexpr (requires { Message<T>::ignored; })
        return Message<T>::ignored;
    else
        return std::array<std::string_view, 0>{};
}

template <MessageType T, class F>
constexpr void forEachField(F&& f) {
    std::apply([&](const auto&... field) { (f(field), ...); }, Message<T>::fields);
}

template <EnumType E>
constexpr std::string_view enumName(E value) {
    for (const auto& v : Enum<E>::values)
        if (v.value == value)
            return v.name;
    return {};
}

/// True when `key` names the field: the JSON name ("sniHosts") or the proto name ("sni_hosts"),
/// both of which Istio's protobuf JSON decoding accepts.
[[nodiscard]] bool matchesFieldName(std::string_view key, std::string_view jsonName);
/// "sniHosts" -> "sni_hosts".
[[nodiscard]] std::string toProtoName(std::string_view jsonName);

/// Kubernetes `int-or-string` (Service targetPort).
struct IntOrString {
    bool isInt = true;
    std::int64_t number = 0;
    std::string name;
    friend bool operator==(const IntOrString&, const IntOrString&) = default;
};

} // namespace sluice::model::schema

namespace sluice::model {

using schema::IntOrString;

/// A string map (labels, annotations, header values). Spans point at each value.
using StringMap = std::map<std::string, Located<std::string>, std::less<>>;

template <class V>
using MessageMap = std::map<std::string, V, std::less<>>;

} // namespace sluice::model
