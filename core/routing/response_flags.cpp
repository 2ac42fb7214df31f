// SPDX-License-Identifier: Apache-2.0
#include "response_flags.h"

#include <array>
#include <cstddef>

namespace sluice::routing {
namespace {

// Envoy's ResponseFlag enum (envoy/stream_info/stream_info.h), in declaration order: the order
// ResponseFlagUtils::toShortString walks when it prints them.
constexpr std::array<std::string_view, 30> kEnvoyOrder = {
    "LH",  "UH", "UT", "LR",  "UR",    "UF",   "UC",   "UO", "NR",  "DI", "FI", "RL", "UAEX", "RLSE", "DC",
    "URX", "SI", "IH", "DPE", "UMSDR", "RFCF", "NFCF", "DT", "UPE", "NC", "OM", "DF", "DO",   "DR",   "UDO"};

std::size_t rankOf(std::string_view flag) {
    for (std::size_t i = 0; i < kEnvoyOrder.size(); ++i)
        if (kEnvoyOrder[i] == flag)
            return i;
    return kEnvoyOrder.size();
}

template <class F> void forEachFlag(std::string_view flags, F&& f) {
    while (!flags.empty()) {
        const std::size_t comma = flags.find(',');
        f(flags.substr(0, comma));
        flags.remove_prefix(comma == std::string_view::npos ? flags.size() : comma + 1);
    }
}

} // namespace

bool ResponseFlags::has(std::string_view flags, std::string_view flag) {
    bool found = false;
    forEachFlag(flags, [&](std::string_view element) { found = found || element == flag; });
    return found;
}

void ResponseFlags::add(std::string& flags, std::string_view flag) {
    if (flag.find(',') != std::string_view::npos) { // a decision's own list, e.g. "DI,FI"
        forEachFlag(flag, [&flags](std::string_view element) { add(flags, element); });
        return;
    }
    if (flag.empty() || has(flags, flag))
        return;
    // The first element that Envoy prints after `flag`: insert before it (flags are few and rare).
    const std::size_t rank = rankOf(flag);
    std::size_t at = flags.size();
    std::size_t pos = 0;
    forEachFlag(flags, [&](std::string_view element) {
        if (at == flags.size() && rankOf(element) > rank)
            at = pos;
        pos += element.size() + 1;
    });
    if (flags.empty())
        flags.assign(flag);
    else if (at == flags.size())
        flags.append(",").append(flag);
    else
        flags.insert(at, std::string(flag) + ",");
}

} // namespace sluice::routing
