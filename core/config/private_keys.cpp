// SPDX-License-Identifier: Apache-2.0
#include "private_keys.h"

#include "model/base64.h"

#include <array>

#include <yaml-cpp/yaml.h>

namespace sluice::config {
namespace {

constexpr std::string_view kPemKeyMarker = "PRIVATE KEY-----"; // BEGIN (RSA |EC |ENCRYPTED )PRIVATE KEY
// Base64 of any text holding "-----" contains "LS0t" whatever the alignment; a cheap pre-filter.
constexpr std::string_view kBase64Dashes = "LS0t";

bool isKeyEntryName(std::string_view name) {
    return name == "key" || name == "tls.key" || name == "ssh-privatekey" || name.ends_with(".key");
}

bool holdsPemKey(std::string_view value) {
    if (value.find(kPemKeyMarker) != std::string_view::npos)
        return true;
    return value.find(kBase64Dashes) != std::string_view::npos &&
           model::decodeBase64(value).value_or(std::string()).find(kPemKeyMarker) != std::string::npos;
}

// Aliases can make a small document a huge tree ("billion laughs"): the walk is bounded, and a
// document too large to check is treated as unsafe.
constexpr std::size_t kNodeBudget = 1u << 20;

std::string scanNode(const YAML::Node& node, int depth, std::size_t& budget) {
    if (depth > 64 || budget == 0)
        return "is too complex to check for private keys";
    --budget;
    if (node.IsScalar())
        return holdsPemKey(node.Scalar()) ? "holds a PEM private key" : std::string();
    if (node.IsSequence()) {
        for (const auto& item : node)
            if (std::string why = scanNode(item, depth + 1, budget); !why.empty())
                return why;
        return {};
    }
    if (!node.IsMap())
        return {};
    const YAML::Node kind = node["kind"];
    if (kind && kind.IsScalar() && kind.Scalar() == "Secret") {
        for (const char* section : {"data", "stringData"}) {
            const YAML::Node entries = node[section];
            if (!entries || !entries.IsMap())
                continue;
            for (const auto& kv : entries)
                if (kv.first.IsScalar() && isKeyEntryName(kv.first.Scalar()))
                    return "holds " + kv.first.Scalar();
        }
    }
    for (const auto& kv : node)
        if (std::string why = scanNode(kv.second, depth + 1, budget); !why.empty())
            return why;
    return {};
}

} // namespace

std::string privateKeyReason(const model::Secret& secret) {
    for (const auto* entries : {&secret.data, &secret.stringData})
        for (const auto& [name, value] : *entries)
            if (isKeyEntryName(name))
                return "holds " + name;
    for (const auto& [name, value] : secret.stringData)
        if (holdsPemKey(value.value))
            return "holds a PEM private key in " + name;
    for (const auto& [name, value] : secret.data)
        if (holdsPemKey(value.value))
            return "holds a PEM private key in " + name;
    return {};
}

std::string privateKeyReasonInText(std::string_view text) {
    const bool mentionsSecret = text.find("Secret") != std::string_view::npos;
    if (!mentionsSecret && text.find("PRIVATE KEY") == std::string_view::npos &&
        text.find(kBase64Dashes) == std::string_view::npos)
        return {};
    try {
        std::size_t budget = kNodeBudget;
        return scanNode(YAML::Load(std::string(text)), 0, budget);
    } catch (const std::exception&) {
        // Not YAML we can read: refuse anything that visibly carries a key.
        return text.find(kPemKeyMarker) != std::string_view::npos ? "holds a PEM private key" : std::string();
    }
}

} // namespace sluice::config
