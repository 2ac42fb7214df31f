// SPDX-License-Identifier: Apache-2.0
#include "schema_decoder.h"

#include <cmath>
#include <unordered_map>

namespace sluice::config {
namespace {

bool isStringTagged(const YAML::Node& node) {
    const std::string& tag = node.Tag();
    return tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "!!str";
}

std::string quoted(const YAML::Node& node) {
    std::string s = node.Scalar();
    if (s.size() > 60)
        s = s.substr(0, 57) + "...";
    return "\"" + s + "\"";
}

} // namespace

ResolvedScalar resolve(const YAML::Node& node) {
    if (isStringTagged(node))
        return ResolvedScalar{};
    return resolvePlainScalar(node.Scalar());
}

model::SourceSpan spanOf(const YAML::Node& node, const DecodeContext& ctx) {
    const YAML::Mark m = node.Mark();
    return ctx.span(m.line, m.column);
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return "null";
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Map:
        return "a map";
    case YAML::NodeType::Scalar:
        break;
    }
    const ResolvedScalar r = resolve(node);
    if (r.type == ScalarType::String)
        return "string " + quoted(node);
    return std::string(scalarTypeName(r.type)) + " " + node.Scalar();
}

bool checkDuplicateKeys(const YAML::Node& map, DecodeContext& ctx) {
    if (map.size() < 2)
        return true;
    std::unordered_map<std::string, int> seen;
    bool clean = true;
    for (const auto& kv : map) {
        if (!kv.first.IsScalar())
            continue;
        const auto [it, inserted] = seen.emplace(kv.first.Scalar(), kv.first.Mark().line + 1);
        if (!inserted) {
            clean = false;
            const model::SourceSpan at = spanOf(kv.first, ctx);
            ctx.report(model::Level::Error, "SLU0002",
                       "duplicate key \"" + kv.first.Scalar() + "\" (first defined at line " +
                           std::to_string(ctx.span(it->second - 1, 0).line) +
                           "); Kubernetes rejects the document",
                       at);
        }
    }
    return clean;
}

std::optional<std::string> flowColonString(const YAML::Node& node, const DecodeContext& ctx) {
    if (!node.IsMap() || node.size() != 1 || node.Style() != YAML::EmitterStyle::Flow)
        return std::nullopt;
    const auto entry = *node.begin();
    const YAML::Node& key = entry.first;
    if (!key.IsScalar() || key.Tag() != "?" || !entry.second.IsNull() || key.Mark().pos != node.Mark().pos)
        return std::nullopt;
    const std::string_view text = ctx.text();
    const std::string& word = key.Scalar();
    if (key.Mark().pos < 0 || word.empty())
        return std::nullopt;
    const auto begin = static_cast<std::size_t>(key.Mark().pos);
    const std::size_t colon = begin + word.size();
    // The key must be spelled exactly as read (a plain one-line scalar), then ':' and a terminator.
    if (colon + 1 >= text.size() || text.substr(begin, word.size()) != word || text[colon] != ':')
        return std::nullopt;
    const char next = text[colon + 1];
    if (next != ',' && next != ']' && next != '}')
        return std::nullopt;
    return word + ":";
}

bool isMergeKey(const YAML::Node& key) { return key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<"; }

std::vector<YAML::Node> mergeSources(const YAML::Node& value, DecodeContext& ctx) {
    std::vector<YAML::Node> out;
    if (value.IsMap()) {
        out.push_back(value);
    } else if (value.IsSequence()) {
        for (const auto& item : value) {
            if (item.IsMap())
                out.push_back(item);
            else
                ctx.schemaError("a merge key (<<) list may hold only maps, got " + describe(item),
                                spanOf(item, ctx));
        }
    } else {
        ctx.schemaError("a merge key (<<) needs a map or a list of maps, got " + describe(value),
                        spanOf(value, ctx));
    }
    return out;
}

bool decodeScalar(const YAML::Node& node, std::string& out, DecodeContext& ctx) {
    const ResolvedScalar r = resolve(node);
    if (r.type != ScalarType::String) {
        std::string msg = "expected a string, got " + describe(node);
        if (r.type == ScalarType::Bool)
            msg += " (YAML reads yes/no/on/off/y/n as booleans; quote it: \"" + node.Scalar() + "\")";
        else
            msg += " (quote it: \"" + node.Scalar() + "\")";
        ctx.schemaError(std::move(msg), spanOf(node, ctx));
        return false;
    }
    out = node.Scalar();
    return true;
}

bool decodeScalar(const YAML::Node& node, bool& out, DecodeContext& ctx) {
    const ResolvedScalar r = resolve(node);
    if (r.type != ScalarType::Bool) {
        ctx.schemaError("expected true or false, got " + describe(node), spanOf(node, ctx));
        return false;
    }
    out = r.boolean;
    return true;
}

bool decodeScalar(const YAML::Node& node, double& out, DecodeContext& ctx) {
    const ResolvedScalar r = resolve(node);
    if (r.type == ScalarType::Int && !r.intOverflow) {
        out = static_cast<double>(r.integer);
        return true;
    }
    if (r.type == ScalarType::Float && std::isfinite(r.real)) {
        out = r.real;
        return true;
    }
    ctx.schemaError("expected a number, got " + describe(node), spanOf(node, ctx));
    return false;
}

bool decodeScalar(const YAML::Node& node, model::Duration& out, DecodeContext& ctx) {
    const ResolvedScalar r = resolve(node);
    if (r.type == ScalarType::String || r.type == ScalarType::Int) {
        if (auto d = model::Duration::parse(node.Scalar()); d && (r.type == ScalarType::String || d->nanos == 0)) {
            out = *d;
            return true;
        }
    }
    ctx.schemaError("invalid duration " + describe(node) + ": expected a value such as \"1s\", \"250ms\" or \"1m30s\"",
                    spanOf(node, ctx));
    return false;
}

bool decodeScalar(const YAML::Node& node, model::IntOrString& out, DecodeContext& ctx) {
    const ResolvedScalar r = resolve(node);
    if (r.type == ScalarType::Int && !r.intOverflow) {
        out = model::IntOrString{true, r.integer, {}};
        return true;
    }
    if (r.type == ScalarType::String) {
        out = model::IntOrString{false, 0, node.Scalar()};
        return true;
    }
    ctx.schemaError("expected a port number or name, got " + describe(node), spanOf(node, ctx));
    return false;
}

bool decodeInteger(const YAML::Node& node, std::int64_t& out, std::int64_t min, std::int64_t max, DecodeContext& ctx) {
    const ResolvedScalar r = resolve(node);
    if (r.type == ScalarType::Float && std::isfinite(r.real) && r.real == std::floor(r.real) &&
        std::abs(r.real) < 9e15) {
        out = static_cast<std::int64_t>(r.real); // JSON numbers like 80.0 are integers to protojson
    } else if (r.type != ScalarType::Int) {
        ctx.schemaError("expected an integer, got " + describe(node), spanOf(node, ctx));
        return false;
    } else if (r.intOverflow) {
        ctx.schemaError("integer " + node.Scalar() + " is out of range", spanOf(node, ctx));
        return false;
    } else {
        out = r.integer;
    }
    if (out < min || out > max) {
        ctx.schemaError("integer " + node.Scalar() + " is out of range [" + std::to_string(min) + ", " +
                            std::to_string(max) + "]",
                        spanOf(node, ctx));
        return false;
    }
    return true;
}

} // namespace sluice::config
