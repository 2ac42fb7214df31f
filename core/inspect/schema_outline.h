// SPDX-License-Identifier: Apache-2.0
#pragma once

// Outline rows for any model value, by walking its schema table (model/schema.h) the way the
// decoder and encoder do: one row per field the user wrote, in schema order, nested messages as
// children, lists item by item, maps key by key. No per-field code: a field added to a table
// shows up here by itself.

#include "config/schema_traits.h"
#include "outline.h"
#include "scalar_text.h"
#include "summaries.h"

#include <algorithm>
#include <string>
#include <vector>

namespace sluice::inspect {

/// Whether a value was written by the user: present scalars, non-empty lists and maps, set
/// optionals, messages that were written (their map had a position) or hold something.
template <class T> [[nodiscard]] bool isWritten(const T& value) {
    if constexpr (config::IsLocated<T>::value) {
        return value.present;
    } else if constexpr (config::IsOptional<T>::value) {
        return value.has_value();
    } else if constexpr (config::IsVector<T>::value || config::IsMessageMap<T>::value) {
        return !value.empty();
    } else if constexpr (model::schema::MessageType<T>) {
        if (value.span.known())
            return true;
        bool any = false;
        model::schema::forEachField<T>(
            [&](const auto& field) { any = any || isWritten(value.*(field.member)); });
        return any;
    } else {
        static_assert(sizeof(T) == 0, "no outline for this type");
    }
}

/// The last line any span inside `value` points at (0 when none): where an item ends at the latest.
template <class T> [[nodiscard]] std::uint32_t lastLine(const T& value) {
    if constexpr (config::IsLocated<T>::value) {
        return value.present ? value.span.line : 0;
    } else if constexpr (config::IsOptional<T>::value) {
        return value ? lastLine(*value) : 0;
    } else if constexpr (config::IsVector<T>::value) {
        std::uint32_t last = 0;
        for (const auto& item : value)
            last = std::max(last, lastLine(item));
        return last;
    } else if constexpr (config::IsMessageMap<T>::value) {
        std::uint32_t last = 0;
        for (const auto& [key, item] : value)
            last = std::max(last, lastLine(item));
        return last;
    } else if constexpr (model::schema::MessageType<T>) {
        std::uint32_t last = value.span.line;
        model::schema::forEachField<T>(
            [&](const auto& field) { last = std::max(last, lastLine(value.*(field.member))); });
        return last;
    } else {
        static_assert(sizeof(T) == 0, "no outline for this type");
    }
}

template <model::schema::MessageType T> [[nodiscard]] std::vector<OutlineNode> fieldNodes(const T& message);

template <class T> [[nodiscard]] std::string scalarOrSummary(const T& value) {
    if constexpr (config::IsLocated<T>::value)
        return scalarText(value.value);
    else
        return summary(value);
}

template <class T> [[nodiscard]] model::SourceSpan spanOf(const T& value) {
    return value.span;
}

/// Appends the rows of one field (`label` = its JSON name) when it was written.
template <class T> void appendField(std::vector<OutlineNode>& out, const std::string& label, const T& value) {
    if (!isWritten(value))
        return;
    if constexpr (config::IsLocated<T>::value) {
        out.push_back({label, scalarText(value.value), value.span, {}});
    } else if constexpr (config::IsOptional<T>::value) {
        appendField(out, label, *value);
    } else if constexpr (config::IsVector<T>::value) {
        using Item = typename T::value_type;
        if constexpr (model::schema::MessageType<Item>) {
            for (std::size_t i = 0; i < value.size(); ++i)
                out.push_back({label + "[" + std::to_string(i) + "]", summary(value[i]), value[i].span,
                               fieldNodes(value[i])});
        } else {
            OutlineNode list{label, {}, value.front().span, {}};
            for (std::size_t i = 0; i < value.size(); ++i) {
                const std::string text = scalarText(value[i].value);
                list.value += (i ? ", " : "") + text;
                list.children.push_back({"[" + std::to_string(i) + "]", text, value[i].span, {}});
            }
            out.push_back(std::move(list));
        }
    } else if constexpr (config::IsMessageMap<T>::value) {
        using Item = typename T::mapped_type;
        OutlineNode map{label, {}, spanOf(value.begin()->second), {}};
        for (const auto& [key, item] : value) {
            const std::string text = scalarOrSummary(item);
            if constexpr (config::IsLocated<Item>::value) {
                map.value += (map.children.empty() ? "" : ", ") + key + "=" + text;
                map.children.push_back({key, text, item.span, {}});
            } else {
                map.children.push_back({key, text, item.span, fieldNodes(item)});
            }
        }
        out.push_back(std::move(map));
    } else if constexpr (model::schema::MessageType<T>) {
        out.push_back({label, summary(value), value.span, fieldNodes(value)});
    } else {
        static_assert(sizeof(T) == 0, "no outline for this type");
    }
}

/// The rows of every written field of `message`, in schema order.
template <model::schema::MessageType T> std::vector<OutlineNode> fieldNodes(const T& message) {
    std::vector<OutlineNode> out;
    model::schema::forEachField<T>(
        [&](const auto& field) { appendField(out, std::string(field.name), message.*(field.member)); });
    return out;
}

} // namespace sluice::inspect
