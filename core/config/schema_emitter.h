// SPDX-License-Identifier: Apache-2.0
#pragma once

// Emits model values as YAML by walking their schema tables (model/schema.h), the mirror image
// of schema_decoder.h. Private to core/config: it pulls in yaml-cpp, so only encoder .cpp files
// include it. Public entry points are in schema_encoder.h.

#include "model/duration.h"
#include "model/schema.h"
#include "schema_traits.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <yaml-cpp/emitter.h>
#include <yaml-cpp/emittermanip.h>
#include <yaml-cpp/yaml.h>

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

// ---- Merged emission -------------------------------------------------------------------------
// Kubernetes kinds are modelled only in part (a Deployment's containers are not). Writing one from
// the model alone would drop what the model does not hold, so a rewritten resource of such a kind
// is emitted over the YAML it was read from: keys the schema knows take the model's value (in the
// original key order, new ones appended, removed ones dropped); keys it does not know are copied
// as read. Lists of messages merge item by item, maps of messages key by key.

template <class T> void emitMerged(YAML::Emitter& out, const T& value, const YAML::Node& original);

template <model::schema::MessageType T>
void emitMergedFields(YAML::Emitter& out, const T& message, const YAML::Node& original) {
    using namespace model::schema;
    constexpr std::size_t kFields = std::tuple_size_v<std::decay_t<decltype(Message<T>::fields)>>;
    std::array<bool, kFields> seen{};
    for (const auto& kv : original) {
        if (!kv.first.IsScalar()) {
            out << YAML::Key << kv.first << YAML::Value << kv.second;
            continue;
        }
        const std::string& key = kv.first.Scalar();
        if constexpr (ResourceType<T>) {
            if (key == "apiVersion" || key == "kind" || key == "metadata")
                continue; // the envelope, written first
        }
        bool matched = false;
        std::size_t index = 0;
        forEachField<T>([&](const auto& field) {
            const std::size_t i = index++;
            if (matched || !matchesFieldName(key, field.name))
                return;
            matched = true;
            const auto& v = message.*(field.member);
            if (seen[i] || !isWritten(v))
                return; // a duplicate key, or a field the model no longer holds
            seen[i] = true;
            out << YAML::Key;
            emitPlain(out, field.name);
            out << YAML::Value;
            emitMerged(out, v, kv.second);
        });
        if (!matched)
            out << YAML::Key << kv.first << YAML::Value << kv.second; // not modelled: as read
    }
    std::size_t index = 0;
    forEachField<T>([&](const auto& field) {
        const std::size_t i = index++;
        const auto& v = message.*(field.member);
        if (seen[i] || !isWritten(v))
            return;
        out << YAML::Key;
        emitPlain(out, field.name);
        out << YAML::Value;
        emitValue(out, v);
    });
}

template <class T> void emitMerged(YAML::Emitter& out, const T& value, const YAML::Node& original) {
    if constexpr (IsOptional<T>::value) {
        if (value)
            emitMerged(out, *value, original);
        else
            out << YAML::Null;
    } else if constexpr (IsVector<T>::value) {
        if constexpr (model::schema::MessageType<typename T::value_type>) {
            if (original.IsSequence()) {
                out << YAML::BeginSeq;
                for (std::size_t i = 0; i < value.size(); ++i)
                    emitMerged(out, value[i], i < original.size() ? original[i] : YAML::Node());
                out << YAML::EndSeq;
                return;
            }
        }
        emitValue(out, value);
    } else if constexpr (IsMessageMap<T>::value) {
        if constexpr (model::schema::MessageType<typename T::mapped_type>) {
            if (original.IsMap()) {
                out << YAML::BeginMap;
                for (const auto& [key, item] : value) {
                    out << YAML::Key;
                    emitString(out, key);
                    out << YAML::Value;
                    emitMerged(out, item, original[key]);
                }
                out << YAML::EndMap;
                return;
            }
        }
        emitValue(out, value);
    } else if constexpr (model::schema::MessageType<T> && !ResourceType<T>) {
        if (!original.IsMap()) {
            emitValue(out, value);
            return;
        }
        out << YAML::BeginMap;
        emitMergedFields(out, value, original);
        out << YAML::EndMap;
    } else {
        emitValue(out, value); // scalars, lists of scalars, string maps: the model's value
    }
}

/// A resource emitted over the document (map) it was read from; see "Merged emission".
template <ResourceType R>
void emitMergedResource(YAML::Emitter& out, const R& resource, const YAML::Node& original) {
    if (!original.IsMap()) {
        emitResource(out, resource);
        return;
    }
    const auto& header = resource.header;
    out << YAML::BeginMap;
    out << YAML::Key << "apiVersion" << YAML::Value;
    emitValue(out, header.apiVersion);
    out << YAML::Key << "kind" << YAML::Value;
    emitValue(out, header.kind);
    if (isWritten(header.metadata)) {
        out << YAML::Key << "metadata" << YAML::Value;
        emitMerged(out, header.metadata, original["metadata"]);
    }
    emitMergedFields(out, resource, original);
    out << YAML::EndMap;
}

/// One resource as a YAML document: no `---` marker, ends with a newline. Given `original` (the
/// map it was read from), a kind the model covers only in part is merged over it.
template <ResourceType R>
std::string encodeToString(const R& resource, const YAML::Node* original = nullptr) {
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetMapFormat(YAML::Block);
    out.SetSeqFormat(YAML::Block);
    if (original && hasPartialModel<R>())
        emitMergedResource(out, resource, *original);
    else
        emitResource(out, resource);
    std::string text = out.c_str();
    text += '\n';
    return text;
}

} // namespace sluice::config
