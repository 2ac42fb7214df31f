// SPDX-License-Identifier: Apache-2.0
#pragma once

// Decodes YAML nodes into model types by walking their schema tables (model/schema.h).
// Private to core/config: it pulls in yaml-cpp, so only the decoder .cpp files include it.

#include "decode_context.h"
#include "did_you_mean.h"
#include "model/duration.h"
#include "model/schema.h"
#include "schema_traits.h"
#include "yaml_scalar.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace sluice::config {

/// What a scalar node holds, with YAML 1.1 plain-scalar typing (quoted scalars are strings).
ResolvedScalar resolve(const YAML::Node& node);
model::SourceSpan spanOf(const YAML::Node& node, const DecodeContext& ctx);
std::string describe(const YAML::Node& node);
/// Reports duplicate keys of a mapping (Kubernetes rejects them); true when there were none.
bool checkDuplicateKeys(const YAML::Node& map, DecodeContext& ctx);

/// go-yaml reads the flow item `001:db8::` in `[1.2.3.4, 001:db8::]` as one string; yaml-cpp reads
/// it as the single-entry map {"001:db8:": null}. Returns the string go-yaml sees for exactly that
/// shape (a flow map with one plain key and no value, the key's text ending right before `:` and
/// a flow terminator), nullopt for anything else.
std::optional<std::string> flowColonString(const YAML::Node& node, const DecodeContext& ctx);

/// True for the YAML merge key: a plain (unquoted) `<<`.
bool isMergeKey(const YAML::Node& key);
/// The maps a merge key brings in (`<<: *base` or `<<: [*a, *b]`), earliest first; reports any
/// other shape.
std::vector<YAML::Node> mergeSources(const YAML::Node& value, DecodeContext& ctx);

/// Calls `f(key, value)` for every entry of `map`, expanding merge keys the way Kubernetes' YAML
/// reader does: explicit keys win over merged ones, and earlier merged maps over later ones.
template <class F>
void forEachEntry(const YAML::Node& map, DecodeContext& ctx, F&& f) {
    bool merges = false;
    for (const auto& kv : map) {
        if (isMergeKey(kv.first))
            merges = true;
        else
            f(kv.first, kv.second);
    }
    if (!merges)
        return;
    std::vector<std::string> seen;
    for (const auto& kv : map)
        if (kv.first.IsScalar() && !isMergeKey(kv.first))
            seen.push_back(kv.first.Scalar());
    for (const auto& kv : map) {
        if (!isMergeKey(kv.first))
            continue;
        for (const YAML::Node& source : mergeSources(kv.second, ctx)) {
            for (const auto& entry : source) {
                if (!entry.first.IsScalar() || isMergeKey(entry.first))
                    continue;
                const std::string& key = entry.first.Scalar();
                if (std::find(seen.begin(), seen.end(), key) != seen.end())
                    continue;
                seen.push_back(key);
                f(entry.first, entry.second);
            }
        }
    }
}

bool decodeScalar(const YAML::Node& node, std::string& out, DecodeContext& ctx);
bool decodeScalar(const YAML::Node& node, bool& out, DecodeContext& ctx);
bool decodeScalar(const YAML::Node& node, double& out, DecodeContext& ctx);
bool decodeScalar(const YAML::Node& node, model::Duration& out, DecodeContext& ctx);
bool decodeScalar(const YAML::Node& node, model::IntOrString& out, DecodeContext& ctx);
bool decodeInteger(const YAML::Node& node, std::int64_t& out, std::int64_t min, std::int64_t max, DecodeContext& ctx);

template <class I>
    requires std::is_integral_v<I> && (!std::is_same_v<I, bool>)
bool decodeScalar(const YAML::Node& node, I& out, DecodeContext& ctx) {
    std::int64_t v = 0;
    constexpr auto max = std::numeric_limits<I>::max() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                             ? std::numeric_limits<std::int64_t>::max()
                             : static_cast<std::int64_t>(std::numeric_limits<I>::max());
    if (!decodeInteger(node, v, static_cast<std::int64_t>(std::numeric_limits<I>::min()), max, ctx))
        return false;
    out = static_cast<I>(v);
    return true;
}

template <class E>
    requires model::schema::EnumType<E>
bool decodeScalar(const YAML::Node& node, E& out, DecodeContext& ctx) {
    using model::schema::Enum;
    const ResolvedScalar r = resolve(node);
    if (r.type == ScalarType::Int) {
        for (const auto& v : Enum<E>::values)
            if (v.number == r.integer) {
                out = v.value;
                return true;
            }
    } else if (r.type == ScalarType::String) {
        const std::string text = node.Scalar();
        for (const auto& v : Enum<E>::values)
            if (v.name == text) {
                out = v.value;
                return true;
            }
    }
    std::vector<std::string_view> names;
    std::string list;
    for (const auto& v : Enum<E>::values) {
        names.push_back(v.name);
        list += (list.empty() ? "" : ", ") + std::string(v.name);
    }
    std::string msg = "invalid value " + describe(node) + ": expected one of " + list;
    if (const std::string guess = closestMatch(node.Scalar(), names); !guess.empty())
        msg += " (did you mean \"" + guess + "\"?)";
    ctx.schemaError(std::move(msg), spanOf(node, ctx));
    return false;
}

template <class T>
void decodeValue(const YAML::Node& node, T& out, DecodeContext& ctx);

template <model::schema::MessageType T>
void decodeFields(const YAML::Node& map, T& out, DecodeContext& ctx);

template <class T>
void decodeValue(const YAML::Node& node, T& out, DecodeContext& ctx) {
    const model::SourceSpan at = spanOf(node, ctx);
    if (!ctx.spend(at))
        return;
    if constexpr (IsLocated<T>::value) {
        if (node.IsNull())
            return;
        if (!node.IsScalar()) {
            if constexpr (std::is_same_v<T, model::Located<std::string>>) {
                if (auto text = flowColonString(node, ctx)) {
                    out = T(std::move(*text), at);
                    return;
                }
            }
            ctx.schemaError("expected a single value, got " + describe(node), at);
            return;
        }
        if (decodeScalar(node, out.value, ctx)) {
            out.span = at;
            out.present = true;
        }
    } else if constexpr (IsOptional<T>::value) {
        if (node.IsNull())
            return;
        out.emplace();
        decodeValue(node, *out, ctx);
    } else if constexpr (IsVector<T>::value) {
        if (node.IsNull())
            return;
        if (!node.IsSequence()) {
            ctx.schemaError("expected a list, got " + describe(node), at);
            return;
        }
        out.reserve(node.size());
        std::size_t i = 0;
        for (const auto& item : node) {
            DecodeContext::PathGuard guard(ctx, i++);
            out.emplace_back();
            decodeValue(item, out.back(), ctx);
            if (ctx.exhausted())
                return;
        }
    } else if constexpr (IsMessageMap<T>::value) {
        if (node.IsNull())
            return;
        if (!node.IsMap()) {
            ctx.schemaError("expected a map, got " + describe(node), at);
            return;
        }
        checkDuplicateKeys(node, ctx);
        forEachEntry(node, ctx, [&](const YAML::Node& k, const YAML::Node& v) {
            if (ctx.exhausted())
                return;
            if (!k.IsScalar()) {
                ctx.schemaError("map keys must be strings", spanOf(k, ctx));
                return;
            }
            std::string key = k.Scalar();
            DecodeContext::PathGuard guard(ctx, key);
            typename T::mapped_type value;
            decodeValue(v, value, ctx);
            if constexpr (IsLocated<typename T::mapped_type>::value) {
                // An explicit null map value is still a key the user wrote ("key present, empty").
                if (!value.present && v.IsNull())
                    value = typename T::mapped_type{typename T::mapped_type{}.value, spanOf(v, ctx)};
            }
            out.insert_or_assign(std::move(key), std::move(value));
        });
    } else if constexpr (model::schema::MessageType<T>) {
        if (node.IsNull())
            return;
        if (!node.IsMap()) {
            ctx.schemaError(std::string("expected a ") + std::string(model::schema::Message<T>::name) +
                                " object (a map), got " + describe(node),
                            at);
            return;
        }
        out.span = at;
        decodeFields(node, out, ctx);
    } else {
        static_assert(sizeof(T) == 0, "no decoder for this type");
    }
}

template <model::schema::MessageType T>
void decodeFields(const YAML::Node& map, T& out, DecodeContext& ctx) {
    using namespace model::schema;
    checkDuplicateKeys(map, ctx);
    forEachEntry(map, ctx, [&](const YAML::Node& keyNode, const YAML::Node& value) {
        if (!keyNode.IsScalar()) {
            ctx.schemaError("field names must be strings", spanOf(keyNode, ctx));
            return;
        }
        const std::string& key = keyNode.Scalar();
        if constexpr (requires { out.header; }) {
            if (key == "apiVersion" || key == "kind" || key == "metadata")
                return; // the envelope, decoded before the body
        }
        bool found = false;
        forEachField<T>([&](const auto& field) {
            if (found || !matchesFieldName(key, field.name))
                return;
            found = true;
            DecodeContext::PathGuard guard(ctx, field.name);
            decodeValue(value, out.*(field.member), ctx);
            if (!field.deprecated.empty() && !value.IsNull())
                ctx.report(model::Level::Warning, "IST0002",
                           ctx.path() + " is deprecated: " + std::string(field.deprecated), spanOf(keyNode, ctx));
        });
        if (found)
            return;
        bool ignored = false;
        for (std::string_view k : ignoredKeys<T>())
            ignored = ignored || matchesFieldName(key, k);
        if (ignored || isOpen<T>())
            return;
        std::vector<std::string_view> names;
        forEachField<T>([&](const auto& field) { names.push_back(field.name); });
        std::string msg = "unknown field \"" + key + "\" in " + std::string(Message<T>::name);
        if (const std::string guess = closestMatch(key, names); !guess.empty())
            msg += " (did you mean \"" + guess + "\"?)";
        DecodeContext::PathGuard guard(ctx, key);
        ctx.schemaError(std::move(msg), spanOf(keyNode, ctx));
    });
}

} // namespace sluice::config
