// SPDX-License-Identifier: Apache-2.0
#include "schema_completion.h"

#include "loader.h"
#include "model/deployment_schema.h"
#include "model/destination_rule_schema.h"
#include "model/duration.h"
#include "model/gateway_schema.h"
#include "model/pod_schema.h"
#include "model/secret_schema.h"
#include "model/service_entry_schema.h"
#include "model/service_schema.h"
#include "model/virtual_service_schema.h"
#include "model/workload_schema.h"
#include "schema_traits.h"

#include <algorithm>
#include <array>
#include <type_traits>

namespace sluice::config {
namespace {

namespace schema = model::schema;

template <class F> struct FieldMember;
template <class O, class M> struct FieldMember<schema::Field<O, M>> { using type = M; };

template <class T> std::string typeName() {
    if constexpr (IsLocated<T>::value) {
        using V = std::remove_cvref_t<decltype(T{}.value)>;
        if constexpr (std::is_same_v<V, std::string>)
            return "string";
        else if constexpr (std::is_same_v<V, bool>)
            return "boolean";
        else if constexpr (std::is_same_v<V, double>)
            return "number";
        else if constexpr (std::is_same_v<V, model::Duration>)
            return "duration";
        else if constexpr (std::is_same_v<V, schema::IntOrString>)
            return "integer or string";
        else if constexpr (schema::EnumType<V>)
            return "enum";
        else
            return "integer";
    } else if constexpr (IsOptional<T>::value) {
        return typeName<typename T::value_type>();
    } else if constexpr (IsVector<T>::value) {
        return "list of " + typeName<typename T::value_type>();
    } else if constexpr (IsMessageMap<T>::value) {
        return "map of " + typeName<typename T::mapped_type>();
    } else {
        return std::string(schema::Message<T>::name);
    }
}

struct Query {
    const YamlPath& path;
    YamlSlot slot;
    std::vector<Completion>& out;
};

template <class T> void addFields(std::vector<Completion>& out) {
    schema::forEachField<T>([&](const auto& field) {
        using M = typename FieldMember<std::decay_t<decltype(field)>>::type;
        Completion c{std::string(field.name), CompletionKind::Field, typeName<M>(),
                     !field.deprecated.empty()};
        if (c.deprecated)
            c.detail += " (deprecated: " + std::string(field.deprecated) + ")";
        out.push_back(std::move(c));
    });
}

template <class V> void addValues(std::vector<Completion>& out) {
    if constexpr (schema::EnumType<V>) {
        for (const auto& v : schema::Enum<V>::values)
            out.push_back({std::string(v.name), CompletionKind::Value, "enum", false});
    } else if constexpr (std::is_same_v<V, bool>) {
        out.push_back({"true", CompletionKind::Value, "boolean", false});
        out.push_back({"false", CompletionKind::Value, "boolean", false});
    }
}

/// Follows `q.path` from step `at` through the type T, the way the decoder would read it.
template <class T> void walk(const Query& q, std::size_t at) {
    const bool end = at == q.path.size();
    if constexpr (IsLocated<T>::value) {
        if (end) // a value, or an item of a list of scalars typed after `- `
            addValues<std::remove_cvref_t<decltype(T{}.value)>>(q.out);
    } else if constexpr (IsOptional<T>::value) {
        walk<typename T::value_type>(q, at);
    } else if constexpr (IsVector<T>::value) {
        if (!end && q.path[at].item)
            walk<typename T::value_type>(q, at + 1);
    } else if constexpr (IsMessageMap<T>::value) {
        if (!end && !q.path[at].item)
            walk<typename T::mapped_type>(q, at + 1);
    } else {
        static_assert(schema::MessageType<T>, "no completion for this type");
        if (end) {
            if (q.slot == YamlSlot::Key)
                addFields<T>(q.out);
            return;
        }
        if (q.path[at].item)
            return;
        bool found = false;
        schema::forEachField<T>([&](const auto& field) {
            using M = typename FieldMember<std::decay_t<decltype(field)>>::type;
            if (!found && schema::matchesFieldName(q.path[at].key, field.name)) {
                found = true;
                walk<M>(q, at + 1);
            }
        });
    }
}

/// apiVersion, kind and metadata: what every document has, whatever its kind.
void walkEnvelope(const Query& q) {
    if (q.path.empty() && q.slot == YamlSlot::Key) {
        q.out.push_back({"apiVersion", CompletionKind::Field, "string", false});
        q.out.push_back({"kind", CompletionKind::Field, "string", false});
        q.out.push_back({"metadata", CompletionKind::Field, "ObjectMeta", false});
    } else if (!q.path.empty() && !q.path[0].item && q.path[0].key == "metadata") {
        walk<model::ObjectMeta>(q, 1);
    }
}

template <class R> void walkResource(const Query& q) {
    walkEnvelope(q);
    if (q.path.empty() && q.slot == YamlSlot::Key)
        addFields<R>(q.out);
    else if (!q.path.empty() && !(!q.path[0].item && q.path[0].key == "metadata"))
        walk<R>(q, 0);
}

struct KindWalker {
    std::string_view kind;
    void (*walk)(const Query&);
};

constexpr std::array<KindWalker, 9> kWalkers{{
    {"Gateway", &walkResource<model::Gateway>},
    {"VirtualService", &walkResource<model::VirtualService>},
    {"DestinationRule", &walkResource<model::DestinationRule>},
    {"ServiceEntry", &walkResource<model::ServiceEntry>},
    {"Service", &walkResource<model::Service>},
    {"Secret", &walkResource<model::Secret>},
    {"Pod", &walkResource<model::Pod>},
    {"Deployment", &walkResource<model::Deployment>},
    {"Workload", &walkResource<model::Workload>},
}};

bool isRootKey(const YamlPath& path, std::string_view key) {
    return path.size() == 1 && !path[0].item && path[0].key == key;
}

void addEnvelopeValues(const YamlCursor& cursor, std::vector<Completion>& out) {
    const std::vector<ModelledKind> kinds = modelledKinds();
    if (isRootKey(cursor.path, "kind")) {
        for (const ModelledKind& k : kinds)
            out.push_back({k.kind, CompletionKind::Kind, k.apiVersions.back(), false});
        return;
    }
    const bool known =
        std::any_of(kinds.begin(), kinds.end(), [&](const auto& k) { return k.kind == cursor.kind; });
    for (const ModelledKind& k : kinds) {
        if (known && k.kind != cursor.kind)
            continue;
        for (const std::string& version : k.apiVersions)
            if (std::none_of(out.begin(), out.end(), [&](const Completion& c) { return c.text == version; }))
                out.push_back({version, CompletionKind::ApiVersion, known ? k.kind : std::string(), false});
    }
}

bool startsWithIgnoringCase(std::string_view text, std::string_view prefix) {
    if (prefix.size() > text.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(text[i]) != lower(prefix[i]))
            return false;
    }
    return true;
}

} // namespace

std::vector<Completion> schemaCompletions(const YamlCursor& cursor) {
    std::vector<Completion> out;
    if (cursor.slot == YamlSlot::None)
        return out;
    if (cursor.slot == YamlSlot::Value &&
        (isRootKey(cursor.path, "kind") || isRootKey(cursor.path, "apiVersion"))) {
        addEnvelopeValues(cursor, out);
        return out;
    }
    const auto it = std::find_if(kWalkers.begin(), kWalkers.end(),
                                 [&](const KindWalker& w) { return w.kind == cursor.kind; });
    const Query query{cursor.path, cursor.slot, out};
    // A kind not written yet, or not modelled: its envelope still completes.
    (it != kWalkers.end() ? it->walk : &walkEnvelope)(query);
    return out;
}

std::vector<Completion> completeAt(std::string_view text, std::uint32_t line, std::uint32_t column) {
    return completeAt(yamlCursorAt(text, line, column));
}

std::vector<Completion> completeAt(const YamlCursor& cursor) {
    std::vector<Completion> all = schemaCompletions(cursor);
    std::erase_if(all, [&](const Completion& c) {
        if (!startsWithIgnoringCase(c.text, cursor.prefix))
            return true;
        return c.kind == CompletionKind::Field &&
               std::any_of(cursor.siblings.begin(), cursor.siblings.end(),
                           [&](const std::string& key) { return schema::matchesFieldName(key, c.text); });
    });
    return all;
}

} // namespace sluice::config
