// SPDX-License-Identifier: Apache-2.0
#pragma once

// Emits model values as YAML by walking their schema tables (model/schema.h), the mirror image
// of schema_decoder.h. Private to core/config: it pulls in yaml-cpp, so only encoder .cpp files
// include it. Public entry points are in schema_encoder.h.

#include "model/duration.h"
#include "model/schema.h"
#include "schema_traits.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include <yaml-cpp/emitter.h>
#include <yaml-cpp/emittermanip.h>

namespace sluice::config {

/// A string scalar that reads back as the same string: quoted when YAML 1.1 would read it as
/// something else (`on`, `80`, `~`, ""), a literal block for multi-line text that allows it.
void emitString(YAML::Emitter& out, std::string_view text);
/// A scalar written exactly as given (numbers, booleans, enum names).
void emitPlain(YAML::Emitter& out, std::string_view text);

void emitScalar(YAML::Emitter& out, const std::string& value);
void emitScalar(YAML::Emitter& out, bool value);
void emitScalar(YAML::Emitter& out, double value);
void emitScalar(YAML::Emitter& out, const model::Duration& value);
void emitScalar(YAML::Emitter& out, const model::IntOrString& value);

template <class I>
requires std::is_integral_v<I> &&(!std::is_same_v<I, bool>)void emitScalar(YAML::Emitter& out, I value) {
    emitPlain(out, std::to_string(value));
}

template <class E>
requires model::schema::EnumType<E>
void emitScalar(YAML::Emitter& out, E value) {
    for (const auto& v : model::schema::Enum<E>::values)
        if (v.value == value) {
            emitPlain(out, v.name);
            return;
        }
    emitPlain(out, std::to_string(static_cast<int>(value))); // not in the table: its number
}

/// Whether a value was written by the user and so belongs in the output: present scalars,
/// non-empty lists and maps, set optionals, and nested messages that were written (their map
/// had a position) or hold something.
template <class T> bool isWritten(const T& value) {
    if constexpr (IsLocated<T>::value) {
        return value.present;
    } else if constexpr (IsOptional<T>::value) {
        return value.has_value();
    } else if constexpr (IsVector<T>::value || IsMessageMap<T>::value) {
        return !value.empty();
    } else if constexpr (model::schema::MessageType<T>) {
        if (value.span.known())
            return true;
        bool any = false;
        model::schema::forEachField<T>(
            [&](const auto& field) { any = any || isWritten(value.*(field.member)); });
        return any;
    } else {
        static_assert(sizeof(T) == 0, "no encoder for this type");
    }
}

template <model::schema::MessageType T> void emitFields(YAML::Emitter& out, const T& message);

template <class T> void emitValue(YAML::Emitter& out, const T& value) {
    if constexpr (IsLocated<T>::value) {
        if (value.present)
            emitScalar(out, value.value);
        else
            out << YAML::Null; // a list item written as null keeps its place
    } else if constexpr (IsOptional<T>::value) {
        if (value)
            emitValue(out, *value);
        else
            out << YAML::Null;
    } else if constexpr (IsVector<T>::value) {
        out << YAML::BeginSeq;
        for (const auto& item : value)
            emitValue(out, item);
        out << YAML::EndSeq;
    } else if constexpr (IsMessageMap<T>::value) {
        out << YAML::BeginMap;
        for (const auto& [key, item] : value) {
            out << YAML::Key;
            emitString(out, key);
            out << YAML::Value;
            emitValue(out, item);
        }
        out << YAML::EndMap;
    } else if constexpr (model::schema::MessageType<T>) {
        out << YAML::BeginMap;
        emitFields(out, value);
        out << YAML::EndMap;
    } else {
        static_assert(sizeof(T) == 0, "no encoder for this type");
    }
}

/// The written fields of `message`, by JSON name, in schema order, into an open map.
template <model::schema::MessageType T> void emitFields(YAML::Emitter& out, const T& message) {
    model::schema::forEachField<T>([&](const auto& field) {
        const auto& value = message.*(field.member);
        if (!isWritten(value))
            return;
        out << YAML::Key;
        emitPlain(out, field.name);
        out << YAML::Value;
        emitValue(out, value);
    });
}

/// apiVersion, kind and metadata first, then the kind's own fields in schema order.
template <ResourceType R> void emitResource(YAML::Emitter& out, const R& resource) {
    const auto& header = resource.header;
    out << YAML::BeginMap;
    out << YAML::Key << "apiVersion" << YAML::Value;
    emitValue(out, header.apiVersion);
    out << YAML::Key << "kind" << YAML::Value;
    emitValue(out, header.kind);
    if (isWritten(header.metadata)) {
        out << YAML::Key << "metadata" << YAML::Value;
        emitValue(out, header.metadata);
    }
    emitFields(out, resource);
    out << YAML::EndMap;
}

/// One resource as a YAML document: no `---` marker, ends with a newline.
template <ResourceType R> std::string encodeToString(const R& resource) {
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetMapFormat(YAML::Block);
    out.SetSeqFormat(YAML::Block);
    emitResource(out, resource);
    std::string text = out.c_str();
    text += '\n';
    return text;
}

} // namespace sluice::config
